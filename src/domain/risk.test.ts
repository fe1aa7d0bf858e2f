import { describe, expect, it } from "vitest";
import { DEFAULT_TIER_POLICIES, RISK_TIERS, SIGNAL_FREEZE_SCORE, freezesPromotion, offerLimitBreach, payoutRouteFor } from "./risk";

describe("tier policies", () => {
  it("holds a new seller's payouts 3 days and a restricted one's 7; standard and trusted are paid at once", () => {
    expect(DEFAULT_TIER_POLICIES.new.payoutHoldS).toBe(3 * 24 * 3600);
    expect(DEFAULT_TIER_POLICIES.restricted.payoutHoldS).toBe(7 * 24 * 3600);
    expect(DEFAULT_TIER_POLICIES.standard.payoutHoldS).toBe(0);
    expect(DEFAULT_TIER_POLICIES.trusted.payoutHoldS).toBe(0);
  });

  it("caps each tier's single escrow and open total (SPEC §6.5)", () => {
    expect(DEFAULT_TIER_POLICIES).toEqual({
      new: { maxEscrowMinor: 25_000, maxOpenMinor: 100_000, payoutHoldS: 259_200 },
      standard: { maxEscrowMinor: 200_000, maxOpenMinor: 1_000_000, payoutHoldS: 0 },
      trusted: { maxEscrowMinor: 1_000_000, maxOpenMinor: 5_000_000, payoutHoldS: 0 },
      restricted: { maxEscrowMinor: 10_000, maxOpenMinor: 20_000, payoutHoldS: 604_800 },
    });
    expect(Object.isFrozen(DEFAULT_TIER_POLICIES)).toBe(true);
  });

  it("names the tiers in order", () => {
    expect(RISK_TIERS).toEqual(["new", "standard", "trusted", "restricted"]);
  });

  it("freezes promotion from a signal score of SIGNAL_FREEZE_SCORE (self-dealing alone is 50)", () => {
    expect(SIGNAL_FREEZE_SCORE).toBe(50);
    expect(freezesPromotion(49)).toBe(false);
    expect(freezesPromotion(50)).toBe(true);
  });
});

describe("offerLimitBreach at the caps", () => {
  const policy = { maxEscrowMinor: 25_000, maxOpenMinor: 100_000, payoutHoldS: 0 };
  it("allows an open total of exactly the cap and refuses one unit more", () => {
    expect(offerLimitBreach(policy, 1, 99_999)).toBeNull();
    expect(offerLimitBreach(policy, 2, 99_999)).toEqual({ kind: "open_total", amountMinor: 2, otherOpenMinor: 99_999, capMinor: 100_000 });
    expect(offerLimitBreach(policy, 25_000, 0)).toBeNull();
  });
});

describe("payoutRouteFor", () => {
  const releasedAt = new Date("2026-03-01T12:00:00.000Z");
  it("pays at once when the tier holds nothing", () => {
    expect(payoutRouteFor("standard", DEFAULT_TIER_POLICIES.standard, releasedAt)).toEqual({ held: false });
    expect(payoutRouteFor("new", { ...DEFAULT_TIER_POLICIES.new, payoutHoldS: 0 }, releasedAt)).toEqual({ held: false });
  });
  it("holds for the tier's payoutHoldS from the release, naming the tier", () => {
    expect(payoutRouteFor("new", DEFAULT_TIER_POLICIES.new, releasedAt)).toEqual({
      held: true, riskTier: "new", releaseAt: new Date("2026-03-04T12:00:00.000Z"),
    });
    expect(payoutRouteFor("restricted", { ...DEFAULT_TIER_POLICIES.restricted, payoutHoldS: 1 }, releasedAt)).toEqual({
      held: true, riskTier: "restricted", releaseAt: new Date("2026-03-01T12:00:01.000Z"),
    });
  });
});
