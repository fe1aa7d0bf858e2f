// The owner's word → one of a small set of actions (SPEC §5, the owner loop). An owner replies from a
// phone in free text ("approve the refund", "tell them that's out of scope"); the agent must act on it
// in its next message to the customer, and money moves only through these actions. Two pure steps:
// `readOwnerInstruction` maps words to an action by a rule table (first row that matches wins), and
// `planOwnerAction` maps the action and the order's state to the steps the agent runs. Anything that
// maps to nothing, or cannot be done in the order's state, becomes a question back to the owner — never
// a promise to the customer the agent does not keep. Pure: no client, no clock.

/** An amount the owner stated: money in the order's currency ("12.50") or a share of the order. */
export type StatedAmount = { kind: "money"; major: string } | { kind: "percent"; percent: number };

export type OwnerAction =
  | { kind: "refund" }
  | { kind: "split"; refund: StatedAmount }
  | { kind: "relay"; message: string }
  | { kind: "decline" }
  | { kind: "go_ahead"; price: StatedAmount | null }
  | { kind: "unknown" };

/** What the agent tells its owner to reply with when it could not map (or carry out) an instruction. */
export const OWNER_REPLY_HELP =
  'reply with one of: "refund" (in full), "split $12.50" (what goes back to the customer), ' +
  '"tell them <your message>", "out of scope", or "go ahead" ("go ahead for $40" for a request outside the catalog).';

const MONEY = /(?:[$€£]\s?|\b(?:usd|eur|gbp)\s?)?(?<!\d)(?<!\d[.,])(\d{1,9}(?:[.,]\d{1,3})?)(?!\d)(?![.,]\d)(?!\s*(?:%|percent|h\b|hrs?\b|hours?|days?|min))/i;
const PERCENT = /(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b)/i;
const HALF = /\b(half|halfway|50\s?\/\s?50|fifty[- ]fifty)\b/i;

/** The amount stated in the text, if any: a percentage or "half" first, then a money figure. */
export function statedAmount(text: string): StatedAmount | null {
  const percent = PERCENT.exec(text);
  if (percent) return { kind: "percent", percent: Number(percent[1]) };
  if (HALF.test(text)) return { kind: "percent", percent: 50 };
  const money = MONEY.exec(text);
  return money ? { kind: "money", major: money[1]!.replace(",", ".") } : null;
}

/**
 * A stated amount in minor units of an order of `orderAmountMinor`, or null when it cannot be one (more
 * decimals than the currency has). Percentages round down (the customer is never promised more than said).
 */
export function statedAmountMinor(amount: StatedAmount, orderAmountMinor: number, exponent: number): number | null {
  if (amount.kind === "percent") {
    if (!(amount.percent >= 0 && amount.percent <= 100)) return null;
    // Percent with up to two decimals, in BigInt: no float rounding on large amounts.
    const basisPoints = BigInt(Math.round(amount.percent * 100));
    return Number((BigInt(orderAmountMinor) * basisPoints) / 10_000n);
  }
  const [whole, fraction = ""] = amount.major.split(".");
  if (fraction.length > exponent) return null;
  return Number(BigInt(whole!) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, "0") || "0"));
}

const NEGATED_REFUND = /\b(?:don'?t|do not|no|never|not)\s+(?:give\s+(?:them\s+|a\s+)?|offer\s+(?:them\s+|a\s+)?|a\s+)?(?:full\s+)?refund/i;
const REFUND = /\b(refund\w*|reimburse\w*|money back|cancel(?:l?ed)?(?! the offer)(?! their offer)|pay (?:them|it|the customer) back|give (?:them|the customer|it) (?:the money |their money )?back)\b|\d\s*back\b|\bback to (?:them|the customer)\b/i;
const FULL = /\b(full|fully|in full|all (?:of )?(?:it|the money)|everything|entire|whole)\b/i;
const NOT_FULL = /\bnot\s+(?:a\s+|the\s+)?(?:full|fully|in full|everything|all)\b/i;
const SPLIT = /\b(split|settle(?:ment)?|meet (?:them )?halfway|halfway|partial(?:ly)?|part of|offer (?:them |the customer )?(?:\$|€|£|usd|eur|gbp)?\s?\d)/i;
const DECLINE =
  /^(?:no|nope|nah|no thanks|not interested|pass)[.!]*$|\b(not interested|withdraw (?:the |our |my )?offer|cancel (?:the|their) offer|out of (?:our |my )?scope|outside (?:our|my|the) (?:scope|catalog|catalogue|services?)|not (?:something )?(?:we|i) (?:do|offer|sell)|we don'?t do (?:that|this)|decline|say no|turn (?:it|them|that) down|(?:can'?t|cannot|won'?t) do (?:it|that|this))\b/i;
const QUOTED_RELAY = /^(?:please\s+)?(?:tell|say(?: to)?|message|reply(?: to)?|let)\b[^"“”']*?[:,]?\s*["“'](.+)["”']\s*[.!]?$/is;
const RELAY =
  /^(?:please\s+)?(?:(?:tell|inform|let)\s+(?:them|the customer|the buyer|him|her)(?:\s+know)?|say|reply|relay|message|pass (?:this|it) on)\b\s*(?:that\s+)?[:,-]?\s*(.+)$/is;
const GO_AHEAD =
  /\b(go ahead|go for it|proceed|approved?|yes|yep|ok(?:ay)?|sure|fine|do it|accept(?:ed)?|continue|carry on|keep going|deliver|sounds good|agreed|green light|hold firm|stand firm)\b/i;

interface Row {
  /** Why this row exists, in the owner's words. */
  example: string;
  match: (text: string) => OwnerAction | null;
}

/**
 * The rule table, read top to bottom; the first row that matches decides. Order matters: a quoted
 * message is relayed word for word whatever it says; refunds come before "go ahead" ("approve the
 * refund"); "out of scope" before a plain relay ("tell them that's out of scope" declines).
 */
export const OWNER_INSTRUCTION_RULES: readonly Row[] = [
  { example: 'tell them "we are closed until Monday"', match: (t) => (QUOTED_RELAY.exec(t) ? { kind: "relay", message: QUOTED_RELAY.exec(t)![1]!.trim() } : null) },
  // A negated refund with no amount keeps the course; "not a full refund, give half back" is a split below.
  { example: "don't refund, hold firm", match: (t) => (NEGATED_REFUND.test(t) && !statedAmount(t) ? { kind: "go_ahead", price: null } : null) },
  {
    example: "offer a full refund · refund $10 · give them half back",
    match: (t) => {
      if (!REFUND.test(t)) return null;
      const amount = statedAmount(t);
      const full = FULL.test(t) && !NOT_FULL.test(t);
      return amount && !full ? { kind: "split", refund: amount } : { kind: "refund" };
    },
  },
  {
    example: "split it 50/50 · propose a settlement of $12 · meet them halfway",
    match: (t) => {
      if (!SPLIT.test(t)) return null;
      const amount = statedAmount(t);
      return amount ? { kind: "split", refund: amount } : null; // a split without an amount is asked back
    },
  },
  { example: "tell them that's out of scope · decline", match: (t) => (DECLINE.test(t) ? { kind: "decline" } : null) },
  {
    example: "tell them we'll be a day late",
    match: (t) => {
      const message = RELAY.exec(t)?.[1]?.trim();
      return message ? { kind: "relay", message: toCustomer(message) } : null;
    },
  },
  { example: "go ahead · ok · go ahead for $40", match: (t) => (GO_AHEAD.test(t) ? { kind: "go_ahead", price: statedAmount(t) } : null) },
];

/** Maps an owner's reply to one action by the rule table; `unknown` when no row matches. */
export function readOwnerInstruction(text: string): OwnerAction {
  const normalised = text.replace(/\s+/g, " ").trim();
  if (!normalised) return { kind: "unknown" };
  for (const row of OWNER_INSTRUCTION_RULES) {
    const action = row.match(normalised);
    if (action) return action;
  }
  return { kind: "unknown" };
}

const RELAY_CLAUSE = /(?:^|\band\s+|\bthen\s+|[,;.]\s*)(?:please\s+)?(?:tell|let)\s+(?:them|the customer|the buyer|him|her)(?:\s+know)?\s+(?:that\s+)?(.+)$/i;

/**
 * A message to pass on beside another action: "refund them and tell them we're sorry" refunds and says
 * "We're sorry." Null when the action is itself a relay, or the clause only restates a decline.
 */
export function relayedClause(text: string, action: OwnerAction): string | null {
  if (action.kind === "relay" || action.kind === "unknown") return null;
  const normalised = text.replace(/\s+/g, " ").trim();
  if (QUOTED_RELAY.test(normalised) && !/^(?:please\s+)?(?:tell|say|message|reply|let)\b/i.test(normalised)) return null;
  const clause = RELAY_CLAUSE.exec(normalised)?.[1]?.trim();
  if (!clause || DECLINE.test(clause)) return null;
  const quoted = /^["“'](.+)["”']\s*[.!]?$/.exec(clause)?.[1];
  return quoted ?? toCustomer(clause);
}

/** "tell them their logo is late" → "Your logo is late.": the owner speaks of the customer, the relay to them. */
function toCustomer(message: string): string {
  const swapped = message
    .replace(/\bthey are\b/gi, "you are")
    .replace(/\bthey're\b/gi, "you're")
    .replace(/\bthey\b/gi, "you")
    .replace(/\btheir\b/gi, "your")
    .replace(/\bthem\b/gi, "you")
    .replace(/[.!]*$/, "");
  return `${swapped.charAt(0).toUpperCase()}${swapped.slice(1)}.`;
}

/** What the agent knows about the order an instruction is about (from GET /escrows/{id}). */
export interface OrderFacts {
  status: string;
  amountMinor: number;
  /** The currency's number of decimals. */
  exponent: number;
  referenceCode: string;
}

export type OwnerStep =
  | { do: "agree_refund" }
  | { do: "cancel_refund" }
  | { do: "withdraw_offer" }
  | { do: "defend_and_propose"; refundMinor: number }
  | { do: "propose"; refundMinor: number }
  | { do: "relay"; message: string }
  | { do: "decline" }
  | { do: "deliver" }
  | { do: "answer_dispute" }
  | { do: "offer"; priceMinor: number }
  | { do: "confirm"; about: "offer_stands" | "delivery_stands" | "proposal_stands" }
  /** The instruction cannot be carried out: the owner is asked again; the customer told only while an order is open. */
  | { do: "ask_owner"; why: string; tellCustomer: boolean };

const TERMINAL = new Set(["completed", "refunded", "resolved", "cancelled"]);

/**
 * The steps for `action` on `order` (null: the instruction is about the chat, not an order). One row per
 * action; within it, one branch per state the lifecycle allows the agent to act in (SPEC §3.1).
 */
export function planOwnerAction(
  action: OwnerAction,
  order: OrderFacts | null,
  chat: { hasConversation: boolean; exponentWithoutOrder: number } = { hasConversation: true, exponentWithoutOrder: 2 },
): OwnerStep[] {
  const ask = (why: string): OwnerStep[] => [{ do: "ask_owner", why, tellCustomer: chat.hasConversation && (!order || !TERMINAL.has(order.status)) }];
  if (action.kind === "unknown") return ask("I did not understand your reply.");
  // An alert about no chat (a notify_owner without one) has no customer to tell or to make an offer to.
  if (!chat.hasConversation && !order) return ask("This alert is not about a chat with a customer, so there is no one to tell or to make an offer to.");
  if (action.kind === "relay") return [{ do: "relay", message: action.message }];
  if (order && TERMINAL.has(order.status) && action.kind !== "decline") {
    return [{ do: "ask_owner", why: `Order ${order.referenceCode} is already ${order.status}; nothing more can change on it.`, tellCustomer: false }];
  }
  if (order?.status === "admin_review" && action.kind !== "decline") {
    return ask(`Order ${order.referenceCode} is with a moderator, who decides it now; only a message can still reach the customer.`);
  }
  const ref = order?.referenceCode;
  switch (action.kind) {
    case "refund":
      if (!order) return ask("There is no order in this chat to refund.");
      if (order.status === "disputed" || order.status === "negotiating") return [{ do: "agree_refund" }];
      if (order.status === "active") return [{ do: "cancel_refund" }];
      if (order.status === "pending") return ask(`Nothing has been paid on ${ref} yet. Reply "out of scope" to withdraw the offer, or "go ahead" to keep it.`);
      return ask(`${ref} is delivered and in the customer's review: I can refund only once they report a problem.`);
    case "split": {
      if (!order) return ask("There is no order in this chat to split.");
      const refundMinor = statedAmountMinor(action.refund, order.amountMinor, order.exponent);
      if (refundMinor === null || refundMinor <= 0 || refundMinor > order.amountMinor) {
        return ask(`A split must give back more than nothing and at most the order's amount on ${ref}.`);
      }
      if (refundMinor === order.amountMinor) return planOwnerAction({ kind: "refund" }, order, chat);
      if (order.status === "disputed") return [{ do: "defend_and_propose", refundMinor }];
      if (order.status === "negotiating") return [{ do: "propose", refundMinor }];
      return ask(`A split is possible only once the customer reports a problem; ${ref} is ${order.status}.`);
    }
    case "decline":
      if (order?.status === "pending") return [{ do: "withdraw_offer" }, { do: "decline" }];
      return [{ do: "decline" }];
    case "go_ahead":
      if (!order) {
        if (!action.price) return ask('To make an offer for this request I need a price: reply "go ahead for $40".');
        const priceMinor = statedAmountMinor(action.price, 0, chat.exponentWithoutOrder);
        if (action.price.kind === "percent" || !priceMinor) return ask('To make an offer I need a price in money: reply "go ahead for $40".');
        return [{ do: "offer", priceMinor }];
      }
      if (order.status === "pending") return [{ do: "confirm", about: "offer_stands" }];
      if (order.status === "active") return [{ do: "deliver" }];
      if (order.status === "delivered") return [{ do: "confirm", about: "delivery_stands" }];
      if (order.status === "disputed") return [{ do: "answer_dispute" }];
      return [{ do: "confirm", about: "proposal_stands" }];
  }
}

/**
 * The optional model's reading of an instruction, checked into the same action set: anything that is
 * not exactly one known action with well-formed fields is null (the agent then asks the owner). The
 * model never names steps or amounts in minor units: a stated amount goes through the same parser.
 */
export function actionFromModel(answer: unknown): OwnerAction | null {
  if (typeof answer !== "object" || answer === null) return null;
  const { action, amount, message } = answer as { action?: unknown; amount?: unknown; message?: unknown };
  const stated = typeof amount === "string" || typeof amount === "number" ? statedAmount(String(amount)) : null;
  switch (action) {
    case "refund":
      return { kind: "refund" };
    case "split":
      return stated ? { kind: "split", refund: stated } : null;
    case "relay":
      return typeof message === "string" && message.trim() ? { kind: "relay", message: message.trim().slice(0, 2_000) } : null;
    case "decline":
      return { kind: "decline" };
    case "go_ahead":
      return { kind: "go_ahead", price: stated };
    default:
      return null;
  }
}

/** What the model is told: the same five actions, and to answer with JSON only. */
export const MODEL_INSTRUCTIONS =
  "You map a shop owner's reply about a customer's order to exactly one action. Answer with one JSON object and nothing else: " +
  '{"action": "refund" | "split" | "relay" | "decline" | "go_ahead" | "unknown", "amount": string | null, "message": string | null}. ' +
  "refund: give the customer all their money back. split: give back part; amount is what goes back, as written (\"12.50\" or \"40%\"). " +
  "relay: pass a message to the customer; message is that message, addressed to the customer. decline: the request is out of scope. " +
  "go_ahead: carry on as planned; amount is a price if the owner names one. unknown: anything else. Never invent an amount the owner did not state.";
