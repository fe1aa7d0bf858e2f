import { describe, expect, it } from "vitest";
import { DEFAULT_TIME_WINDOWS, decide } from "./decide";
import { deadlineAfter, moneyEffect } from "./effects";
import { findTransition } from "./transitions";
import { LONG_AFTER, T0, snapshotIn } from "~/test/domain-fixtures";

function row(from: Parameters<typeof findTransition>[0], command: Parameters<typeof findTransition>[1]) {
  const rule = findTransition(from, command);
  if (!rule) throw new Error(`no row ${from}/${command}`);
  return rule;
}

describe("money effects that the guards make unreachable fail loudly instead of moving money", () => {
  it("a split without an open settlement", () => {
    const escrow = snapshotIn("negotiating", { openSettlement: null });
    expect(() =>
      moneyEffect(row("negotiating", "accept_settlement"), escrow, {
        command: "accept_settlement",
        settlementId: "stl_1",
      }),
    ).toThrow("split without an open settlement: guard missing");
  });

  it("a decision's ledger effect for another command", () => {
    expect(() =>
      moneyEffect(row("admin_review", "decide"), snapshotIn("admin_review"), { command: "approve" }),
    ).toThrow("ledger by_outcome needs a decide command, got approve");
  });

  it("a split decision without a refund amount", () => {
    expect(() =>
      moneyEffect(row("admin_review", "decide"), snapshotIn("admin_review"), {
        command: "decide",
        outcome: "split",
        note: "n",
      }),
    ).toThrow("split decision without refund: guard missing");
  });
});

describe("extending a review window that has no deadline", () => {
  it("keeps no deadline rather than inventing one", () => {
    const escrow = snapshotIn("delivered", { deadline: null });
    const result = decide(escrow, { command: "extend_review" }, "customer", LONG_AFTER, DEFAULT_TIME_WINDOWS, "USD");
    expect(result.ok && result.patch).toEqual({ deadline: null, deadlineAction: "auto_release", reviewExtended: true });
    expect(result.ok && result.agentEvent.data).toEqual({ deadline: null });
  });

  it("a second extension without a deadline is refused without naming a time", () => {
    const escrow = snapshotIn("delivered", { deadline: null, reviewExtended: true });
    const result = decide(escrow, { command: "extend_review" }, "customer", LONG_AFTER, DEFAULT_TIME_WINDOWS, "USD");
    expect(result.ok ? null : result.rejection).toEqual({
      code: "review_already_extended",
      message: "The review window can be extended only once, and it already was.",
    });
  });
});

describe("deadlineAfter", () => {
  it("a state entered with the offer deadline gets the offer TTL from now (no row does so today)", () => {
    const rule = { ...row("pending", "decline"), deadline: "offer_expired" as const };
    const windows = { ...DEFAULT_TIME_WINDOWS, offerTtlS: 1234 };
    expect(deadlineAfter(rule, snapshotIn("pending"), { command: "decline" }, T0, windows)).toEqual({
      deadline: new Date(T0.getTime() + 1_234_000),
      deadlineAction: "offer_expired",
    });
  });
});
