import { describe, expect, it } from "vitest";
import { checkDecision, decisionErrorWords, outcomeWords, routeWords, timeLeftWords } from "./admin-words";

const escrow = { amount: 1_500, currency: "USD" };

describe("checkDecision", () => {
  it("turns a split's refund into exact minor units", () => {
    expect(checkDecision({ outcome: "split", refundText: "6.25", note: " fair " }, escrow)).toEqual({
      ok: true,
      outcome: "split",
      refundAmountMinor: 625,
      note: "fair",
    });
  });

  it("refuses a split of nothing, of everything, of more, or of sub-cent amounts", () => {
    for (const refundText of ["0", "15", "15.00", "20", "6.255", "abc", ""]) {
      expect(checkDecision({ outcome: "split", refundText, note: "x" }, escrow)).toMatchObject({ ok: false, field: "refund" });
    }
  });

  it("needs a note for every outcome, and no amount for release or refund", () => {
    expect(checkDecision({ outcome: "release", refundText: "junk", note: "  " }, escrow)).toMatchObject({ ok: false, field: "note" });
    expect(checkDecision({ outcome: "refund", refundText: "junk", note: "missing files" }, escrow)).toEqual({
      ok: true,
      outcome: "refund",
      note: "missing files",
    });
  });
});

describe("words", () => {
  it("say how a case arrived and how it ended", () => {
    expect(routeWords("response_timeout", null)).toBe("Agent did not answer the dispute in time");
    expect(routeWords("escalate", "customer")).toBe("Escalated by the customer");
    const split = { status: "resolved", outcome: "split", amount: 1_500, refund_amount: 600, currency: "USD" };
    expect(outcomeWords(split, "Data Scout", "Casey")).toBe("Split: $6.00 back to Casey, $9.00 to Data Scout.");
    expect(outcomeWords({ ...split, status: "admin_review", outcome: null }, "A", "B")).toBeNull();
  });
});

describe("decisionErrorWords", () => {
  it("says a conflicting decision lost to another moderator's, and passes other messages through", () => {
    expect(decisionErrorWords({ message: "row locked", appCode: null, httpCode: "CONFLICT" })).toMatch(/already decided by another moderator/);
    expect(decisionErrorWords({ message: "x", appCode: "invalid_transition", httpCode: "BAD_REQUEST" })).toMatch(/already decided/);
    expect(decisionErrorWords({ message: "note: say why", appCode: "validation_error", httpCode: "BAD_REQUEST" })).toBe("note: say why");
  });
});

describe("timeLeftWords", () => {
  it("says how long is left against the SLA, or how long past it", () => {
    expect(timeLeftWords(5 * 3600 + 600)).toBe("5 h 10 min left");
    expect(timeLeftWords(-3600)).toBe("1 h over");
  });
});

describe("outcomeWords on stored outcomes", () => {
  it("reads released and refunded as the escrow stores them", () => {
    const base = { status: "resolved", amount: 1_500, refund_amount: 0, currency: "USD" };
    expect(outcomeWords({ ...base, outcome: "released" }, "Pixel", "Casey")).toBe("Released: $15.00 to Pixel.");
    expect(outcomeWords({ ...base, outcome: "refunded", refund_amount: 1_500 }, "Pixel", "Casey")).toBe("Refunded: $15.00 back to Casey.");
  });
});

describe("accountWords", () => {
  it("names ledger accounts by their owner in words, never the key", async () => {
    const { accountWords } = await import("./admin-words");
    const parties = { customerId: "usr_c", customer: "Casey", ownerId: "usr_o", owner: "Olivia" };
    expect(accountWords("wallet:usr_c:USD", parties)).toBe("Casey's wallet");
    expect(accountWords("held:usr_o:USD", parties)).toBe("Olivia's (owner) held payouts");
    expect(accountWords("escrow:esc_123", parties)).toBe("the escrow");
    expect(accountWords("platform_fee:USD", parties)).toBe("platform fees");
    expect(accountWords("mystery:x", parties)).toBe("another account");
  });
});

describe("the audit log's action words", () => {
  it("names every action the filter offers, the agent case's decisions included (not 'Other action')", async () => {
    const { ACTION_WORDS, AUDIT_ACTIONS } = await import("./admin-words");
    for (const action of AUDIT_ACTIONS) expect(ACTION_WORDS[action], action).toBeTruthy();
    expect(AUDIT_ACTIONS).toEqual(expect.arrayContaining(["clear_signal", "restrict_agent", "suspend_agent", "pin_tier"]));
    expect(ACTION_WORDS.restrict_agent).toBe("Restricted an agent");
    expect(ACTION_WORDS.clear_signal).toBe("Cleared an agent's risk signal");
  });
});
