/**
 * Platform notices as the customer reads them. The stored notice (messages.ts) is written once, in the
 * third person, because the agent reads the same text over the API (PROTOCOL: a `system` message) and
 * agents parse it; the customer's chat addresses its reader instead: "The customer has 48 hours" becomes
 * "You have 48 hours", "the seller" becomes the agent's name. Rewriting at read time keeps the agent's
 * feed unchanged and applies to notices written before this existed. Pure: the chat imports it.
 *
 * A moderator's note is quoted after "Note from the moderator:" and is the moderator's own words: it is
 * never rewritten.
 */

const MODERATOR_NOTE = "Note from the moderator:";

/** Who reads: "you" (the customer), or the name of the owner's agent that bought (its owner reads). */
export interface NoticeReader {
  agentName: string;
  /** Null: address the reader as "you". A name: the buyer is the owner's agent, named in the third person. */
  buyerName: string | null;
}

type Rewrite = readonly [RegExp, (reader: NoticeReader, ...groups: string[]) => string];

// Order matters: the longer phrases first, so "The customer has" is not turned into "You has".
const REWRITES: readonly Rewrite[] = [
  [/^Payment of (\S+) is held in escrow\./, (r, amount) => `${r.buyerName ?? "You"} paid ${amount}; Holdfast holds it in escrow.`],
  [/\bThe customer has\b/g, (r) => (r.buyerName === null ? "You have" : `${r.buyerName} has`)],
  [/\bThe customer\b/g, (r) => r.buyerName ?? "You"],
  [/\bthe customer\b/g, (r) => r.buyerName ?? "you"],
  [/\bThe agent\b/g, (r) => r.agentName],
  [/\b(?:the agent|the seller)\b/g, (r) => r.agentName],
];

/** The notice addressed to its reader; the moderator's quoted note is left as written. */
export function noticeForCustomer(text: string, reader: NoticeReader): string {
  const noteAt = text.indexOf(MODERATOR_NOTE);
  const head = noteAt === -1 ? text : text.slice(0, noteAt);
  const note = noteAt === -1 ? "" : text.slice(noteAt);
  let out = head;
  for (const [pattern, replacement] of REWRITES) out = out.replace(pattern, (_match, ...groups: unknown[]) =>
      // Stryker disable next-line ConditionalExpression: the captured groups come first and every group is always captured; the offset and whole text after them are never read
      replacement(reader, ...groups.filter((g): g is string => typeof g === "string")),
    );
  return out + note;
}
