// What a customer asked for, read from their words: the subject ("for my bakery" → "your bakery"), a
// name to put on the work, the colours they named, and for a voice clip the text to speak. The offer's
// description is written from it (never a copy of the request), and the delivery is made from it — the
// description is read back with the same reader, so what the customer accepted is what is drawn.
// Pure: no client, no clock.

export type Rgb = readonly [number, number, number];

/** Colour words a brief may use, with the shade the logo is drawn in. */
export const NAMED_COLOURS: Readonly<Record<string, Rgb>> = {
  red: [220, 38, 38],
  crimson: [185, 28, 28],
  maroon: [127, 29, 29],
  orange: [234, 88, 12],
  amber: [245, 158, 11],
  yellow: [250, 204, 21],
  gold: [212, 160, 23],
  olive: [101, 109, 33],
  lime: [132, 204, 22],
  green: [22, 163, 74],
  teal: [13, 148, 136],
  turquoise: [45, 212, 191],
  cyan: [6, 182, 212],
  blue: [37, 99, 235],
  navy: [30, 58, 138],
  indigo: [79, 70, 229],
  purple: [126, 34, 206],
  violet: [139, 92, 246],
  magenta: [217, 70, 239],
  pink: [236, 72, 153],
  brown: [120, 72, 36],
  beige: [225, 206, 170],
  cream: [253, 246, 227],
  white: [255, 255, 255],
  silver: [192, 192, 192],
  grey: [107, 114, 128],
  gray: [107, 114, 128],
  charcoal: [55, 65, 81],
  burgundy: [128, 0, 32],
  coral: [248, 113, 113],
  mint: [152, 237, 195],
  lavender: [196, 181, 253],
  peach: [253, 186, 140],
  bronze: [205, 127, 50],
  copper: [184, 115, 51],
  emerald: [4, 120, 87],
  mustard: [202, 138, 4],
  black: [17, 17, 17],
};

export interface Colour {
  /** As the customer wrote it: "navy", "#1a2b3c". */
  word: string;
  rgb: Rgb;
}

export interface Brief {
  /** "your bakery", "artisan bakeries in Lisbon"; null when the request names none. */
  subject: string | null;
  /** A name to put on the work ("Forno Verde"), when the request gives one. */
  name: string | null;
  colours: Colour[];
  /** Words in quotes that are not the name: the text a voice clip speaks, the words on a logo. */
  quoted: string | null;
  /** What the work should show: "a fox" from "a logo with a fox". */
  motif: string | null;
}

const COLOUR_WORDS = new RegExp(`#[0-9a-f]{6}\\b|#[0-9a-f]{3}\\b|\\b(?:${Object.keys(NAMED_COLOURS).join("|")})\\b`, "gi");
const QUOTED = /["“]([^"”]{1,200})["”]|(?:^|\s)'([^']{1,60})'(?=[\s,.!?;:]|$)/;
const NAMED = /\b(?:called|named|name(?:d)? is|brand(?: name)? is|the name)\s+["“']?([A-Za-z0-9][\w&'.-]*(?:\s+[A-Z0-9&][\w&'.-]*){0,3})["”']?/;
/** "for Forno Verde, a bakery": a capitalised name right after "for". */
const FOR_NAME = /\bfor\s+((?:[A-Z][\w&'-]*|&)(?:\s+(?:[A-Z][\w&'-]*|&|of|de|la|the)){0,3})(?=\s*(?:[,.;:!?]|$|\s+(?:in|with|and|a|an|using)\b))/;
/** "for my bakery, Crumb & Co": a capitalised name set off after the customer's own business. */
const APPOSITIVE = /\b(?:for|of)\s+(?:my|our)\s+[a-z][\w -]{1,40}?,\s+((?:[A-Z][\w&'-]*|&)(?:\s+(?:[A-Z][\w&'-]*|&|of|de|la|the)){0,3})/;
const SUBJECT_END = `(?=\\s*(?:[,.;:!?"“]|$|\\s+(?:called|named|in\\s+(?:#|(?:${Object.keys(NAMED_COLOURS).join("|")})\\b)|with|showing|using|please)\\b))`;
const SUBJECT = new RegExp(`\\b(?:for|about|on)\\s+((?:my|our|a|an|the|your)\\s+)?([^,.;:!?"“”]{2,80}?)${SUBJECT_END}`, "i");
/** "a logo with a fox on it": what the work shows. */
const MOTIF = new RegExp(`\\b(?:with|showing|featuring|of)\\s+(a|an)\\s+([a-z][^,.;:!?"“”]{1,40}?)(?:\\s+on it)?${SUBJECT_END}`, "i");
/** "write my wedding speech": the customer's own thing, named right after the verb. */
const OWN_THING = new RegExp(`\\b(?:write|make|design|draw|create|build|record|read|do|fix|edit|translate)\\s+(my|our)\\s+([^,.;:!?"“”]{2,60}?)${SUBJECT_END}`, "i");

function hexRgb(hex: string): Rgb {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join("") : digits;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

/** Reads a customer's request (or an offer description written by `describeOffer`). */
export function readBrief(text: string): Brief {
  const quotedMatch = QUOTED.exec(text);
  const quoted = (quotedMatch?.[1] ?? quotedMatch?.[2])?.trim() || null;
  const named = NAMED.exec(text)?.[1] ?? FOR_NAME.exec(text)?.[1] ?? APPOSITIVE.exec(text)?.[1] ?? null;
  const name = named?.trim().replace(/[.]+$/, "") || null;
  // Colour words inside the name or quoted text are words, not colours ("Blue Fox").
  let rest = text;
  for (const words of [name, quoted]) if (words) rest = rest.split(words).join(" ");
  const colours: Colour[] = [];
  for (const match of rest.matchAll(COLOUR_WORDS)) {
    const word = match[0].toLowerCase();
    const rgb = word.startsWith("#") ? hexRgb(word) : NAMED_COLOURS[word]!;
    if (!colours.some((c) => c.word === word)) colours.push({ word, rgb });
  }
  const subjectMatch = SUBJECT.exec(text) ?? OWN_THING.exec(text);
  let subject: string | null = null;
  if (subjectMatch) {
    const determiner = (subjectMatch[1] ?? "").trim().toLowerCase();
    const rest = subjectMatch[2]!.trim();
    // The customer's "my bakery" is "your bakery" in the agent's words.
    const article = determiner === "my" || determiner === "our" || determiner === "your" ? "your" : determiner;
    subject = rest === name ? null : `${article ? `${article} ` : ""}${rest}`;
  }
  if (!subject && name) {
    // "for Forno Verde, a bakery in Lisbon": what the named thing is, set off after the name.
    const after = text.slice(text.indexOf(name) + name.length);
    const what = new RegExp(`^["”']?,\\s+(a|an)\\s+([^,.;:!?"“”]{2,80}?)${SUBJECT_END}`, "i").exec(after);
    if (what) subject = `${what[1]!.toLowerCase()} ${what[2]!.trim()}`;
  }
  const motifMatch = MOTIF.exec(text);
  const motif = motifMatch ? `${motifMatch[1]!.toLowerCase()} ${motifMatch[2]!.trim()}` : null;
  return { subject, name, colours, quoted: quoted && quoted !== name ? quoted : null, motif };
}

/** What a service delivers, from its artifact contract's kinds. */
function deliverable(kinds: readonly string[]): string {
  if (kinds.includes("image")) return "a PNG image";
  if (kinds.includes("data")) return "a structured report (JSON)";
  if (kinds.includes("audio")) return "an audio file (WAV)";
  if (kinds.includes("file")) return "a file";
  return "the finished work";
}

export interface OfferedService {
  title: string;
  delivery_in_hours: number;
  artifact_contract: { kinds: readonly string[] } | null;
}

/** The offer's description: what will be made for whom, how it comes, and when — written, not copied. */
export function describeOffer(service: OfferedService, request: string): string {
  const brief = readBrief(request);
  const parts = [service.title];
  if (brief.subject) parts.push(` for ${brief.subject}`);
  if (brief.name) parts.push(` named "${brief.name}"`);
  const kinds = service.artifact_contract?.kinds ?? [];
  if (brief.motif) parts.push(` showing ${brief.motif}`);
  if (brief.colours.length) parts.push(` in ${listWords(brief.colours.map((c) => c.word))}`);
  if (brief.quoted) parts.push(kinds.includes("audio") ? `, reading "${brief.quoted}"` : `, with the words "${brief.quoted}"`);
  if (!brief.subject && !brief.name && !brief.colours.length && !brief.quoted && !brief.motif) parts.push(", to the brief you gave in the chat");
  return `${parts.join("")}. You receive ${deliverable(kinds)} within ${service.delivery_in_hours} hours of paying; the money stays held until you approve it.`;
}

export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
