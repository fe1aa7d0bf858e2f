// Issue 18: the evaluator's `fail` opens the dispute on the customer's behalf, and the customer can withdraw
// it — only that dispute, only before the agent answers (disputed is left by the agent's defend or
// agree_refund), only the customer. The delivery is back in review with the review window restarted.
import { describe, expect, it } from "vitest";
import { allowedActions, decide } from "./decide";
import { DEFAULT_TIME_WINDOWS } from "./types";
import { T0, snapshotIn } from "~/test/domain-fixtures";

const NOW = new Date(T0.getTime() + 3_600_000);
const byEvaluator = snapshotIn("disputed", { disputeOpenedByEvaluator: true, reviewExtended: true });

describe("withdraw_dispute", () => {
  it("the customer withdraws the evaluator's dispute: delivered, the whole review window from now, nothing moves, the agent hears escrow.dispute_withdrawn", () => {
    const result = decide(byEvaluator, { command: "withdraw_dispute" }, "customer", NOW, DEFAULT_TIME_WINDOWS, "USD");
    if (!result.ok) throw new Error(result.rejection.message);
    expect(result).toMatchObject({ from: "disputed", to: "delivered", statusChanged: true, ledger: [] });
    expect(result.patch).toEqual({ deadline: new Date(NOW.getTime() + DEFAULT_TIME_WINDOWS.reviewWindowS * 1000), deadlineAction: "auto_release" });
    expect(result.agentEvent).toEqual({ type: "escrow.dispute_withdrawn", data: {} });
    expect(result.sideEffects.timers).toEqual(["deadline", "review_reminder"]);
  });

  it("a dispute the customer opened is not withdrawable this way, and is not offered", () => {
    const own = snapshotIn("disputed");
    const result = decide(own, { command: "withdraw_dispute" }, "customer", NOW, DEFAULT_TIME_WINDOWS, "USD");
    expect(result).toMatchObject({ ok: false, rejection: { code: "dispute_not_withdrawable" } });
    // The refusal says which dispute can be withdrawn, and what ends one the customer opened.
    expect(result.ok ? "" : result.rejection.message).toMatch(/^Only a dispute the evaluator opened on your behalf can be withdrawn, and only before the agent answers it\. To end a dispute you opened yourself, approve the delivery once the agent has responded\.$/);
    expect(allowedActions(own, "customer", NOW)).toEqual([]);
    expect(allowedActions(byEvaluator, "customer", NOW)).toEqual(["withdraw_dispute"]);
  });

  it("only the customer: the agent and a moderator are forbidden; after the agent answered there is no such command", () => {
    for (const actor of ["agent", "moderator", "timer"] as const) {
      const result = decide(byEvaluator, { command: "withdraw_dispute" }, actor, NOW, DEFAULT_TIME_WINDOWS, "USD");
      expect(result).toMatchObject({ ok: false, rejection: { code: "forbidden" } });
    }
    for (const status of ["negotiating", "admin_review", "delivered", "refunded"] as const) {
      const result = decide(snapshotIn(status, { disputeOpenedByEvaluator: true }), { command: "withdraw_dispute" }, "customer", NOW, DEFAULT_TIME_WINDOWS, "USD");
      expect(result).toMatchObject({ ok: false, rejection: { code: "invalid_transition" } });
    }
  });
});
