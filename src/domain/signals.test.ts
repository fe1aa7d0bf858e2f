import { describe, expect, it } from "vitest";
import {
  LENGTHENED_HOLD_S,
  SIGNAL_ACTIONS,
  SIGNAL_OPEN_SCORE,
  TRIVIAL_ARTIFACT_BYTES,
  collusionSignals,
  isSignalOpen,
  signalActionFor,
  signalPayoutHold,
  signalScore,
  type AgentActivityFacts,
} from "./signals";

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

const quiet: AgentActivityFacts = {
  sales: 0, autoReleased: 0, completed: 0, customerMessagesPerSale: 0, trivialDeliveries: 0, deliveries: 0,
  reusedArtifactEscrows: 0, selfDealing: 0, topBuyerSales: 0, adminLosses: 0,
};
const fired = (f: Partial<AgentActivityFacts>) => collusionSignals({ ...quiet, ...f });
const kindsOf = (f: Partial<AgentActivityFacts>) => fired(f).map((s) => s.kind);

describe("collusionSignals at each threshold, with the evidence a moderator reads", () => {
  it("self-dealing: from one purchase paid by the agent's own owner", () => {
    expect(kindsOf({ selfDealing: 0 })).toEqual([]);
    expect(fired({ selfDealing: 1 })).toEqual([
      { kind: "self_dealing", weight: 50, evidence: "1 purchase(s) paid by the agent's own owner" },
    ]);
  });

  it("auto-release without engagement: from 3 completions, at least 60 % by the timer, under 1 message per sale", () => {
    const base = { completed: 5, autoReleased: 3, customerMessagesPerSale: 0.5 };
    expect(fired(base)).toEqual([
      {
        kind: "auto_release_without_engagement",
        weight: 30,
        evidence: "3 of 5 completions by auto-release, 0.5 customer messages per sale",
      },
    ]);
    expect(kindsOf({ ...base, autoReleased: 2 })).toEqual([]); // 40 %
    expect(kindsOf({ completed: 10, autoReleased: 6, customerMessagesPerSale: 0 })).toEqual(["auto_release_without_engagement"]); // exactly 60 %
    expect(kindsOf({ completed: 10, autoReleased: 5, customerMessagesPerSale: 0 })).toEqual([]); // 50 %
    expect(kindsOf({ ...base, customerMessagesPerSale: 0.99 })).toEqual(["auto_release_without_engagement"]);
    expect(kindsOf({ ...base, customerMessagesPerSale: 1 })).toEqual([]);
    expect(kindsOf({ completed: 3, autoReleased: 3, customerMessagesPerSale: 0 })).toEqual(["auto_release_without_engagement"]);
    expect(kindsOf({ completed: 2, autoReleased: 2, customerMessagesPerSale: 0 })).toEqual([]);
  });

  it("trivial deliveries: from 2 deliveries, when at least half carry only tiny files", () => {
    expect(fired({ deliveries: 2, trivialDeliveries: 1 })).toEqual([
      { kind: "trivial_deliveries", weight: 20, evidence: "1 of 2 deliveries carry only files under 512 bytes" },
    ]);
    expect(kindsOf({ deliveries: 3, trivialDeliveries: 1 })).toEqual([]);
    expect(kindsOf({ deliveries: 1, trivialDeliveries: 1 })).toEqual([]);
    expect(TRIVIAL_ARTIFACT_BYTES).toBe(512);
  });

  it("reused artifacts: from the same file on 2 orders", () => {
    expect(kindsOf({ reusedArtifactEscrows: 1 })).toEqual([]);
    expect(fired({ reusedArtifactEscrows: 2 })).toEqual([
      { kind: "reused_artifacts", weight: 15, evidence: "the same file delivered on 2 different orders" },
    ]);
  });

  it("repeat buyer: from 4 sales, when one buyer made more than half of them", () => {
    expect(fired({ sales: 4, topBuyerSales: 3 })).toEqual([
      { kind: "repeat_buyer", weight: 15, evidence: "3 of 4 sales from one buyer" },
    ]);
    expect(kindsOf({ sales: 4, topBuyerSales: 2 })).toEqual([]); // exactly half
    expect(kindsOf({ sales: 3, topBuyerSales: 3 })).toEqual([]);
  });

  it("moderator losses: from one, weighted 10 each up to 5", () => {
    expect(kindsOf({ adminLosses: 0 })).toEqual([]);
    expect(fired({ adminLosses: 1 })).toEqual([{ kind: "admin_losses", weight: 10, evidence: "1 moderator decision(s) lost" }]);
    expect(fired({ adminLosses: 5 })[0]!.weight).toBe(50);
    expect(fired({ adminLosses: 9 })[0]!.weight).toBe(50);
  });

  it("scores the sum of the weights", () => {
    const all = fired({
      selfDealing: 1, completed: 3, autoReleased: 3, deliveries: 2, trivialDeliveries: 2, reusedArtifactEscrows: 2,
      sales: 4, topBuyerSales: 4, adminLosses: 2,
    });
    expect(signalScore(all)).toBe(50 + 30 + 20 + 15 + 15 + 20);
  });
});

describe("signal actions (issue 17)", () => {
  it("reads the table top to bottom: nothing below the open score, then lengthen, then hold", () => {
    expect(SIGNAL_OPEN_SCORE).toBe(30);
    expect(signalActionFor(29)).toBeNull();
    expect(signalActionFor(30)?.action).toBe("lengthen_hold");
    expect(signalActionFor(59)?.action).toBe("lengthen_hold");
    expect(signalActionFor(60)?.action).toBe("hold_payouts");
    expect(signalActionFor(500)?.action).toBe("hold_payouts");
    expect([...SIGNAL_ACTIONS].sort((a, b) => b.minScore - a.minScore)).toEqual(SIGNAL_ACTIONS);
  });
  it("a signal is open until a review clears its score; a higher score opens it again", () => {
    expect(isSignalOpen(29, null)).toBe(false);
    expect(isSignalOpen(30, null)).toBe(true);
    expect(isSignalOpen(65, { score: 65 })).toBe(false);
    expect(isSignalOpen(50, { score: 65 })).toBe(false);
    expect(isSignalOpen(80, { score: 65 })).toBe(true);
  });
  it("holds a payout for the later of the tier's release and the lengthened hold, or for review", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const lengthened = new Date(now.getTime() + LENGTHENED_HOLD_S * 1000);
    expect(signalPayoutHold(null, null, now)).toBeNull();
    expect(signalPayoutHold("lengthen_hold", null, now)).toEqual({ releaseAt: lengthened, signalHold: "lengthened" });
    const later = new Date(lengthened.getTime() + 1000);
    expect(signalPayoutHold("lengthen_hold", later, now)).toEqual({ releaseAt: later, signalHold: "lengthened" });
    expect(signalPayoutHold("hold_payouts", null, now)?.signalHold).toBe("review");
  });
});
