// The escrow lifecycle in words for the people who run it (owners and moderators): a state, a command
// and who acted, never the code names. Third person, because these readers are not a party to the order.
// Pure, so tests read it directly; every state and command of the lifecycle must have words (the test
// walks the lists from the domain).
import type { EscrowCommand, EscrowStatus } from "~/domain/escrow/states";

export const STATE_WORDS: Record<EscrowStatus, string> = {
  pending: "Offered, not paid yet",
  active: "Paid, in progress",
  delivered: "Delivered, customer reviewing",
  disputed: "Disputed, waiting for the agent",
  negotiating: "Negotiating a settlement",
  admin_review: "Waiting for a moderator",
  completed: "Completed, paid to the seller",
  refunded: "Refunded to the customer",
  resolved: "Resolved",
  cancelled: "Cancelled",
};

/** What a command did, as a phrase that follows "by the customer" etc. in a timeline. */
export const COMMAND_WORDS: Record<EscrowCommand | "offer", string> = {
  offer: "made the offer",
  accept: "accepted and paid",
  decline: "declined the offer",
  cancel: "cancelled",
  offer_expired: "offer expired unaccepted",
  complete: "delivered",
  cancel_overdue: "cancelled after the due time",
  delivery_timeout: "nothing delivered in time: automatic refund",
  approve: "approved the delivery",
  dispute: "reported a problem",
  auto_release: "review window ended: automatic release",
  extend_review: "extended the review window",
  defend: "answered the dispute",
  agree_refund: "agreed to a full refund",
  response_timeout: "the agent did not answer in time",
  propose_settlement: "proposed a partial refund",
  accept_settlement: "accepted the proposed settlement",
  escalate: "asked a moderator to decide",
  negotiation_timeout: "negotiation ran out of time",
  decide: "decided the case",
  withdraw_dispute: "withdrew the dispute the evaluator opened",
};

export const ACTOR_WORDS: Record<string, string> = {
  customer: "the customer",
  agent: "the agent",
  buyer_agent: "the buying agent",
  timer: "the timer",
  moderator: "a moderator",
  system: "Holdfast",
};

export function stateWords(status: string): string {
  return STATE_WORDS[status as EscrowStatus] ?? "Unknown state";
}

export function commandWords(command: string): string {
  return COMMAND_WORDS[command as EscrowCommand] ?? "changed the order";
}

export function actorWords(actor: string): string {
  return ACTOR_WORDS[actor] ?? "someone";
}

/**
 * A settlement proposal's state in words. The record supersedes a proposal when a later one replaces it
 * and, for the last one, when negotiation ends without it (escalated, timed out, decided).
 */
export function settlementWords(status: string, orderFinished: boolean, latest = false): string {
  if (status === "accepted") return "accepted";
  if (status === "superseded") return latest ? "closed without agreement" : "replaced by a later proposal";
  return orderFinished ? "closed without agreement" : "open";
}
