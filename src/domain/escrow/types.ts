/**
 * The shapes decide() reads and returns. Kept apart from decide.ts so guards and effects can share
 * them without import cycles; decide.ts re-exports all of them (import from "~/domain/escrow/decide").
 */
import type { ArtifactContract, DeliveredArtifact } from "./delivery";
import type { SideEffects } from "./side-effects";
import type { Rejection } from "./errors";
import type { DeadlineAction, EscrowOutcome, EscrowStatus, Party } from "./states";

/** Every window of SPEC §3.1, in seconds, so tests and demos can shorten them (PROTOCOL "Time settings"). */
export interface TimeWindows {
  offerTtlS: number;
  deliveryGraceS: number;
  reviewWindowS: number;
  reviewExtensionS: number;
  responseWindowS: number;
  negotiationWindowS: number;
}

const HOUR_S = 60 * 60;

export const DEFAULT_TIME_WINDOWS: TimeWindows = Object.freeze({
  offerTtlS: 7 * 24 * HOUR_S,
  deliveryGraceS: 48 * HOUR_S,
  reviewWindowS: 48 * HOUR_S,
  reviewExtensionS: 48 * HOUR_S,
  responseWindowS: 48 * HOUR_S,
  negotiationWindowS: 48 * HOUR_S,
});

/** The one open settlement proposal of a negotiating escrow (a new proposal supersedes it). */
export interface OpenSettlement {
  id: string;
  proposedBy: Party;
  refundAmountMinor: number;
}

/** What decide() needs to know about an escrow; the service loads it from the database. */
export interface EscrowSnapshot {
  status: EscrowStatus;
  amountMinor: number;
  feeBps: number;
  deadline: Date | null;
  deadlineAction: DeadlineAction | null;
  dueAt: Date | null;
  deliveryInHours: number | null;
  reviewExtended: boolean;
  openSettlement: OpenSettlement | null;
  /**
   * The open dispute is the one the evaluator's `fail` opened on the customer's behalf (issue 18) and nothing
   * has happened on the escrow since (the service compares the escrow's version). Absent = false.
   */
  disputeOpenedByEvaluator?: boolean;
}

export type CommandInput =
  | { command: "accept" }
  | { command: "decline" }
  | { command: "cancel"; reason?: string }
  | { command: "offer_expired" }
  | { command: "delivery_timeout" }
  | {
      command: "auto_release";
      /**
       * The seller's agent has an open signal and the customer stayed silent since the delivery (issue 17
       * item 4): the money is not released on silence; the escrow goes to a moderator instead
       * (HELD_AUTO_RELEASE_RULE). Absent = false.
       */
      agentUnderReview?: boolean;
    }
  | { command: "response_timeout" }
  | { command: "negotiation_timeout" }
  | {
      command: "complete";
      /** Artifacts the agent sent on this escrow after its last status change (the service filters by time). */
      artifactsSinceStatusChange: DeliveredArtifact[];
      contract: ArtifactContract | null;
    }
  | { command: "cancel_overdue" }
  | { command: "approve" }
  | { command: "dispute"; reason: string }
  | { command: "extend_review" }
  | { command: "defend"; explanation: string }
  | { command: "agree_refund" }
  | { command: "propose_settlement"; refundAmountMinor: number }
  | { command: "accept_settlement"; settlementId: string }
  | { command: "escalate" }
  | { command: "decide"; outcome: "release" | "refund" | "split"; refundAmountMinor?: number; note: string }
  | { command: "withdraw_dispute" };

/** The ledger accounts a movement touches, by role; the service maps roles to account keys. */
export type AccountRole = "buyer_wallet" | "escrow" | "seller_wallet" | "platform_fee";

export type LedgerMovement = {
  kind: "fund" | "release" | "fee" | "refund";
  from: AccountRole;
  to: AccountRole;
  amountMinor: number;
};

export interface EscrowPatch {
  deadline: Date | null;
  deadlineAction: DeadlineAction | null;
  dueAt?: Date | null;
  disputeReason?: string;
  outcome?: EscrowOutcome;
  refundAmountMinor?: number;
  /** The fee actually charged: on release the full fee, on refund 0, on split the fee on the released part. */
  feeAmountMinor?: number;
  reviewExtended?: boolean;
}

export type SettlementEffect =
  | { action: "propose"; proposedBy: Party; refundAmountMinor: number }
  | { action: "accept"; settlementId: string }
  /** Negotiation ended without the proposal: the open one is superseded. */
  | { action: "close" };

export interface Decision {
  ok: true;
  from: EscrowStatus;
  to: EscrowStatus;
  statusChanged: boolean;
  /** True only for `complete` on an already delivered escrow: idempotent, nothing is written. */
  noop: boolean;
  /** Fields to write; fields left undefined keep their value. */
  patch: EscrowPatch;
  /** Balanced movements, each from one account to another; zero amounts are omitted. */
  ledger: LedgerMovement[];
  settlement?: SettlementEffect;
  /** PROTOCOL event type and data (snake_case); the service adds `escrow` (and `settlement`). */
  agentEvent: { type: string; data: Record<string, unknown> };
  /** A plain-words line for the conversation (trusted platform text: never quotes party input). */
  systemMessage: string | null;
  /** The reason, explanation or note given, for the audit trail. */
  auditReason: string | null;
  /** The row's alerts and timers (side-effects.ts), for the service to write with the change. */
  sideEffects: SideEffects;
}

export type DecideResult = Decision | { ok: false; rejection: Rejection };
