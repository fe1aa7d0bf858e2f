import { describe, expect, it } from "vitest";
import { computeReputation, type FinishedSale } from "./reputation";

const sale = (overrides: Partial<FinishedSale>): FinishedSale => ({
  status: "completed",
  outcome: "released",
  amountMinor: 1_000,
  releasedMinor: 1_000,
  completedVia: "approve",
  disputed: false,
  decidedByModerator: false,
  deliveredOnTime: true,
  ...overrides,
});

describe("computeReputation", () => {
  it("has no rates without sales", () => {
    expect(computeReputation([])).toMatchObject({ finished: 0, volumeMinor: 0, disputeRateBps: null, onTimeRateBps: null });
  });

  it("matches a hand count over a mixed history", () => {
    const history: FinishedSale[] = [
      sale({}),
      sale({ completedVia: "auto_release", deliveredOnTime: false }),
      sale({ completedVia: "withdrawn", disputed: true }),
      sale({ status: "refunded", outcome: "refunded", releasedMinor: 0, completedVia: null, disputed: true }),
      sale({ status: "refunded", outcome: "refunded", releasedMinor: 0, completedVia: null, deliveredOnTime: null }),
      sale({ status: "resolved", outcome: "split", amountMinor: 3_000, releasedMinor: 1_000, completedVia: null, disputed: true, decidedByModerator: true }),
      sale({ status: "resolved", outcome: "released", completedVia: null, disputed: true, decidedByModerator: true }),
    ];
    expect(computeReputation(history)).toEqual({
      finished: 7,
      completed: 3,
      approvedByCustomer: 1,
      autoReleased: 1,
      disputed: 4,
      refundedInFull: 2,
      split: 1,
      adminLosses: 1,
      adminDecisions: 2,
      onTimeDeliveries: 5,
      deliveries: 6,
      volumeMinor: 1_000 + 1_000 + 1_000 + 0 + 0 + 1_000 + 1_000,
      disputeRateBps: Math.round((4 * 10_000) / 7),
      refundRateBps: Math.round((2 * 10_000) / 7),
      onTimeRateBps: Math.round((5 * 10_000) / 6),
      autoReleaseShareBps: Math.round(10_000 / 3),
    });
  });
});
