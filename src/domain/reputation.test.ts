import { describe, expect, it } from "vitest";
import { rateBps, reputationOf, type ReputationCounts } from "./reputation";

const none: ReputationCounts = {
  finished: 0,
  completed: 0,
  approvedByCustomer: 0,
  autoReleased: 0,
  disputed: 0,
  refundedInFull: 0,
  split: 0,
  adminLosses: 0,
  adminDecisions: 0,
  deliveries: 0,
  onTimeDeliveries: 0,
  volumeMinor: 0,
};

describe("reputationOf", () => {
  it("has no rates without sales, deliveries or completions", () => {
    expect(reputationOf(none)).toEqual({ ...none, disputeRateBps: null, refundRateBps: null, onTimeRateBps: null, autoReleaseShareBps: null });
  });

  it("rates each figure against its own whole, in basis points rounded to the nearest", () => {
    const counts: ReputationCounts = {
      ...none,
      finished: 7,
      completed: 3,
      approvedByCustomer: 1,
      autoReleased: 1,
      disputed: 4,
      refundedInFull: 2,
      split: 1,
      adminLosses: 1,
      adminDecisions: 2,
      deliveries: 6,
      onTimeDeliveries: 5,
      volumeMinor: 5_000,
    };
    expect(reputationOf(counts)).toEqual({
      ...counts,
      disputeRateBps: 5_714, // 4 / 7 sales
      refundRateBps: 2_857, // 2 / 7 sales
      onTimeRateBps: 8_333, // 5 / 6 deliveries
      autoReleaseShareBps: 3_333, // 1 / 3 completions
    });
  });
});

describe("rateBps", () => {
  it("is null with nothing to rate, else the share rounded half up", () => {
    expect(rateBps(0, 0)).toBeNull();
    expect(rateBps(0, 5)).toBe(0);
    expect(rateBps(5, 5)).toBe(10_000);
    expect(rateBps(1, 8)).toBe(1_250);
    expect(rateBps(1, 20_000)).toBe(1); // 0.5 bp rounds up
    expect(rateBps(1, 30_000)).toBe(0);
  });
});
