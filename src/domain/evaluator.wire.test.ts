// The evaluator role (issue 18) as an agent and a customer read it: every refusal of `attest` word for word,
// the report's limit at its edge, the dispute reason a failing verdict opens with, and what each verdict does.
// (evaluator.test.ts covers the rules' outcomes; these pin the texts and edges issue 23's mutants found loose.)
import { describe, expect, it } from "vitest";
import { ATTESTATION_SHARE_OF_REVIEW, FEE_PAYERS, VERDICTS, VERDICT_EFFECTS, attestRefusal, attestationClosesAt, evaluatorRecord, evaluatorRefusal, failDisputeReason, moderatorAgrees, reportProblem, withEvaluatorFee } from "./evaluator";
import type { LedgerMovement } from "./escrow/types";
import { FIELD_LIMITS } from "./field-limits";

const T = new Date("2026-01-05T10:00:00.000Z");
const at = (h: number) => new Date(T.getTime() + h * 3_600_000);

describe("attest's refusals, as the evaluator agent reads them", () => {
  const evaluation = { evaluatorAgentId: "agt_eval", closesAt: at(24), verdict: null };

  it("not this escrow's evaluator", () => {
    expect(attestRefusal(evaluation, "agt_other", "delivered", at(1))).toEqual({
      code: "not_evaluator",
      message: "You are not the evaluator of this escrow's service, so you cannot attest to its delivery.",
    });
  });

  it("attested already", () => {
    expect(attestRefusal({ ...evaluation, verdict: "fail" }, "agt_eval", "delivered", at(1))).toEqual({
      code: "already_attested",
      message: "You already attested to this delivery; an escrow takes one attestation.",
    });
  });

  it("too late, naming when the window closed", () => {
    const closed = {
      code: "window_closed",
      message: "The attestation window closed at 2026-01-06T10:00:00.000Z (or the customer already acted); the delivery is no longer open to evaluation.",
    };
    expect(attestRefusal(evaluation, "agt_eval", "delivered", at(24))).toEqual(closed);
    expect(attestRefusal(evaluation, "agt_eval", "completed", at(1))).toEqual(closed);
  });
});

describe("who may evaluate, word for word", () => {
  const candidate = { agentId: "agt_eval", ownerId: "usr_eval", evaluatorEnabled: true, active: true };
  const deal = { sellerAgentId: "agt_seller", sellerOwnerId: "usr_seller", customer: { userId: "usr_customer", buyerAgentId: "agt_buyer" } };
  it.each([
    [{ ...candidate, evaluatorEnabled: false }, "That agent's owner has not opted it in as an evaluator."],
    [{ ...candidate, active: false }, "That agent is not active."],
    [{ ...candidate, agentId: "agt_seller" }, "A seller cannot evaluate its own deliveries."],
    [{ ...candidate, ownerId: "usr_seller" }, "An agent of the seller's own owner cannot evaluate the seller's deliveries."],
    [{ ...candidate, agentId: "agt_buyer" }, "The customer cannot evaluate its own order."],
  ])("%o is refused", (c, message) => {
    expect(evaluatorRefusal(c, deal)).toEqual({ code: "evaluator_not_allowed", message });
  });
});

describe("the attestation window", () => {
  it("is half the review window, rounded down to the millisecond", () => {
    expect(ATTESTATION_SHARE_OF_REVIEW).toEqual({ numerator: 1, denominator: 2 });
    expect(attestationClosesAt(T, new Date(T.getTime() + 3))).toEqual(new Date(T.getTime() + 1));
    expect(attestationClosesAt(T, new Date(T.getTime() + 1))).toEqual(T);
  });
});

describe("the written report", () => {
  it("takes exactly its limit, and one character more is refused with the limit named", () => {
    const limit = FIELD_LIMITS.attestationReportChars;
    expect(reportProblem("x".repeat(limit))).toBeNull();
    expect(reportProblem("x".repeat(limit + 1))).toBe(`the report takes at most ${limit} characters`);
    expect(reportProblem("")).toBe("the report must contain visible text (whitespace and invisible characters alone do not count)");
  });

  it("a failing verdict's dispute reason names the evaluator, then the report", () => {
    expect(failDisputeReason("Proofreader", "The logo is blank.")).toBe("Checked by Proofreader: fail — The logo is blank.");
  });
});

describe("what a verdict does", () => {
  it("a fail opens the dispute for the customer; a pass changes nothing", () => {
    expect(VERDICTS).toEqual(["pass", "fail"]);
    expect(VERDICT_EFFECTS.fail.opensDispute).toBe(true);
    expect(VERDICT_EFFECTS.pass.opensDispute).toBe(false);
    expect(FEE_PAYERS).toEqual(["platform", "seller"]);
  });

  it("a moderator agrees with a pass only by releasing, with a fail by refunding all or part", () => {
    expect(moderatorAgrees("pass", "released")).toBe(true);
    expect(moderatorAgrees("pass", "refunded")).toBe(false);
    expect(moderatorAgrees("pass", "split")).toBe(false);
    expect(moderatorAgrees("fail", "released")).toBe(false);
    expect(moderatorAgrees("fail", "refunded")).toBe(true);
    expect(moderatorAgrees("fail", "split")).toBe(true);
  });

  it("an undecided verdict is counted but never agreed with", () => {
    expect(evaluatorRecord([{ verdict: "fail", moderatorOutcome: null }])).toEqual({ verdicts: 1, passes: 0, fails: 1, moderatorDecided: 0, moderatorAgreed: 0 });
    expect(evaluatorRecord([])).toEqual({ verdicts: 0, passes: 0, fails: 0, moderatorDecided: 0, moderatorAgreed: 0 });
  });
});

describe("the evaluator's fee, only where the seller is paid", () => {
  const refund: LedgerMovement = { kind: "refund", from: "escrow", to: "buyer_wallet", amountMinor: 2_000 };
  const fee: LedgerMovement = { kind: "fee", from: "escrow", to: "platform_fee", amountMinor: 500 };
  const release: LedgerMovement = { kind: "release", from: "escrow", to: "seller_wallet", amountMinor: 2_500 };

  it("a refund that leaves the platform a fee pays the evaluator nothing, and moves the same money", () => {
    expect(withEvaluatorFee([refund, fee], { feeMinor: 100, payer: "platform" })).toEqual({ movements: [refund, fee], evaluatorFee: null });
  });

  it("a release with no platform fee pays a seller-paid evaluator out of the release", () => {
    expect(withEvaluatorFee([release], { feeMinor: 100, payer: "seller" })).toEqual({
      movements: [{ ...release, amountMinor: 2_400 }],
      evaluatorFee: { kind: "evaluator_fee", amountMinor: 100 },
    });
  });

  it("a zero fee leaves every movement as it was", () => {
    expect(withEvaluatorFee([release, fee], { feeMinor: 0, payer: "platform" }).movements).toEqual([release, fee]);
  });
});
