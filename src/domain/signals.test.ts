import { describe, expect, it } from "vitest";
import { collusionSignals, signalScore, type AgentActivityFacts } from "./signals";

const honest: AgentActivityFacts = {
  sales: 10, autoReleased: 2, completed: 9, customerMessagesPerSale: 3.5, trivialDeliveries: 0, deliveries: 10,
  reusedArtifactEscrows: 0, selfDealing: 0, topBuyerSales: 2, adminLosses: 0,
};

describe("collusionSignals", () => {
  it("finds nothing in an honest record", () => {
    expect(collusionSignals(honest)).toEqual([]);
  });
  it("flags each pattern with its evidence", () => {
    const kinds = collusionSignals({
      ...honest, autoReleased: 8, customerMessagesPerSale: 0.2, trivialDeliveries: 6, reusedArtifactEscrows: 4,
      selfDealing: 1, topBuyerSales: 7, adminLosses: 2,
    }).map((s) => s.kind);
    expect(kinds).toEqual(["self_dealing", "auto_release_without_engagement", "trivial_deliveries", "reused_artifacts", "repeat_buyer", "admin_losses"]);
  });
  it("scores by weight so the worst records rank first", () => {
    const selfDealer = signalScore(collusionSignals({ ...honest, selfDealing: 2 }));
    const oneLoss = signalScore(collusionSignals({ ...honest, adminLosses: 1 }));
    expect(selfDealer).toBeGreaterThan(oneLoss);
    expect(signalScore([])).toBe(0);
  });
  it("needs enough history before calling a pattern", () => {
    expect(collusionSignals({ ...honest, sales: 2, completed: 2, autoReleased: 2, customerMessagesPerSale: 0, topBuyerSales: 2 })).toEqual([]);
  });
});
