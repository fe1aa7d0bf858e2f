/** Ledger transfers: each is one balanced movement from one account to another (SPEC §3.3). */

export const TRANSFER_KINDS = [
  "fund",
  "release",
  "fee",
  "refund",
  "topup",
  "payout",
  "hold_release",
  /** A payout the provider failed or reversed, returned to the wallet it left (issue 15). */
  "payout_reversal",
  /** A lost card dispute: the card network took the payment back (issue 15). */
  "chargeback",
  /** The evaluator's fee on release, out of the escrow (issue 18, src/domain/evaluator.ts). */
  "evaluator_fee",
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/**
 * The idempotency key of a money movement. An escrow funds, releases, charges a fee and refunds at
 * most once each, so (escrow, kind) names the operation; the database's unique index on it means a
 * replayed or racing command can never move the same money twice. For wallet top-ups and payouts
 * the first argument is the top-up or payout id.
 */
export function operationKey(escrowId: string, kind: TransferKind): string {
  return `${escrowId}:${kind}`;
}
