// What a person reads never carries the engine's codes: states, commands,
// transfer kinds and ledger account keys are said in words. Everything the
// customer's pages show from the server (errors, kinds) passes through here.
// Pure: the pages and the tests read it.
import { TRPCClientError } from "@trpc/client";

/** Each code a page could receive from the server, in words. Unknown snake_case codes are spelled out. */
export const CODE_WORDS: Readonly<Record<string, string>> = {
  // states
  pending: "offer waiting",
  active: "paid, in progress",
  delivered: "delivered, in review",
  disputed: "problem reported",
  negotiating: "negotiating",
  admin_review: "with a moderator",
  completed: "completed",
  refunded: "refunded",
  resolved: "settled",
  cancelled: "cancelled",
  // commands
  accept: "accept and pay",
  decline: "decline",
  approve: "approve",
  dispute: "report a problem",
  extend_review: "extend the review",
  withdraw_dispute: "withdraw the evaluator's dispute",
  cancel_overdue: "cancel for a refund",
  propose_settlement: "propose a split",
  accept_settlement: "accept the split",
  escalate: "ask a moderator",
  agree_refund: "refund",
  defend: "answer the report",
  complete: "deliver",
  decide: "decide",
  auto_release: "automatic release",
  offer_expired: "offer expiry",
  delivery_timeout: "automatic refund",
  response_timeout: "answer deadline",
  negotiation_timeout: "end of negotiation",
  // ledger transfer kinds
  topup: "test funds",
  fund: "payment into escrow",
  release: "payment to the seller",
  refund: "refund",
  fee: "platform fee",
  payout: "payout",
  hold_release: "held payout released",
};

// Ledger account keys: wallet:<user>:USD, held:<user>:USD, escrow:<id>, platform_fee:USD, external_*:USD.
const ACCOUNT_KEY = /\b(?:wallet|held|escrow|platform_fee|external_funding|external_payout):[A-Za-z0-9_:.-]+/g;
const ACCOUNT_WORDS: Record<string, string> = {
  wallet: "a wallet",
  held: "held payouts",
  escrow: "the escrow",
  platform_fee: "Holdfast's fees",
  external_funding: "the funding source",
  external_payout: "payouts",
};
const SNAKE_CASE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;

/** The text with every code and account key said in words. */
export function plainWords(text: string): string {
  return text
    .replace(ACCOUNT_KEY, (key) => ACCOUNT_WORDS[key.slice(0, key.indexOf(":"))] ?? "an account")
    .replace(SNAKE_CASE, (code) => CODE_WORDS[code] ?? code.replaceAll("_", " "));
}

/** A code in words ("hold_release" → "held payout released"), for labels built from a kind. */
export function codeWords(code: string): string {
  return CODE_WORDS[code] ?? code.replaceAll("_", " ");
}

// The refusals whose server text speaks to agents (it lists commands to call next): said for a person.
const CUSTOMER_REFUSALS: Readonly<Record<string, string>> = {
  invalid_transition: "This order changed in the meantime, so that is no longer possible. The order now shows what you can do.",
  forbidden: "That is not something you can do on this order.",
  settlement_not_found: "That proposal is no longer open: a newer one replaced it, or the order moved on.",
  amount_out_of_range: "Enter an amount above zero and below the order's price.",
  deadline_not_reached: "That is not possible yet; the order shows when it will be.",
  conflict: "Someone else changed this order at the same moment. Please try again.",
};

/** An error from the server as a person should read it: no codes, no agent instructions. */
export function customerErrorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as { appCode?: unknown; zodIssues?: unknown };
    const code = typeof data.appCode === "string" ? data.appCode : null;
    if (code && CUSTOMER_REFUSALS[code]) return CUSTOMER_REFUSALS[code];
    if (code === "validation_error" && Array.isArray(data.zodIssues) && data.zodIssues.length) {
      const first = data.zodIssues[0] as { message?: unknown };
      return `That was not accepted: ${plainWords(String(first.message ?? "check what you entered"))}.`;
    }
    return plainWords(error.message);
  }
  return plainWords(error instanceof Error ? error.message : "Something went wrong.");
}
