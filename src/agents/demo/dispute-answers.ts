// How the reference agent answers a dispute, by the rule it states up front (DISPUTE_RULE): a delivery
// reported missing, empty or broken is refunded in full at once; anything else gets a defence that
// answers the customer's own reason — quoted back, and met with the facts of what was delivered — and
// an offer to meet halfway. One row per kind of complaint; the first that matches answers. Pure.
import { listWords, readBrief } from "./brief";

/** Stated to customers and owners alike: how this agent answers a dispute. */
export const DISPUTE_RULE =
  "If you tell me the delivery is missing, empty, blank, corrupt or will not open, I refund in full at once. " +
  "Otherwise I explain what I delivered and offer to meet you halfway.";

export interface DeliveryFacts {
  /** The offer's description (the brief the work was made from). */
  brief: string;
  /** "logo.png (image/png, 2,345 bytes)" for each file sent on the order. */
  files: string[];
  /** When the delivery was recorded and when it was due (ISO times), if known. */
  deliveredAt: string | null;
  dueAt: string | null;
}

export type DisputeAnswer = { move: "refund" } | { move: "defend"; topic: string; explanation: string };

interface Row {
  topic: string;
  pattern: RegExp;
  /** The answer to this kind of complaint, in the agent's words; the customer's reason is quoted before it. */
  answer: (facts: DeliveryFacts) => string;
}

const REFUND_NOW = /\b(missing|empty|blank|corrupt(ed)?|broken|won'?t open|will not open|doesn'?t open|does not open|can'?t open|cannot open|nothing (was )?(delivered|attached|sent)|no file|not (delivered|attached|received))\b/i;

const delivered = (f: DeliveryFacts) => (f.files.length ? listWords(f.files) : "the files recorded on this order");

export const DISPUTE_ANSWERS: readonly Row[] = [
  {
    topic: "colours",
    pattern: /\b(colou?rs?|shades?|palette|too (dark|light|bright)|hue)\b/i,
    answer: (f) => {
      const colours = readBrief(f.brief).colours.map((c) => c.word);
      return colours.length
        ? `The logo is drawn in the colours your brief named (${listWords(colours)}). I delivered ${delivered(f)}.`
        : `Your brief named no colours, so I chose a palette for it. I delivered ${delivered(f)}.`;
    },
  },
  {
    topic: "name",
    pattern: /\b(name|spell\w*|typo|letters?|initials|text|wording|misspel\w*)\b/i,
    answer: (f) => {
      const name = readBrief(f.brief).name;
      return name
        ? `The logo carries "${name}", as your brief gave it, with its initials. I delivered ${delivered(f)}.`
        : `Your brief gave no name to put on the logo, so it carries none. I delivered ${delivered(f)}.`;
    },
  },
  {
    topic: "size",
    pattern: /\b(small|tiny|big|large|size|resolution|blurry|pixel\w*|low[- ]res|dimensions?)\b/i,
    answer: (f) => `I delivered ${delivered(f)}, at the size this service delivers; the sizes are recorded by the platform with the files.`,
  },
  {
    topic: "late",
    pattern: /\b(late|slow|too long|overdue|deadline|delay\w*|on time)\b/i,
    answer: (f) =>
      f.deliveredAt && f.dueAt && f.deliveredAt <= f.dueAt
        ? `It was delivered at ${f.deliveredAt.slice(0, 16).replace("T", " ")} UTC, before the due time of ${f.dueAt.slice(0, 16).replace("T", " ")} UTC.`
        : `I delivered ${delivered(f)}; the platform records when it arrived.`,
  },
  {
    topic: "not_as_asked",
    pattern: /\b(wrong|not what i (asked|ordered|wanted)|different|does(n'?t| not) match|not (the|my) brief|off[- ]brief|asked for)\b/i,
    answer: (f) => `I made it from your brief: ${briefLine(f.brief)}. I delivered ${delivered(f)}.`,
  },
  {
    topic: "quality",
    pattern: /\b(ugly|don'?t like|do not like|dislike|hate|style|quality|bad|poor|amateur\w*|simple|basic|cheap|boring|generic)\b/i,
    answer: (f) => `Taste differs, and I am sorry it is not to yours. The work follows your brief (${briefLine(f.brief)}); I delivered ${delivered(f)}.`,
  },
];

function briefLine(brief: string): string {
  return brief.split(/(?<=\.)\s/)[0]!.replace(/\.$/, "");
}

/** The customer's reason as quoted back to them: trimmed, at most 200 characters. */
export function quoteReason(reason: string): string {
  const trimmed = reason.replace(/\s+/g, " ").trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 199)}…` : trimmed;
}

/** The agent's answer to a dispute: refund by the rule, or a defence addressing `reason`. */
export function answerDispute(reason: string, facts: DeliveryFacts): DisputeAnswer {
  if (REFUND_NOW.test(reason)) return { move: "refund" };
  const row = DISPUTE_ANSWERS.find((r) => r.pattern.test(reason));
  const quoted = quoteReason(reason);
  // A reason that ends a sentence itself needs no second full stop after the quote.
  const said = quoted ? `You said: "${quoted}"${/[.!?…]$/.test(quoted) ? "" : "."} ` : "";
  const body = row ? row.answer(facts) : `I delivered ${delivered(facts)}, made from your brief (${briefLine(facts.brief)}).`;
  return { move: "defend", topic: row?.topic ?? "other", explanation: `${said}${body} I'm happy to meet you halfway: I've proposed refunding half.` };
}
