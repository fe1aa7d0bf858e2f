// What the moderation console says about routes, timeline steps, ledger
// transfers, decisions and log entries. Pure, so tests read it directly.
import { formatMoney } from "~/domain/money";
import { formatDuration } from "~/components/ui/format";
import { parseMoneyInput } from "~/components/ui/money-input";

/** How a case reached admin_review. */
export const ROUTE_WORDS: Record<string, string> = {
  response_timeout: "Agent did not answer the dispute in time",
  negotiation_timeout: "Negotiation ran out of time",
  escalate: "Escalated",
  agent_under_review: "Held at auto-release: the customer stayed silent and the seller has an open risk signal",
  unknown: "Unknown",
};

export function routeWords(route: string, escalatedBy: string | null): string {
  if (route === "escalate" && escalatedBy) return `Escalated by the ${escalatedBy}`;
  return ROUTE_WORDS[route] ?? route;
}

/** A case's time left against the SLA: "5 h 10 min left", or how long it is past. */
export function timeLeftWords(timeLeftSeconds: number): string {
  const span = formatDuration(Math.abs(timeLeftSeconds) * 1000);
  return timeLeftSeconds >= 0 ? `${span} left` : `${span} over`;
}

export const AUDIT_ACTIONS = [
  "decide",
  "suspend_agent",
  "reinstate_agent",
  "suspend_user",
  "reinstate_user",
  "retry_delivery",
  "give_up_delivery",
  "run_ledger_check",
  "pin_tier",
  "clear_signal",
  "restrict_agent",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The audit log's filters (also its address: ?action=&moderator=&target=). */
export interface AuditFilters {
  action: AuditAction | "";
  moderator: string;
  target: string;
}

export const ACTION_WORDS: Record<string, string> = {
  decide: "Decided a case",
  suspend_agent: "Suspended an agent",
  reinstate_agent: "Reinstated an agent",
  suspend_user: "Suspended a person",
  reinstate_user: "Reinstated a person",
  retry_delivery: "Retried a delivery now",
  give_up_delivery: "Gave up a delivery",
  run_ledger_check: "Ran the ledger check",
  pin_tier: "Pinned or unpinned an agent's risk tier",
  clear_signal: "Cleared an agent's risk signal",
  restrict_agent: "Restricted an agent",
};

export const TRANSFER_WORDS: Record<string, string> = {
  fund: "Customer's payment into escrow",
  release: "Released to the seller",
  fee: "Platform fee",
  refund: "Refunded to the customer",
  topup: "Test funds",
  payout: "Payout",
  hold_release: "Held payout released",
};

export const ROLE_WORDS: Record<string, string> = {
  customer: "Customer",
  agent: "Agent",
  system: "Holdfast notice",
  owner: "Owner instruction (private to the agent)",
  moderator: "Moderator",
};

interface DecidedEscrow {
  status?: string;
  outcome: string | null;
  amount: number;
  refund_amount: number;
  currency: string;
}

/** The outcome of a finished case in one sentence, or null while it is open. */
export function outcomeWords(escrow: DecidedEscrow, agentName: string, customerName: string): string | null {
  const money = (minor: number) => formatMoney(minor, escrow.currency);
  // The escrow's outcome is stored as "released" / "refunded" / "split".
  switch (escrow.outcome) {
    case "released":
    case "release":
      return `Released: ${money(escrow.amount)} to ${agentName}.`;
    case "refunded":
    case "refund":
      return `Refunded: ${money(escrow.amount)} back to ${customerName}.`;
    case "split":
      return `Split: ${money(escrow.refund_amount)} back to ${customerName}, ${money(escrow.amount - escrow.refund_amount)} to ${agentName}.`;
    default:
      return null;
  }
}

export type DecisionOutcome = "release" | "refund" | "split";

export type DecisionCheck =
  | { ok: true; outcome: DecisionOutcome; refundAmountMinor?: number; note: string }
  | { ok: false; field: "refund" | "note"; message: string };

export type CheckedDecision = Extract<DecisionCheck, { ok: true }>;

/** Checks a decision in the page before it is sent: a note always, and for a split a refund strictly inside the amount. */
export function checkDecision(
  input: { outcome: DecisionOutcome; refundText: string; note: string },
  escrow: { amount: number; currency: string },
): DecisionCheck {
  let refundAmountMinor: number | undefined;
  if (input.outcome === "split") {
    const parsed = parseMoneyInput(input.refundText, escrow.currency);
    if (parsed === null) {
      return { ok: false, field: "refund", message: `Enter the refund in ${escrow.currency}, e.g. 6 or 6.50.` };
    }
    if (parsed <= 0 || parsed >= escrow.amount) {
      return {
        ok: false,
        field: "refund",
        message: `A split refunds more than nothing and less than the whole ${formatMoney(escrow.amount, escrow.currency)}; for all or nothing choose refund or release.`,
      };
    }
    refundAmountMinor = parsed;
  }
  const note = input.note.trim();
  if (!note) return { ok: false, field: "note", message: "Write a note: both parties see why you decided this." };
  return { ok: true, outcome: input.outcome, note, ...(refundAmountMinor !== undefined ? { refundAmountMinor } : {}) };
}

/** A refused decision in words. CONFLICT (or a case no longer in review) means another moderator decided first. */
export function decisionErrorWords(error: { message: string; appCode: string | null; httpCode: string | null }): string {
  if (error.httpCode === "CONFLICT" || error.appCode === "invalid_transition") {
    return "This case was already decided by another moderator: their decision is now shown. Yours was not recorded.";
  }
  return error.message;
}

/** A ledger account key in words, naming the case's parties: "Casey's wallet", "the escrow", "platform fees". */
export function accountWords(key: string, parties: { customerId: string; customer: string; ownerId: string; owner: string }): string {
  const [kind, id] = key.split(":");
  const whose = id === parties.customerId ? `${parties.customer}'s` : id === parties.ownerId ? `${parties.owner}'s (owner)` : "a person's";
  switch (kind) {
    case "wallet":
      return `${whose} wallet`;
    case "held":
      return `${whose} held payouts`;
    case "escrow":
      return "the escrow";
    case "platform_fee":
      return "platform fees";
    case "external_funding":
      return "outside money (funding)";
    case "external_payout":
      return "payout out of Holdfast";
    default:
      return "another account";
  }
}

/** Why the cardholder disputed the payment, per Stripe's reason code. */
const DISPUTE_REASON_WORDS: Record<string, string> = {
  fraudulent: "says they did not make this payment",
  unrecognized: "does not recognise this payment",
  product_not_received: "says they did not receive what they paid for",
  product_unacceptable: "says what they received was not as described",
  duplicate: "says they were charged twice",
  credit_not_processed: "says a refund they were promised never arrived",
  subscription_canceled: "says they had cancelled",
  debit_not_authorized: "says they did not authorise this debit",
  customer_initiated: "asked their bank to reverse the payment",
};

/** Where a chargeback stands, per Stripe's dispute status. */
const DISPUTE_STATUS_WORDS: Record<string, string> = {
  warning_needs_response: "Inquiry from the bank: evidence not sent yet",
  warning_under_review: "Inquiry from the bank: evidence sent, under review",
  needs_response: "Evidence not sent yet",
  under_review: "Evidence sent; the card network is reviewing it",
};

/** An open chargeback in one sentence: who disputed how much, and why. */
export function chargebackWords(c: { customer: { display_name: string }; amount: number; currency: string; reason: string }): string {
  const why = DISPUTE_REASON_WORDS[c.reason] ?? "gave their bank no specific reason";
  return `${c.customer.display_name} disputed a card payment of ${formatMoney(c.amount, c.currency)}: the cardholder ${why}.`;
}

export function chargebackStatusWords(status: string, evidenceSubmitted: boolean): string {
  return DISPUTE_STATUS_WORDS[status] ?? (evidenceSubmitted ? "Evidence sent" : "Evidence not sent yet");
}
