import { describe, expect, it } from "vitest";
import { FIELD_LIMITS } from "./field-limits";

describe("FIELD_LIMITS", () => {
  it("states PROTOCOL.md's one limit: an Idempotency-Key of 1–255 characters", () => {
    expect(FIELD_LIMITS.idempotencyKeyChars).toBe(255);
  });

  it("takes a dispute reason of the agent API's 2,000 characters, whoever disputes", () => {
    expect(FIELD_LIMITS.disputeReasonChars).toBe(2_000);
  });

  it("gives every field a positive whole number of characters", () => {
    for (const [field, chars] of Object.entries(FIELD_LIMITS)) {
      expect(Number.isSafeInteger(chars) && chars > 0, field).toBe(true);
    }
  });
});
