// The refusal every transport maps (PROTOCOL "Errors"): the code, the HTTP class and the sentence an agent
// or a person reads, as a DomainError carries them (issue 23: errors.ts had no test of its own).
import { describe, expect, it } from "vitest";
import { DomainError, REJECTIONS, isDomainError, reject } from "./errors";

describe("DomainError", () => {
  it("carries the code, its HTTP class and the sentence, and names itself", () => {
    const error = new DomainError(reject("window_closed", "The attestation window closed."));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("DomainError");
    expect(error.message).toBe("The attestation window closed.");
    expect(error.code).toBe("window_closed");
    expect(error.status).toBe(409);
    expect(error.toRejection()).toEqual({ code: "window_closed", message: "The attestation window closed." });
    expect(String(error)).toBe("DomainError: The attestation window closed.");
  });

  it("keeps details only when given (a transport adds them to the error body)", () => {
    expect(new DomainError(reject("conflict", "Try again.")).details).toBeUndefined();
    expect(new DomainError(reject("conflict", "Try again."), { retry_after_s: 1 }).details).toEqual({ retry_after_s: 1 });
  });

  it("is recognised, and nothing else is", () => {
    expect(isDomainError(new DomainError(reject("forbidden", "No.")))).toBe(true);
    expect(isDomainError(new Error("No."))).toBe(false);
    expect(isDomainError({ code: "forbidden", status: 403, message: "No." })).toBe(false);
  });
});

describe("the HTTP class of every refusal", () => {
  it("409 when the state or clock does not allow it now, 403 when never, 422 when the input does not hold", () => {
    const byStatus = (status: number) => Object.entries(REJECTIONS).filter(([, r]) => r.status === status).map(([code]) => code);
    expect(byStatus(409)).toEqual(["invalid_transition", "deadline_not_reached", "conflict", "window_closed", "already_attested"]);
    expect(byStatus(403)).toEqual(["forbidden", "not_evaluator"]);
    expect(byStatus(422)).toEqual([
      "escrow_not_funded", "no_artifact_since_last_status_change", "artifact_contract_unmet", "explanation_required", "reason_required",
      "note_required", "amount_out_of_range", "not_overdue", "review_already_extended", "settlement_not_found", "insufficient_funds",
      "purchasing_not_enabled", "purchase_not_allowed", "spending_limit_exceeded", "evaluator_not_allowed", "dispute_not_withdrawable",
    ]);
    expect(byStatus(409).length + byStatus(403).length + byStatus(422).length).toBe(Object.keys(REJECTIONS).length);
  });
});
