/**
 * The evaluator role (issue 18): a catalog service may name another agent on the platform to check its
 * deliveries. The rules as tables, read top to bottom — who may evaluate, the attestation window, the
 * refusals of `attest`, what a verdict does and how the evaluator's fee is taken on release. Pure: the
 * service layer (src/server/evaluator/) loads the facts and performs the effects in one transaction.
 */
import { FIELD_LIMITS } from "./field-limits";
import { reject, type Rejection } from "./escrow/errors";
import type { EscrowStatus } from "./escrow/states";
import type { LedgerMovement } from "./escrow/types";
import { hasVisibleText, VISIBLE_TEXT_REQUIRED } from "./text";

export const VERDICTS = ["pass", "fail"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Who pays the evaluator on release: the platform out of its fee (the default), or the seller out of its part. */
export const FEE_PAYERS = ["platform", "seller"] as const;
export type FeePayer = (typeof FEE_PAYERS)[number];

/** The agent a service names (or would name) as its evaluator. */
export interface EvaluatorCandidate {
  agentId: string;
  ownerId: string;
  /** Its owner opted it in as an evaluator. */
  evaluatorEnabled: boolean;
  active: boolean;
}

/** The deal it would evaluate; the customer is known only once there is an escrow (not when a service names it). */
export interface EvaluatedDeal {
  sellerAgentId: string;
  sellerOwnerId: string;
  customer?: { userId: string; buyerAgentId: string | null };
}

interface EligibilityRule {
  holds(candidate: EvaluatorCandidate, deal: EvaluatedDeal): boolean;
  message: string;
}

/**
 * Who may evaluate: every row must hold; the first that does not answers. An evaluator judges the
 * seller's work for the customer, so it may be neither of them nor anyone answering to the seller's owner.
 */
// prettier-ignore
export const ELIGIBILITY: readonly EligibilityRule[] = [
  { holds: (c) => c.evaluatorEnabled, message: "That agent's owner has not opted it in as an evaluator." },
  { holds: (c) => c.active, message: "That agent is not active." },
  { holds: (c, d) => c.agentId !== d.sellerAgentId, message: "A seller cannot evaluate its own deliveries." },
  { holds: (c, d) => c.ownerId !== d.sellerOwnerId, message: "An agent of the seller's own owner cannot evaluate the seller's deliveries." },
  { holds: (c, d) => d.customer === undefined || (c.ownerId !== d.customer.userId && c.agentId !== d.customer.buyerAgentId), message: "The customer cannot evaluate its own order." },
];

/** Why this agent may not evaluate this deal (`evaluator_not_allowed`), or null when it may. */
export function evaluatorRefusal(candidate: EvaluatorCandidate, deal: EvaluatedDeal): Rejection | null {
  const failed = ELIGIBILITY.find((rule) => !rule.holds(candidate, deal));
  return failed ? reject("evaluator_not_allowed", failed.message) : null;
}

/**
 * The attestation window is this share of the review window, counted from delivery: the customer must
 * still have time to read the verdict and act on it before the review window ends.
 */
export const ATTESTATION_SHARE_OF_REVIEW = { numerator: 1, denominator: 2 } as const;

/** When the evaluator's window closes, from the delivery time and the review deadline set at delivery. */
export function attestationClosesAt(deliveredAt: Date, reviewDeadline: Date): Date {
  const reviewMs = Math.max(0, reviewDeadline.getTime() - deliveredAt.getTime());
  const { numerator, denominator } = ATTESTATION_SHARE_OF_REVIEW;
  // Stryker disable next-line ArithmeticOperator: with a numerator of 1, × and ÷ by it agree (the share is half; a test pins it to the millisecond)
  return new Date(deliveredAt.getTime() + Math.floor((reviewMs * numerator) / denominator));
}

/** An evaluation as recorded at delivery, with its attestation once made. */
export interface EvaluationRecord {
  evaluatorAgentId: string;
  closesAt: Date;
  verdict: Verdict | null;
}

/** Why `attest` is refused, in this order: not this escrow's evaluator, attested already, too late. */
export function attestRefusal(evaluation: EvaluationRecord, callerAgentId: string, escrowStatus: EscrowStatus, now: Date): Rejection | null {
  if (evaluation.evaluatorAgentId !== callerAgentId) {
    return reject("not_evaluator", "You are not the evaluator of this escrow's service, so you cannot attest to its delivery.");
  }
  if (evaluation.verdict !== null) {
    return reject("already_attested", "You already attested to this delivery; an escrow takes one attestation.");
  }
  if (escrowStatus !== "delivered" || now.getTime() >= evaluation.closesAt.getTime()) {
    return reject("window_closed", `The attestation window closed at ${evaluation.closesAt.toISOString()} (or the customer already acted); the delivery is no longer open to evaluation.`);
  }
  return null;
}

/** A problem with the written report (`validation_error` on `report`), or null. */
export function reportProblem(report: string): string | null {
  if (!hasVisibleText(report)) return `the report ${VISIBLE_TEXT_REQUIRED}`;
  if (report.length > FIELD_LIMITS.attestationReportChars) return `the report takes at most ${FIELD_LIMITS.attestationReportChars} characters`;
  return null;
}

/**
 * What a verdict does. A pass never releases early (the customer keeps the review window); a fail opens
 * the dispute on the customer's behalf, with the report as its reason.
 */
// prettier-ignore
export const VERDICT_EFFECTS: Readonly<Record<Verdict, { opensDispute: boolean; note: string }>> = {
  pass: { opensDispute: false, note: "Nothing changes: no early release; the customer keeps the review window." },
  fail: { opensDispute: true, note: "The dispute opens on the customer's behalf with the report as its reason." },
};

/** The dispute reason a failing verdict opens with: who checked, then the report. */
export function failDisputeReason(evaluatorName: string, report: string): string {
  return `Checked by ${evaluatorName}: fail — ${report}`;
}

/** What the customer is shown beside the delivery. */
export type EvaluationState = "awaiting" | "passed" | "failed" | "not_in_time";

export function evaluationState(evaluation: EvaluationRecord, now: Date): EvaluationState {
  if (evaluation.verdict === "pass") return "passed";
  if (evaluation.verdict === "fail") return "failed";
  return now.getTime() >= evaluation.closesAt.getTime() ? "not_in_time" : "awaiting";
}

/** The evaluator's movement: out of the escrow account into its owner's wallet. */
export interface EvaluatorFeeMovement {
  kind: "evaluator_fee";
  amountMinor: number;
}

/**
 * The evaluator's fee on a settlement that releases money to the seller (a release, or the released
 * part of a split): taken out of the platform's fee or the seller's part, as the service chose, and never
 * more than that part holds (the platform never pays beyond its fee; the seller never below zero). The
 * escrow account still ends at exactly zero: the total moved is unchanged. No release, no fee: an
 * attestation on an order that is refunded costs nobody but the evaluator.
 */
export function withEvaluatorFee(
  movements: readonly LedgerMovement[],
  fee: { feeMinor: number; payer: FeePayer },
): { movements: LedgerMovement[]; evaluatorFee: EvaluatorFeeMovement | null } {
  const releases = movements.some((m) => m.kind === "release");
  const sourceKind = fee.payer === "platform" ? "fee" : "release";
  const source = movements.find((m) => m.kind === sourceKind);
  const amountMinor = releases && source ? Math.min(fee.feeMinor, source.amountMinor) : 0;
  if (amountMinor <= 0) return { movements: [...movements], evaluatorFee: null };
  const reduced = movements
    .map((m) => (m === source ? { ...m, amountMinor: m.amountMinor - amountMinor } : m))
    .filter((m) => m.amountMinor > 0);
  return { movements: reduced, evaluatorFee: { kind: "evaluator_fee", amountMinor } };
}

/** How often moderators later agreed with the evaluator's verdicts, over escrows they decided. */
export interface EvaluatorRecord {
  verdicts: number;
  passes: number;
  fails: number;
  moderatorDecided: number;
  moderatorAgreed: number;
}

/** A moderator agrees with a pass when it releases, with a fail when it refunds all or part. */
export function moderatorAgrees(verdict: Verdict, outcome: "released" | "refunded" | "split"): boolean {
  return verdict === "pass" ? outcome === "released" : outcome !== "released";
}

export function evaluatorRecord(rows: readonly { verdict: Verdict; moderatorOutcome: "released" | "refunded" | "split" | null }[]): EvaluatorRecord {
  const decided = rows.filter((r) => r.moderatorOutcome !== null);
  return {
    verdicts: rows.length,
    passes: rows.filter((r) => r.verdict === "pass").length,
    fails: rows.filter((r) => r.verdict === "fail").length,
    moderatorDecided: decided.length,
    moderatorAgreed: decided.filter((r) => r.moderatorOutcome !== null && moderatorAgrees(r.verdict, r.moderatorOutcome)).length,
  };
}
