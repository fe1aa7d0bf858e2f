import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeReputation, type FinishedSale, type Reputation } from "./reputation";
import {
  DEFAULT_TIER_POLICIES, NEW_AGENT_SALES, RISK_TIERS, TRUSTED_SALES, offerLimitBreach, payoutRouteFor, riskTierFor, tierRecordOf,
  type SalesCounts,
} from "./risk";

const clean: FinishedSale = {
  status: "completed", outcome: "released", amountMinor: 1_000, releasedMinor: 1_000, completedVia: "approve",
  disputed: false, decidedByModerator: false, deliveredOnTime: true,
};
const lostInReview: FinishedSale = {
  ...clean, status: "resolved", outcome: "refunded", releasedMinor: 0, completedVia: null, disputed: true, decidedByModerator: true,
};
const times = (n: number, sale: FinishedSale) => Array.from({ length: n }, () => sale);

describe("riskTierFor", () => {
  it("starts every agent as new", () => {
    expect(riskTierFor(computeReputation([]))).toBe("new");
    expect(riskTierFor(computeReputation(times(4, clean)))).toBe("new");
  });
  it("promotes a clean record to standard, then trusted", () => {
    expect(riskTierFor(computeReputation(times(5, clean)))).toBe("standard");
    expect(riskTierFor(computeReputation(times(25, clean)))).toBe("trusted");
  });
  it("restricts an agent that loses moderator reviews or is disputed a lot, whatever its volume", () => {
    expect(riskTierFor(computeReputation([...times(40, clean), lostInReview, lostInReview]))).toBe("restricted");
    expect(riskTierFor(computeReputation([clean, clean, { ...clean, disputed: true, completedVia: "withdrawn" }]))).toBe("restricted");
  });
  it("keeps one bad review from blocking trust forever but not from standard", () => {
    expect(riskTierFor(computeReputation([...times(30, clean), lostInReview]))).toBe("standard");
  });
});

describe("offerLimitBreach", () => {
  const policy = { maxEscrowMinor: 25_000, maxOpenMinor: 100_000, payoutHoldS: 0 };
  it("allows offers up to both caps, exactly", () => {
    expect(offerLimitBreach(policy, 25_000, 75_000)).toBeNull();
    expect(offerLimitBreach(policy, 1, 0)).toBeNull();
  });
  it("names the cap that is passed: per escrow first, then the open total", () => {
    expect(offerLimitBreach(policy, 25_001, 0)).toEqual({ kind: "per_escrow", amountMinor: 25_001, capMinor: 25_000 });
    expect(offerLimitBreach(policy, 25_000, 75_001)).toEqual({ kind: "open_total", amountMinor: 25_000, otherOpenMinor: 75_001, capMinor: 100_000 });
  });
});

// A record as riskTierFor reads it; every test states only the facts it is about.
const record = (r: Partial<Reputation>): Reputation => ({
  ...computeReputation([]),
  finished: 10, completed: 10, disputed: 0, disputeRateBps: 0, refundRateBps: 0, adminLosses: 0,
  ...r,
});

describe("riskTierFor at every boundary", () => {
  it("restricts at two moderator losses, not one, whatever the volume", () => {
    expect(riskTierFor(record({ finished: 100, adminLosses: 1 }))).toBe("standard");
    expect(riskTierFor(record({ finished: 100, adminLosses: 2 }))).toBe("restricted");
    expect(riskTierFor(record({ finished: 0, disputeRateBps: null, refundRateBps: null, adminLosses: 2 }))).toBe("restricted");
  });

  it("restricts at a 30 % dispute rate, not 29.99 %", () => {
    expect(riskTierFor(record({ disputeRateBps: 2_999 }))).toBe("standard");
    expect(riskTierFor(record({ disputeRateBps: 3_000 }))).toBe("restricted");
    // the same through the record: 3 disputes in 10 sales
    const disputed = { ...clean, disputed: true, completedVia: "withdrawn" as const };
    expect(riskTierFor(computeReputation([...times(3, disputed), ...times(7, clean)]))).toBe("restricted");
  });

  it("restricts at a 30 % full-refund rate, not 29.99 %", () => {
    expect(riskTierFor(record({ refundRateBps: 2_999 }))).toBe("standard");
    expect(riskTierFor(record({ refundRateBps: 3_000 }))).toBe("restricted");
    expect(riskTierFor(record({ finished: 30, refundRateBps: 3_000 }))).toBe("restricted");
    const refunded: FinishedSale = { ...clean, status: "refunded", outcome: "refunded", releasedMinor: 0, completedVia: null };
    expect(riskTierFor(computeReputation([...times(3, refunded), ...times(7, clean)]))).toBe("restricted");
    expect(riskTierFor(computeReputation([...times(2, refunded), ...times(8, clean)]))).toBe("standard");
  });

  it("judges rates only from three sales on: two bad sales of two stay new", () => {
    expect(riskTierFor(record({ finished: 2, disputeRateBps: 10_000, refundRateBps: 10_000 }))).toBe("new");
    expect(riskTierFor(record({ finished: 3, disputeRateBps: 10_000 }))).toBe("restricted");
    expect(riskTierFor(record({ finished: 3, refundRateBps: 10_000 }))).toBe("restricted");
  });

  it("leaves new at five sales", () => {
    expect(riskTierFor(record({ finished: 4 }))).toBe("new");
    expect(riskTierFor(record({ finished: 5 }))).toBe("standard");
  });

  it("trusts from 25 sales with at most 5 % disputed and no moderator loss", () => {
    expect(riskTierFor(record({ finished: 24 }))).toBe("standard");
    expect(riskTierFor(record({ finished: 25 }))).toBe("trusted");
    expect(riskTierFor(record({ finished: 25, disputeRateBps: 500 }))).toBe("trusted");
    expect(riskTierFor(record({ finished: 25, disputeRateBps: 501 }))).toBe("standard");
    expect(riskTierFor(record({ finished: 1_000, disputeRateBps: 2_999 }))).toBe("standard");
    expect(riskTierFor(record({ finished: 25, adminLosses: 1 }))).toBe("standard");
    // 2 disputes in 40 sales is exactly 5 %
    const disputed = { ...clean, disputed: true, completedVia: "withdrawn" as const };
    expect(riskTierFor(computeReputation([...times(2, disputed), ...times(38, clean)]))).toBe("trusted");
    expect(riskTierFor(computeReputation([...times(3, disputed), ...times(37, clean)]))).toBe("standard");
  });
});

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

  it("names the tiers in order and the sales that move a seller between them", () => {
    expect(RISK_TIERS).toEqual(["new", "standard", "trusted", "restricted"]);
    expect([NEW_AGENT_SALES, TRUSTED_SALES]).toEqual([5, 25]);
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

/** The counts a database sums, from the same sales computeReputation reads one by one. */
function countsOf(sales: readonly FinishedSale[]): SalesCounts {
  return {
    finished: sales.length,
    disputed: sales.filter((s) => s.disputed).length,
    refundedInFull: sales.filter((s) => s.outcome === "refunded").length,
    adminLosses: sales.filter((s) => s.decidedByModerator && s.outcome !== "released").length,
  };
}

const saleArbitrary: fc.Arbitrary<FinishedSale> = fc.record({
  status: fc.constantFrom("completed" as const, "refunded" as const, "resolved" as const),
  outcome: fc.constantFrom("released" as const, "refunded" as const, "split" as const),
  amountMinor: fc.integer({ min: 1, max: 100_000 }),
  releasedMinor: fc.integer({ min: 0, max: 100_000 }),
  completedVia: fc.constantFrom("approve" as const, "auto_release" as const, "withdrawn" as const, null),
  disputed: fc.boolean(),
  decidedByModerator: fc.boolean(),
  deliveredOnTime: fc.constantFrom(true, false, null),
});

describe("tierRecordOf", () => {
  it("judges the same tier from the counts as from the whole record, for any sales", () => {
    fc.assert(
      fc.property(fc.array(saleArbitrary, { maxLength: 60 }), (sales) => {
        const reputation = computeReputation(sales);
        const record = tierRecordOf(countsOf(sales));
        expect(record).toEqual({
          finished: reputation.finished,
          adminLosses: reputation.adminLosses,
          disputeRateBps: reputation.disputeRateBps,
          refundRateBps: reputation.refundRateBps,
        });
        expect(riskTierFor(record)).toBe(riskTierFor(reputation));
      }),
      { numRuns: 500 },
    );
  });

  it("rounds a rate to the nearest basis point: 1 of 3 is 3,333, 2 of 3 is 6,667; none without sales", () => {
    expect(tierRecordOf({ finished: 3, disputed: 1, refundedInFull: 2, adminLosses: 0 })).toEqual({
      finished: 3, adminLosses: 0, disputeRateBps: 3_333, refundRateBps: 6_667,
    });
    expect(tierRecordOf({ finished: 0, disputed: 0, refundedInFull: 0, adminLosses: 0 })).toEqual({
      finished: 0, adminLosses: 0, disputeRateBps: null, refundRateBps: null,
    });
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
