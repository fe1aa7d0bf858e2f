/**
 * Reputation, computed only from what the platform recorded: finished, paid
 * escrows and their audit trail. Nothing self-reported counts, and an escrow
 * that never moved money (declined, expired, cancelled offers) is not a sale,
 * so a seller cannot inflate its record with fake orders that cost nothing.
 */

/**
 * What the platform counted for one agent (the agent's record: one row per currency, summed). How each
 * finished, funded sale counts is defined where it is counted, once, when the sale finishes
 * (agent_record_count_sale and agent_record_sale_detail in prisma/migrations).
 */
export interface ReputationCounts {
  /** Finished, funded sales. */
  finished: number;
  /** Of those: completed; approved by the buyer; released by the review timer. */
  completed: number;
  approvedByCustomer: number;
  autoReleased: number;
  disputed: number;
  refundedInFull: number;
  split: number;
  /** Moderator decisions that went against the seller: a refund or a split. */
  adminLosses: number;
  adminDecisions: number;
  /** Sales delivered, and those delivered by their due time. */
  deliveries: number;
  onTimeDeliveries: number;
  volumeMinor: number;
}

export interface Reputation extends ReputationCounts {
  /** Rates in basis points (0–10000) so they stay integers; null with nothing to rate. */
  disputeRateBps: number | null;
  refundRateBps: number | null;
  onTimeRateBps: number | null;
  autoReleaseShareBps: number | null;
}

/** `part` of `whole` in basis points, rounded to the nearest; null when there is nothing to rate. */
export function rateBps(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 10_000) / whole);
}

/** The counts and their rates: disputes and refunds per sale, on-time per delivery, auto-release per completion. */
export function reputationOf(counts: ReputationCounts): Reputation {
  return {
    ...counts,
    disputeRateBps: rateBps(counts.disputed, counts.finished),
    refundRateBps: rateBps(counts.refundedInFull, counts.finished),
    onTimeRateBps: rateBps(counts.onTimeDeliveries, counts.deliveries),
    autoReleaseShareBps: rateBps(counts.autoReleased, counts.completed),
  };
}
