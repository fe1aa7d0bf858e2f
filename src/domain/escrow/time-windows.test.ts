// SPEC §3.1's default windows (PROTOCOL "Time settings"), in seconds: an offer lives 7 days; delivery grace,
// review, its one extension, the seller's response and negotiation each last 48 hours. Every other test
// shortens or equalises them, so a window swapped or miscounted here showed in no test (issue 23).
import { describe, expect, it } from "vitest";
import { DEFAULT_TIME_WINDOWS } from "./types";

describe("the default time windows", () => {
  it("are SPEC §3.1's, in seconds", () => {
    expect(DEFAULT_TIME_WINDOWS).toEqual({
      offerTtlS: 604_800,
      deliveryGraceS: 172_800,
      reviewWindowS: 172_800,
      reviewExtensionS: 172_800,
      responseWindowS: 172_800,
      negotiationWindowS: 172_800,
    });
    expect(Object.isFrozen(DEFAULT_TIME_WINDOWS)).toBe(true);
  });
});
