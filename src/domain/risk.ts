/**
 * Risk tiers (SPEC §6.5): what an agent may sell, and how long its released
 * money is held, follow from its record. New and poorly rated agents get low
 * caps and held payouts, so a seller who delivers junk and waits for the
 * auto-release cannot walk away with the money before disputes can catch up.
 */
import { rateBps, type Reputation } from "./reputation";

export const RISK_TIERS = ["new", "standard", "trusted", "restricted"] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export interface TierPolicy {
  /** Largest single escrow, in minor units. */
  maxEscrowMinor: number;
  /** Largest total of the agent's open (non-terminal) escrows, in minor units. */
  maxOpenMinor: number;
  /** How long released money stays held before it reaches the owner's wallet; 0 = not held. */
  payoutHoldS: number;
}

const DAY_S = 24 * 3600;

export const DEFAULT_TIER_POLICIES: Readonly<Record<RiskTier, TierPolicy>> = Object.freeze({
  new: { maxEscrowMinor: 250_00, maxOpenMinor: 1_000_00, payoutHoldS: 3 * DAY_S },
  standard: { maxEscrowMinor: 2_000_00, maxOpenMinor: 10_000_00, payoutHoldS: 0 },
  trusted: { maxEscrowMinor: 10_000_00, maxOpenMinor: 50_000_00, payoutHoldS: 0 },
  restricted: { maxEscrowMinor: 100_00, maxOpenMinor: 200_00, payoutHoldS: 7 * DAY_S },
});

/** Sales before an agent leaves the `new` tier. */
export const NEW_AGENT_SALES = 5;
/** Sales and the clean record needed for `trusted`. */
export const TRUSTED_SALES = 25;

/** The part of an agent's record its tier is judged on (a whole Reputation is one). */
export type TierRecord = Pick<Reputation, "finished" | "adminLosses" | "disputeRateBps" | "refundRateBps">;

/**
 * Counts of an agent's finished, funded sales, as a database can sum them without reading each sale:
 * the tier needs no more, so the release path (under the escrow's lock) and an offer (under the
 * agent's lock) read four numbers instead of the whole sales history with its audit trail.
 */
export interface SalesCounts {
  finished: number;
  /** Sales that were disputed at some point. */
  disputed: number;
  /** Sales whose whole amount went back to the customer. */
  refundedInFull: number;
  /** Sales a moderator decided against the seller (a refund or a split). */
  adminLosses: number;
}

/** The tier's record from the counts, with the rates rounded exactly as computeReputation rounds them. */
export function tierRecordOf(counts: SalesCounts): TierRecord {
  return {
    finished: counts.finished,
    adminLosses: counts.adminLosses,
    disputeRateBps: rateBps(counts.disputed, counts.finished),
    refundRateBps: rateBps(counts.refundedInFull, counts.finished),
  };
}

/**
 * Restricted first (a bad record outranks everything), then new, trusted,
 * and standard for the rest. Rates are basis points.
 */
export function riskTierFor(reputation: TierRecord): RiskTier {
  const sales = reputation.finished;
  const bad =
    reputation.adminLosses >= 2 ||
    (sales >= 3 && ((reputation.disputeRateBps ?? 0) >= 3_000 || (reputation.refundRateBps ?? 0) >= 3_000));
  if (bad) return "restricted";
  if (sales < NEW_AGENT_SALES) return "new";
  if (sales >= TRUSTED_SALES && (reputation.disputeRateBps ?? 0) <= 500 && reputation.adminLosses === 0) return "trusted";
  return "standard";
}

/** Why an offer does not fit its seller's tier, with the numbers the refusal states. */
export type OfferLimitBreach =
  | { kind: "per_escrow"; amountMinor: number; capMinor: number }
  | { kind: "open_total"; amountMinor: number; otherOpenMinor: number; capMinor: number };

/**
 * Whether an offer of `amountMinor` fits the seller's tier, given the total of its OTHER open
 * (non-terminal, pending included) escrows. All amounts are in the limits' currency. Pending offers
 * count: they can all be accepted at once, so only a total that holds for every acceptance is safe.
 * Checked when the offer is made and again when it is accepted (the tier may have dropped since).
 */
export function offerLimitBreach(policy: TierPolicy, amountMinor: number, otherOpenMinor: number): OfferLimitBreach | null {
  if (amountMinor > policy.maxEscrowMinor) return { kind: "per_escrow", amountMinor, capMinor: policy.maxEscrowMinor };
  if (otherOpenMinor + amountMinor > policy.maxOpenMinor) {
    return { kind: "open_total", amountMinor, otherOpenMinor, capMinor: policy.maxOpenMinor };
  }
  return null;
}

/** Where a release pays the seller's net: into the owner's wallet now, or held until `releaseAt`. */
export type PayoutRoute = { held: false } | { held: true; releaseAt: Date; riskTier: RiskTier };

/**
 * A new or risky agent's released money is held for its tier's `payoutHoldS` (SPEC §6.5), so disputes
 * can catch up with a seller who delivers junk and waits for the auto-release; 0 pays at once.
 */
export function payoutRouteFor(tier: RiskTier, policy: TierPolicy, releasedAt: Date): PayoutRoute {
  if (policy.payoutHoldS <= 0) return { held: false };
  return { held: true, releaseAt: new Date(releasedAt.getTime() + policy.payoutHoldS * 1000), riskTier: tier };
}
