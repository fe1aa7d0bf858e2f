/**
 * THE escrow lifecycle, as data (SPEC §3.1). Read it top to bottom like Sharetribe's process.edn:
 * one row per (from, command). `decide()` interprets these rows; docs/ARCHITECTURE.md is generated
 * from them by describe.ts, so the code, the docs and the tests cannot disagree.
 *
 * A command with no row for the current state is `invalid_transition`; a row whose `actors` do not
 * include the caller is `forbidden`; then the row's guards run in order and the first failure answers.
 */
import type { SideEffects } from "./side-effects";
import type { Actor, DeadlineAction, EscrowCommand, EscrowStatus } from "./states";

/**
 * Preconditions, each implemented once in guards.ts. The rejection code each one returns:
 * - deadline_reached: the escrow's deadlineAction is this timer command and now ≥ deadline
 *   (else deadline_not_reached; a different or missing deadline action is invalid_transition — a stale timer)
 * - delivery_precondition: an artifact was sent since the last status change and meets the service's
 *   contract (no_artifact_since_last_status_change / artifact_contract_unmet, SPEC §3.2)
 * - overdue: now ≥ dueAt (not_overdue)
 * - reason_required / explanation_required / note_required: the text has something visible (domain/text.ts)
 * - review_not_extended: the review window was not extended before (review_already_extended)
 * - refund_in_range: 0 < refundAmountMinor < amount, an integer (amount_out_of_range)
 * - settlement_by_other_party: the given id is the open proposal and the caller did not make it
 *   (settlement_not_found)
 * - decision_amounts: a split decision has 0 < refundAmountMinor < amount (amount_out_of_range)
 * - opened_by_evaluator: the open dispute is the one the evaluator's `fail` opened on the customer's
 *   behalf, and nothing has happened since (dispute_not_withdrawable)
 */
export const GUARD_NAMES = [
  "deadline_reached",
  "delivery_precondition",
  "overdue",
  "reason_required",
  "explanation_required",
  "note_required",
  "review_not_extended",
  "refund_in_range",
  "settlement_by_other_party",
  "decision_amounts",
  "opened_by_evaluator",
] as const;
export type GuardName = (typeof GUARD_NAMES)[number];

/**
 * Money movement of a transition. `by_outcome` (only `decide`): release, refund or split, as the
 * moderator chose.
 */
export type LedgerEffect = "fund" | "release" | "refund" | "split" | "by_outcome";

/**
 * One row. Besides the state change it declares its side effects (side-effects.ts): `alerts` raised in
 * the same transaction and `timers` planned for the state entered (deadline, reminders, due-soon,
 * overdue), each of which sends its notices when it fires.
 */
export interface TransitionRule extends SideEffects {
  from: EscrowStatus;
  command: EscrowCommand;
  actors: readonly Actor[];
  to: EscrowStatus;
  /** The deadline of the state entered; null = none; "keep" = the running deadline stays (self-transitions). */
  deadline: DeadlineAction | null | "keep";
  ledger: LedgerEffect | null;
  /** The agent event type written (PROTOCOL.md "Event types"). */
  event: string;
  /** `data.via` of the event, where one event type has several causes (e.g. escrow.completed). */
  via?: string;
  guards: readonly GuardName[];
  /** One line for the docs. */
  note: string;
}

const PARTIES = ["customer", "agent"] as const satisfies readonly Actor[];

/** What an offer must satisfy before it exists; checked by offer.ts (`offerProblem`) and the seller's tier limits. */
export type OfferGuardName = "offer_fields" | "currency_enabled" | "within_tier_limits";

/** The table's first row: an agent's offer creates the escrow (there is no state before it). */
export interface OfferRule extends SideEffects {
  from: null;
  command: "offer";
  actors: readonly ["agent"];
  to: "pending";
  deadline: "offer_expired";
  ledger: null;
  /** In the outbox only: the seller made the offer; a buying agent hears `purchase.offered`. */
  event: "escrow.offered";
  guards: readonly OfferGuardName[];
  note: string;
}

// prettier-ignore
export const OFFER_RULE: OfferRule = { from: null, command: "offer", actors: ["agent"], to: "pending", deadline: "offer_expired", ledger: null, event: "escrow.offered", alerts: ["offer_rules"], timers: ["deadline"], guards: ["offer_fields", "currency_enabled", "within_tier_limits"], note: "Agent offers a service in a conversation; nothing moves until the customer accepts. A buying agent hears purchase.offered." };

// One row per line on purpose: the table is meant to be scanned like a spreadsheet.
// prettier-ignore
export const TRANSITIONS: readonly TransitionRule[] = [
  // ── pending: the agent offered; the customer has not accepted. Deadline: offer_expired (offerTtlS).
  { from: "pending", command: "accept", actors: ["customer"], to: "active", deadline: "delivery_timeout", ledger: "fund", event: "escrow.funded", alerts: [], timers: ["deadline", "due_soon", "overdue"], guards: [], note: "Customer pays: the amount moves from the customer's wallet into the escrow account; due time starts." },
  { from: "pending", command: "decline", actors: ["customer"], to: "cancelled", deadline: null, ledger: null, event: "escrow.declined", alerts: [], timers: [], guards: [], note: "Customer declines the offer." },
  { from: "pending", command: "cancel", actors: ["agent"], to: "cancelled", deadline: null, ledger: null, event: "escrow.cancelled", alerts: [], timers: [], guards: [], note: "Agent withdraws the offer." },
  { from: "pending", command: "offer_expired", actors: ["timer"], to: "cancelled", deadline: null, ledger: null, event: "escrow.expired", alerts: [], timers: [], guards: ["deadline_reached"], note: "Nobody accepted within the offer TTL." },

  // ── active: funded, the agent is working. Deadline: delivery_timeout (due time + deliveryGraceS).
  { from: "active", command: "complete", actors: ["agent"], to: "delivered", deadline: "auto_release", ledger: null, event: "escrow.delivered", alerts: [], timers: ["deadline", "review_reminder"], guards: ["delivery_precondition"], note: "Agent delivers; the engine checks its own record of artifacts sent (SPEC §3.2). Idempotent on delivered." },
  { from: "active", command: "cancel", actors: ["agent"], to: "refunded", deadline: null, ledger: "refund", event: "escrow.refunded", via: "cancel", alerts: [], timers: [], guards: [], note: "Agent gives up; full refund." },
  { from: "active", command: "cancel_overdue", actors: ["customer"], to: "refunded", deadline: null, ledger: "refund", event: "escrow.refunded", via: "cancel_overdue", alerts: [], timers: [], guards: ["overdue"], note: "Customer cancels after the due time passed; full refund." },
  { from: "active", command: "delivery_timeout", actors: ["timer"], to: "refunded", deadline: null, ledger: "refund", event: "escrow.refunded", via: "delivery_timeout", alerts: [], timers: [], guards: ["deadline_reached"], note: "Nothing delivered by due time + grace; automatic full refund." },

  // ── delivered: the customer reviews. Deadline: auto_release (reviewWindowS; extendable once).
  { from: "delivered", command: "approve", actors: ["customer"], to: "completed", deadline: null, ledger: "release", event: "escrow.completed", via: "approve", alerts: [], timers: [], guards: [], note: "Customer accepts the delivery; amount minus fee to the seller." },
  { from: "delivered", command: "dispute", actors: ["customer"], to: "disputed", deadline: "response_timeout", ledger: null, event: "escrow.disputed", alerts: ["dispute"], timers: ["deadline"], guards: ["reason_required"], note: "Customer reports a problem; only the agent may act next." },
  { from: "delivered", command: "auto_release", actors: ["timer"], to: "completed", deadline: null, ledger: "release", event: "escrow.completed", via: "auto_release", alerts: [], timers: [], guards: ["deadline_reached"], note: "Review window ended without a dispute; release." },
  { from: "delivered", command: "extend_review", actors: ["customer"], to: "delivered", deadline: "keep", ledger: null, event: "escrow.review_extended", alerts: [], timers: ["deadline", "review_reminder"], guards: ["review_not_extended"], note: "Customer extends the review window once, by reviewExtensionS." },

  // ── disputed: only the agent may act. Deadline: response_timeout (responseWindowS).
  { from: "disputed", command: "defend", actors: ["agent"], to: "negotiating", deadline: "negotiation_timeout", ledger: null, event: "escrow.negotiating", alerts: ["purchase_contested"], timers: ["deadline"], guards: ["explanation_required"], note: "Agent defends with a written explanation; both sides negotiate." },
  { from: "disputed", command: "agree_refund", actors: ["agent"], to: "refunded", deadline: null, ledger: "refund", event: "escrow.refunded", via: "agree_refund", alerts: [], timers: [], guards: [], note: "Agent concedes; full refund." },
  // The evaluator's `fail` opened the dispute for the customer (issue 18); the customer disagrees with it. Only
  // from disputed — the agent has not answered (defend and agree_refund both leave disputed) — and only
  // that dispute: the delivery is back in review with the whole review window restarted (the customer now
  // checks it themselves; the evaluator attests once, so this happens at most once per delivery).
  { from: "disputed", command: "withdraw_dispute", actors: ["customer"], to: "delivered", deadline: "auto_release", ledger: null, event: "escrow.dispute_withdrawn", alerts: [], timers: ["deadline", "review_reminder"], guards: ["opened_by_evaluator"], note: "Customer withdraws the dispute the evaluator opened on their behalf, before the agent answered; the review window restarts." },
  { from: "disputed", command: "response_timeout", actors: ["timer"], to: "admin_review", deadline: null, ledger: null, event: "escrow.admin_review", via: "response_timeout", alerts: ["purchase_admin_review"], timers: [], guards: ["deadline_reached"], note: "Agent stayed silent; a moderator decides." },

  // ── negotiating: both sides talk. Deadline: negotiation_timeout (negotiationWindowS).
  { from: "negotiating", command: "approve", actors: ["customer"], to: "completed", deadline: null, ledger: "release", event: "escrow.completed", via: "withdrawn", alerts: [], timers: [], guards: [], note: "Customer withdraws the dispute; release." },
  { from: "negotiating", command: "agree_refund", actors: ["agent"], to: "refunded", deadline: null, ledger: "refund", event: "escrow.refunded", via: "agree_refund", alerts: [], timers: [], guards: [], note: "Agent concedes; full refund." },
  { from: "negotiating", command: "propose_settlement", actors: PARTIES, to: "negotiating", deadline: "keep", ledger: null, event: "escrow.settlement_proposed", alerts: [], timers: ["deadline"], guards: ["refund_in_range"], note: "Either side proposes a partial refund; it supersedes any open proposal." },
  { from: "negotiating", command: "accept_settlement", actors: PARTIES, to: "resolved", deadline: null, ledger: "split", event: "escrow.resolved", via: "settlement", alerts: [], timers: [], guards: ["settlement_by_other_party"], note: "The other side accepts the open proposal; refund part back, rest released (fee on the released part)." },
  { from: "negotiating", command: "escalate", actors: PARTIES, to: "admin_review", deadline: null, ledger: null, event: "escrow.admin_review", via: "escalate", alerts: ["purchase_admin_review"], timers: [], guards: [], note: "Either side asks a moderator to decide." },
  { from: "negotiating", command: "negotiation_timeout", actors: ["timer"], to: "admin_review", deadline: null, ledger: null, event: "escrow.admin_review", via: "negotiation_timeout", alerts: ["purchase_admin_review"], timers: [], guards: ["deadline_reached"], note: "No agreement in time; a moderator decides." },

  // ── admin_review: a moderator decides. No deadline (the queue shows age and SLA).
  { from: "admin_review", command: "decide", actors: ["moderator"], to: "resolved", deadline: null, ledger: "by_outcome", event: "escrow.resolved", via: "moderator", alerts: [], timers: [], guards: ["note_required", "decision_amounts"], note: "Moderator decides release, refund or split, with a note." },

  // ── completed, refunded, resolved, cancelled: terminal, no rows.
];

/**
 * The auto-release row's variant for a suspected colluder (issue 17 item 4): when the timer's input says
 * the agent is under review (an open signal, and a customer silent since the delivery), the review window
 * ends in admin_review instead of a release — the customer's money stays in escrow until a moderator
 * decides. Kept beside the table (one row per (from, command) there); decide() picks it from the input.
 */
// prettier-ignore
export const HELD_AUTO_RELEASE_RULE: TransitionRule = { from: "delivered", command: "auto_release", actors: ["timer"], to: "admin_review", deadline: null, ledger: null, event: "escrow.admin_review", via: "agent_under_review", alerts: [], timers: [], guards: ["deadline_reached"], note: "Review window ended, the customer silent since the delivery, and the seller has an open risk signal: a moderator releases or refunds instead of the timer." };

/** The row for (from, command), if the lifecycle has one. */
export function findTransition(from: EscrowStatus, command: EscrowCommand): TransitionRule | undefined {
  return TRANSITIONS.find((rule) => rule.from === from && rule.command === command);
}

/** The rows leaving `from`, in table order. */
export function transitionsFrom(from: EscrowStatus): TransitionRule[] {
  return TRANSITIONS.filter((rule) => rule.from === from);
}

/** Timer commands are exactly the deadline actions; only the `timer` actor runs them. */
export function isTimerCommand(command: EscrowCommand): command is DeadlineAction {
  return (
    command === "offer_expired" ||
    command === "delivery_timeout" ||
    command === "auto_release" ||
    command === "response_timeout" ||
    command === "negotiation_timeout"
  );
}
