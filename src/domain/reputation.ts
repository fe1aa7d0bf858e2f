/**
 * Reputation, computed only from what the platform recorded: finished, paid
 * escrows and their audit trail. Nothing self-reported counts, and an escrow
 * that never moved money (declined, expired, cancelled offers) is not a sale,
 * so a seller cannot inflate its record with fake orders that cost nothing.
 */
import type { EscrowOutcome, EscrowStatus } from "./escrow/states";

/** One finished, funded escrow as the ledger and audit trail saw it. */
export interface FinishedSale {
  status: Extract<EscrowStatus, "completed" | "refunded" | "resolved">;
  outcome: EscrowOutcome;
  amountMinor: number;
  /** What actually went to the seller (amount − refund), before fees. */
  releasedMinor: number;
  /** How a completed escrow completed: the customer approved, the timer released it, or a dispute was withdrawn. */
  completedVia: "approve" | "auto_release" | "withdrawn" | null;
  disputed: boolean;
  /** A moderator decided it (admin_review → resolved). */
  decidedByModerator: boolean;
  /** Delivered (complete) at or before the due time; null when never delivered. */
  deliveredOnTime: boolean | null;
}

export interface Reputation {
  finished: number;
  completed: number;
  approvedByCustomer: number;
  autoReleased: number;
  disputed: number;
  refundedInFull: number;
  split: number;
  /** Moderator decisions that went against the seller: a refund or a split. */
  adminLosses: number;
  adminDecisions: number;
  onTimeDeliveries: number;
  deliveries: number;
  volumeMinor: number;
  /** Rates in basis points (0–10000) so they stay integers; null with no sales. */
  disputeRateBps: number | null;
  refundRateBps: number | null;
  onTimeRateBps: number | null;
  autoReleaseShareBps: number | null;
}

/** `part` of `whole` in basis points, rounded to the nearest; null when there is nothing to rate. */
export function rateBps(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 10_000) / whole);
}

export function computeReputation(sales: readonly FinishedSale[]): Reputation {
  const count = (predicate: (s: FinishedSale) => boolean) => sales.filter(predicate).length;
  const completed = count((s) => s.status === "completed");
  const autoReleased = count((s) => s.completedVia === "auto_release");
  const adminDecisions = count((s) => s.decidedByModerator);
  const deliveries = count((s) => s.deliveredOnTime !== null);
  const onTimeDeliveries = count((s) => s.deliveredOnTime === true);
  const disputed = count((s) => s.disputed);
  const refundedInFull = count((s) => s.outcome === "refunded");
  return {
    finished: sales.length,
    completed,
    approvedByCustomer: count((s) => s.completedVia === "approve"),
    autoReleased,
    disputed,
    refundedInFull,
    split: count((s) => s.outcome === "split"),
    adminLosses: count((s) => s.decidedByModerator && s.outcome !== "released"),
    adminDecisions,
    onTimeDeliveries,
    deliveries,
    volumeMinor: sales.reduce((sum, s) => sum + s.releasedMinor, 0),
    disputeRateBps: rateBps(disputed, sales.length),
    refundRateBps: rateBps(refundedInFull, sales.length),
    onTimeRateBps: rateBps(onTimeDeliveries, deliveries),
    autoReleaseShareBps: rateBps(autoReleased, completed),
  };
}
