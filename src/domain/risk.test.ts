import { describe, expect, it } from "vitest";
import { computeReputation, type FinishedSale } from "./reputation";
import { offerLimitBreach, riskTierFor } from "./risk";

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
