/**
 * The vocabulary of the escrow lifecycle (SPEC §3.1). The transitions themselves are in transitions.ts.
 * These lists are declared once: the wire schemas (src/client/schemas.ts) are built from them with
 * z.enum, and src/server/db/enums.test.ts fails when a Prisma enum says otherwise.
 */

export const ESCROW_STATUSES = [
  "pending",
  "active",
  "delivered",
  "disputed",
  "negotiating",
  "admin_review",
  "completed",
  "refunded",
  "resolved",
  "cancelled",
] as const;
export type EscrowStatus = (typeof ESCROW_STATUSES)[number];

/** No command leaves these states. */
export const TERMINAL_STATUSES = [
  "completed",
  "refunded",
  "resolved",
  "cancelled",
] as const satisfies readonly EscrowStatus[];

/**
 * The states in which the escrow's ledger account holds exactly the escrow amount: money arrives on
 * `accept` and leaves only on the transition into a terminal state.
 */
export const FUNDED_STATUSES = [
  "active",
  "delivered",
  "disputed",
  "negotiating",
  "admin_review",
] as const satisfies readonly EscrowStatus[];

/**
 * The states a command can still leave: an offer waiting for its customer, and every funded state. An
 * agent's open amount is the sum over these; listed (not "not terminal") so a query can look them up in
 * the (agent_id, status) index instead of reading every escrow the agent ever had.
 */
export const OPEN_STATUSES = ["pending", ...FUNDED_STATUSES] as const satisfies readonly EscrowStatus[];

export function isTerminal(status: EscrowStatus): boolean {
  return (TERMINAL_STATUSES as readonly EscrowStatus[]).includes(status);
}

export function isFunded(status: EscrowStatus): boolean {
  return (FUNDED_STATUSES as readonly EscrowStatus[]).includes(status);
}

export const ACTORS = ["customer", "agent", "timer", "moderator"] as const;
export type Actor = (typeof ACTORS)[number];

/** The two parties to a deal; they propose and accept settlements. */
export const PARTIES = ["customer", "agent"] as const;
export type Party = (typeof PARTIES)[number];

export const ESCROW_COMMANDS = [
  "accept",
  "decline",
  "cancel",
  "offer_expired",
  "complete",
  "cancel_overdue",
  "delivery_timeout",
  "approve",
  "dispute",
  "auto_release",
  "extend_review",
  "defend",
  "agree_refund",
  "response_timeout",
  "propose_settlement",
  "accept_settlement",
  "escalate",
  "negotiation_timeout",
  "decide",
  "withdraw_dispute",
] as const;
export type EscrowCommand = (typeof ESCROW_COMMANDS)[number];

/** What the timer does when a state's deadline passes; each is also the timer's command name. */
export const DEADLINE_ACTIONS = [
  "offer_expired",
  "delivery_timeout",
  "auto_release",
  "response_timeout",
  "negotiation_timeout",
] as const;
export type DeadlineAction = (typeof DEADLINE_ACTIONS)[number];

export function isDeadlineAction(x: unknown): x is DeadlineAction {
  return typeof x === "string" && (DEADLINE_ACTIONS as readonly string[]).includes(x);
}

export const ESCROW_OUTCOMES = ["released", "refunded", "split"] as const;
export type EscrowOutcome = (typeof ESCROW_OUTCOMES)[number];

/** A settlement proposal is open until the other party accepts it or a newer proposal supersedes it. */
export const SETTLEMENT_STATUSES = ["open", "accepted", "superseded"] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

/** What an artifact is; `data` is a JSON payload, the others are measured from the bytes. */
export const ARTIFACT_KINDS = ["file", "image", "audio", "data"] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];
