import { describe, expect, it } from "vitest";
import {
  attestationClosesAt, attestRefusal, evaluationState, evaluatorRecord, evaluatorRefusal, failDisputeReason, reportProblem, withEvaluatorFee,
  type EvaluatorCandidate,
} from "./evaluator";
import { FIELD_LIMITS } from "./field-limits";
import type { LedgerMovement } from "./escrow/types";

const candidate: EvaluatorCandidate = { agentId: "agt_eval", ownerId: "usr_eval", evaluatorEnabled: true, active: true };
const deal = { sellerAgentId: "agt_seller", sellerOwnerId: "usr_seller", customer: { userId: "usr_customer", buyerAgentId: null } };
const T = new Date("2026-01-05T10:00:00.000Z");
const at = (h: number) => new Date(T.getTime() + h * 3_600_000);

describe("who may evaluate", () => {
  it("an opted-in, active agent of another owner than the seller's and the customer's", () => {
    expect(evaluatorRefusal(candidate, deal)).toBeNull();
  });
  it.each([
    ["not opted in", { ...candidate, evaluatorEnabled: false }, deal, "not opted it in"],
    ["inactive", { ...candidate, active: false }, deal, "not active"],
    ["the seller", { ...candidate, agentId: "agt_seller", ownerId: "usr_seller" }, deal, "its own deliveries"],
    ["the seller's sibling", { ...candidate, ownerId: "usr_seller" }, deal, "seller's own owner"],
    ["the customer's agent", { ...candidate, ownerId: "usr_customer" }, deal, "customer"],
    ["the buying agent", candidate, { ...deal, customer: { userId: "usr_x", buyerAgentId: "agt_eval" } }, "customer"],
  ])("refuses %s", (_name, c, d, words) => {
    expect(evaluatorRefusal(c, d)).toEqual({ code: "evaluator_not_allowed", message: expect.stringContaining(words) as string });
  });
  it("does not know the customer before there is an escrow", () => {
    expect(evaluatorRefusal({ ...candidate, ownerId: "usr_customer" }, { sellerAgentId: "agt_seller", sellerOwnerId: "usr_seller" })).toBeNull();
  });
});

describe("the attestation window and attest's refusals", () => {
  it("closes half-way through the review window", () => {
    expect(attestationClosesAt(T, at(48))).toEqual(at(24));
    expect(attestationClosesAt(T, at(-1))).toEqual(T);
  });
  const evaluation = { evaluatorAgentId: "agt_eval", closesAt: at(24), verdict: null };
  it("refuses in order: not the evaluator, already attested, window closed", () => {
    expect(attestRefusal(evaluation, "agt_other", "delivered", at(1))?.code).toBe("not_evaluator");
    expect(attestRefusal({ ...evaluation, verdict: "pass" }, "agt_eval", "delivered", at(30))?.code).toBe("already_attested");
    expect(attestRefusal(evaluation, "agt_eval", "delivered", at(24))?.code).toBe("window_closed");
    expect(attestRefusal(evaluation, "agt_eval", "disputed", at(1))?.code).toBe("window_closed");
    expect(attestRefusal(evaluation, "agt_eval", "delivered", at(23.9))).toBeNull();
  });
  it("shows awaiting, then not in time; a verdict wins", () => {
    expect(evaluationState(evaluation, at(1))).toBe("awaiting");
    expect(evaluationState(evaluation, at(24))).toBe("not_in_time");
    expect(evaluationState({ ...evaluation, verdict: "fail" }, at(30))).toBe("failed");
    expect(evaluationState({ ...evaluation, verdict: "pass" }, at(1))).toBe("passed");
  });
  it("needs a visible report within the limit; a fail's reason fits a dispute reason", () => {
    expect(reportProblem("\u200b ")).toContain("visible");
    expect(reportProblem("x".repeat(FIELD_LIMITS.attestationReportChars + 1))).toContain(String(FIELD_LIMITS.attestationReportChars));
    expect(reportProblem("Blank image.")).toBeNull();
    const longest = failDisputeReason("x".repeat(FIELD_LIMITS.agentDisplayNameChars), "y".repeat(FIELD_LIMITS.attestationReportChars));
    expect(longest.length).toBeLessThanOrEqual(FIELD_LIMITS.disputeReasonChars);
  });
});

describe("the fee on release", () => {
  const release: LedgerMovement[] = [
    { kind: "release", from: "escrow", to: "seller_wallet", amountMinor: 2_250 },
    { kind: "fee", from: "escrow", to: "platform_fee", amountMinor: 250 },
  ];
  const total = (m: readonly LedgerMovement[], fee: number) => m.reduce((s, x) => s + x.amountMinor, 0) + fee;
  it("comes out of the platform's fee, or the seller's part; the total moved is unchanged", () => {
    const platform = withEvaluatorFee(release, { feeMinor: 100, payer: "platform" });
    expect(platform.movements.map((m) => m.amountMinor)).toEqual([2_250, 150]);
    expect(total(platform.movements, platform.evaluatorFee?.amountMinor ?? 0)).toBe(2_500);
    const seller = withEvaluatorFee(release, { feeMinor: 100, payer: "seller" });
    expect(seller.movements.map((m) => m.amountMinor)).toEqual([2_150, 250]);
  });
  it("never takes more than its source holds (the movement emptied is dropped)", () => {
    const capped = withEvaluatorFee(release, { feeMinor: 1_000, payer: "platform" });
    expect(capped.evaluatorFee?.amountMinor).toBe(250);
    expect(capped.movements).toEqual([release[0]]);
  });
  it("nothing on a refund or for a zero fee", () => {
    expect(withEvaluatorFee([{ kind: "refund", from: "escrow", to: "buyer_wallet", amountMinor: 2_500 }], { feeMinor: 100, payer: "seller" }).evaluatorFee).toBeNull();
    expect(withEvaluatorFee(release, { feeMinor: 0, payer: "platform" }).evaluatorFee).toBeNull();
  });
});

describe("the public record", () => {
  it("counts verdicts and the moderator's agreement", () => {
    expect(
      evaluatorRecord([
        { verdict: "pass", moderatorOutcome: null },
        { verdict: "fail", moderatorOutcome: "refunded" },
        { verdict: "fail", moderatorOutcome: "released" },
        { verdict: "pass", moderatorOutcome: "released" },
        { verdict: "fail", moderatorOutcome: "split" },
      ]),
    ).toEqual({ verdicts: 5, passes: 2, fails: 3, moderatorDecided: 4, moderatorAgreed: 3 });
  });
});
