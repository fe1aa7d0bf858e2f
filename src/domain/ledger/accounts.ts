/**
 * Ledger accounts (SPEC §3.3). Each account has one currency; keys are stable strings so the service
 * can find-or-create an account by key inside the transaction that first moves money through it.
 */

export const LEDGER_ACCOUNT_KINDS = [
  "wallet",
  "held",
  "escrow",
  "platform_fee",
  "external_funding",
  "external_payout",
  "platform_loss",
] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

/**
 * Only the external accounts may go negative: they stand for money outside the platform (a card top-up
 * comes *from* external_funding, a bank payout goes *to* external_payout), so their balance is the
 * mirror image of what the platform holds. platform_loss too: a lost chargeback the customer's wallet
 * could not cover is the platform's own money gone, and its (negative) balance is that loss.
 * Every other account holds real money and cannot owe.
 */
export function mayGoNegative(kind: LedgerAccountKind): boolean {
  return kind === "external_funding" || kind === "external_payout" || kind === "platform_loss";
}

export function walletKey(userId: string, currency: string): string {
  return `wallet:${userId}:${currency}`;
}

/**
 * Released money a new or risky seller cannot withdraw yet (SPEC §6.5): it moves to the owner's
 * wallet when the hold ends, so "deliver junk, wait for auto-release, take the money" loses its payoff.
 */
export function heldKey(userId: string, currency: string): string {
  return `held:${userId}:${currency}`;
}

/** One account per escrow; its currency is the escrow's. */
export function escrowAccountKey(escrowId: string): string {
  return `escrow:${escrowId}`;
}

export function platformFeeKey(currency: string): string {
  return `platform_fee:${currency}`;
}

export function externalFundingKey(currency: string): string {
  return `external_funding:${currency}`;
}

export function externalPayoutKey(currency: string): string {
  return `external_payout:${currency}`;
}

/** Chargebacks lost beyond what the customer's wallet held, per currency (issue 15). */
export function platformLossKey(currency: string): string {
  return `platform_loss:${currency}`;
}
