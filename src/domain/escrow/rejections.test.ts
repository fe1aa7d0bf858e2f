/**
 * The exact rejection an agent or a person reads for each refusal (PROTOCOL "Errors": `code` and a
 * `message` saying what to do instead). Asserted whole, because the message is the instruction.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_TIME_WINDOWS, decide, type CommandInput, type DecideResult, type EscrowSnapshot } from "./decide";
import { GUARDS } from "./guards";
import type { Actor } from "./states";
import { LONG_AFTER, SETTLEMENT_ID, T0, snapshotIn, validInput } from "~/test/domain-fixtures";

const DAY_MS = 86_400_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

function rejection(escrow: EscrowSnapshot, input: CommandInput, actor: Actor, now: Date = LONG_AFTER) {
  const result: DecideResult = decide(escrow, input, actor, now, DEFAULT_TIME_WINDOWS, "USD");
  if (result.ok) throw new Error("expected a rejection");
  return result.rejection;
}

describe("rejections, word for word", () => {
  it("complete before funding", () => {
    expect(rejection(snapshotIn("pending"), validInput("complete", snapshotIn("active")), "agent")).toEqual({
      code: "escrow_not_funded",
      message: "This escrow is not funded yet. Wait for the escrow.funded event before delivering.",
    });
  });

  it("a command on a finished escrow", () => {
    expect(rejection(snapshotIn("completed"), { command: "approve" }, "customer").message).toBe(
      "This escrow is completed, so approve is not possible. The escrow is finished; no command applies to it any more.",
    );
  });

  it("a command with no row lists what the caller can do now", () => {
    expect(rejection(snapshotIn("active"), { command: "approve" }, "customer", at(DAY_MS / 2))).toEqual({
      code: "invalid_transition",
      message: "This escrow is active, so approve is not possible. What you can do now: cancel_overdue.",
    });
    expect(rejection(snapshotIn("delivered"), { command: "escalate" }, "customer", T0).message).toBe(
      "This escrow is delivered, so escalate is not possible. What you can do now: approve, dispute, extend_review.",
    );
  });

  it("…or that there is nothing to do yet", () => {
    expect(rejection(snapshotIn("active"), { command: "approve" }, "customer", T0).message).toBe(
      "This escrow is active, so approve is not possible. There is nothing for you to do right now; wait for the next event on this escrow.",
    );
  });

  it("a timer command sent by a person", () => {
    expect(rejection(snapshotIn("delivered"), { command: "auto_release" }, "customer")).toEqual({
      code: "forbidden",
      message: "auto_release happens automatically when its deadline passes; nobody can request it.",
    });
  });

  it("a command of the other side names who may send it", () => {
    expect(rejection(snapshotIn("delivered"), { command: "approve" }, "agent").message).toBe(
      "Only the customer can approve an escrow that is delivered.",
    );
    expect(rejection(snapshotIn("negotiating"), { command: "escalate" }, "moderator").message).toBe(
      "Only the customer or agent can escalate an escrow that is negotiating.",
    );
  });

  it("a stale timer names the escrow's real deadline action, or says it has none", () => {
    expect(
      rejection(snapshotIn("delivered", { deadlineAction: "response_timeout" }), { command: "auto_release" }, "timer"),
    ).toEqual({
      code: "invalid_transition",
      message:
        "This delivered escrow has no auto_release deadline (its deadline action is response_timeout); the timer is stale and nothing happens.",
    });
    expect(
      rejection(snapshotIn("delivered", { deadlineAction: null, deadline: null }), { command: "auto_release" }, "timer")
        .message,
    ).toBe("This delivered escrow has no auto_release deadline; the timer is stale and nothing happens.");
    expect(rejection(snapshotIn("delivered", { deadline: null }), { command: "auto_release" }, "timer").code).toBe(
      "invalid_transition",
    );
  });

  it("a timer before its deadline; one millisecond before is still early", () => {
    expect(rejection(snapshotIn("delivered"), { command: "auto_release" }, "timer", at(DAY_MS - 1))).toEqual({
      code: "deadline_not_reached",
      message:
        "The auto_release deadline is 2025-01-02T00:00:00.000Z and has not been reached yet; nothing happens before then.",
    });
  });

  it("cancel_overdue before the due time, and without one", () => {
    expect(rejection(snapshotIn("active"), { command: "cancel_overdue" }, "customer", at(DAY_MS / 2 - 1))).toEqual({
      code: "not_overdue",
      message:
        "Delivery is not overdue yet: it is due at 2025-01-01T12:00:00.000Z. After that time you can cancel for a full refund.",
    });
    expect(rejection(snapshotIn("active", { dueAt: null }), { command: "cancel_overdue" }, "customer")).toEqual({
      code: "not_overdue",
      message: "This escrow has no due time, so it cannot be cancelled as overdue.",
    });
  });

  it("texts required by the rules", () => {
    expect(rejection(snapshotIn("delivered"), { command: "dispute", reason: " " }, "customer")).toEqual({
      code: "reason_required",
      message: "A dispute needs a reason: describe what is wrong with the delivery.",
    });
    expect(rejection(snapshotIn("disputed"), { command: "defend", explanation: " " }, "agent")).toEqual({
      code: "explanation_required",
      message:
        "Defending needs a written explanation in `message`: say what you delivered and why it meets the request. If the customer is right, use agree_refund instead.",
    });
    expect(
      rejection(snapshotIn("admin_review"), { command: "decide", outcome: "release", note: " " }, "moderator"),
    ).toEqual({
      code: "note_required",
      message: "A moderator decision needs a note explaining it to both parties.",
    });
  });

  it("a second extension says until when the customer can still act", () => {
    expect(
      rejection(snapshotIn("delivered", { reviewExtended: true }), { command: "extend_review" }, "customer"),
    ).toEqual({
      code: "review_already_extended",
      message:
        "The review window can be extended only once, and it already was. Approve or report a problem before 2025-01-02T00:00:00.000Z.",
    });
  });

  it("a refund out of range explains the alternatives", () => {
    expect(
      rejection(snapshotIn("negotiating"), { command: "propose_settlement", refundAmountMinor: 2500 }, "agent"),
    ).toEqual({
      code: "amount_out_of_range",
      message:
        "The refund amount must be a whole number of minor units greater than 0 and less than the escrow amount (2500); got 2500. For a full refund use agree_refund (agent) or a refund decision; for none, approve.",
    });
    const split: CommandInput = { command: "decide", outcome: "split", note: "n", refundAmountMinor: 0 };
    expect(rejection(snapshotIn("admin_review"), split, "moderator").message).toContain("(2500); got 0.");
  });

  it("accepting one's own proposal, or one that is not open", () => {
    const negotiating = snapshotIn("negotiating", {}, "agent");
    expect(rejection(negotiating, { command: "accept_settlement", settlementId: SETTLEMENT_ID }, "agent")).toEqual({
      code: "settlement_not_found",
      message: "Settlement stl_1 is your own proposal; only the other side can accept it.",
    });
    expect(rejection(negotiating, { command: "accept_settlement", settlementId: "stl_0" }, "customer").message).toBe(
      "There is no open settlement proposal stl_0 on this escrow (a newer proposal supersedes older ones). Accept the latest proposal from the other side, or propose your own.",
    );
    expect(
      rejection(
        snapshotIn("negotiating", { openSettlement: null }),
        { command: "accept_settlement", settlementId: "stl_1" },
        "customer",
      ).code,
    ).toBe("settlement_not_found");
  });
});

describe("a guard on a row whose command does not carry its input is a table bug, and fails loudly", () => {
  const ctx = {
    escrow: snapshotIn("delivered"),
    input: { command: "approve" } as CommandInput,
    actor: "customer" as const,
    now: T0,
    windows: DEFAULT_TIME_WINDOWS,
  };
  it.each([
    "deadline_reached",
    "delivery_precondition",
    "reason_required",
    "explanation_required",
    "note_required",
    "refund_in_range",
    "settlement_by_other_party",
    "decision_amounts",
  ] as const)("%s", (guard) => {
    expect(() => GUARDS[guard](ctx)).toThrow(`guard ${guard} cannot check command approve`);
  });
});

describe("timer audit reasons", () => {
  it("name the deadline and when it was checked", () => {
    const result = decide(
      snapshotIn("delivered"),
      { command: "auto_release" },
      "timer",
      at(DAY_MS + 5),
      DEFAULT_TIME_WINDOWS,
      "USD",
    );
    expect(result.ok && result.auditReason).toBe(
      "auto_release: deadline 2025-01-02T00:00:00.000Z passed (checked at 2025-01-02T00:00:00.005Z)",
    );
  });

  it("a command without text or timer has no audit reason", () => {
    const result = decide(snapshotIn("delivered"), { command: "approve" }, "customer", T0, DEFAULT_TIME_WINDOWS, "USD");
    expect(result.ok && result.auditReason).toBeNull();
  });
});
