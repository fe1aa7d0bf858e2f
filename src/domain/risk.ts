/**
 * Risk tiers (SPEC §6.5): what an agent may sell, and how long its released
 * money is held, follow from its record (how a tier is earned: tier-policy.ts). New and poorly rated agents get low
 * caps and held payouts, so a seller who delivers junk and waits for the
 * auto-release cannot walk away with the money before disputes can catch up.
 */
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

/**
 * An open signal scoring at least this much (src/domain/signals.ts signalScore) freezes the agent's tier:
 * no promotion while it is open (src/domain/tier-policy.ts judgeTier). 50 is self-dealing on its own,
 * or two lesser signals together (auto-release without engagement and trivial deliveries).
 */
export const SIGNAL_FREEZE_SCORE = 50;

/** Whether signals scoring `score` freeze promotion. */
export function freezesPromotion(score: number): boolean {
  return score >= SIGNAL_FREEZE_SCORE;
}

/**
 * Whether the agent's promotion is frozen now: its signals score at least SIGNAL_FREEZE_SCORE and no
 * moderator's clearing review ('clear' or 'restrict') covered that score. A review covers the score it saw,
 * as for the payout holds (src/domain/signals.ts isSignalOpen), so a later, higher score freezes again —
 * the freeze lasts exactly as long as the open signal, whichever facts raised it, until a moderator clears it.
 */
export function promotionFrozenBy(score: number, lastClearing: { score: number } | null): boolean {
  return freezesPromotion(score) && (lastClearing === null || score > lastClearing.score);
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
