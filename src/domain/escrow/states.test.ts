import { describe, expect, it } from "vitest";
import {
  ACTORS,
  ARTIFACT_KINDS,
  DEADLINE_ACTIONS,
  ESCROW_COMMANDS,
  ESCROW_OUTCOMES,
  ESCROW_STATUSES,
  FUNDED_STATUSES,
  OPEN_STATUSES,
  PARTIES,
  SETTLEMENT_STATUSES,
  TERMINAL_STATUSES,
  isDeadlineAction,
  isFunded,
  isTerminal,
} from "./states";

describe("states", () => {
  it("terminal: completed, refunded, resolved, cancelled — nothing else", () => {
    expect(ESCROW_STATUSES.filter(isTerminal)).toEqual(["completed", "refunded", "resolved", "cancelled"]);
  });

  it("open: every state that is not terminal, in lifecycle order — the offer and every funded state", () => {
    expect([...OPEN_STATUSES]).toEqual(ESCROW_STATUSES.filter((s) => !isTerminal(s)));
    expect([...OPEN_STATUSES]).toEqual(["pending", ...FUNDED_STATUSES]);
  });

  it("funded: money sits in escrow from active until a terminal state", () => {
    expect(ESCROW_STATUSES.filter(isFunded)).toEqual([
      "active",
      "delivered",
      "disputed",
      "negotiating",
      "admin_review",
    ]);
  });

  it.each([
    ["auto_release", true],
    ["approve", false],
    ["", false],
    [undefined, false],
    [["auto_release"], false],
  ])("isDeadlineAction(%j) is %s", (x, expected) => {
    expect(isDeadlineAction(x)).toBe(expected);
  });
});

// Issue 23: the vocabulary is the wire (PROTOCOL.md's statuses, commands, outcomes, …): each name pinned,
// since an emptied or misspelt name in these lists changes what agents send and read.
describe("the lifecycle's names on the wire (PROTOCOL.md)", () => {
  it("statuses, actors, parties, commands, deadline actions, outcomes, settlement statuses and artifact kinds", () => {
    expect(ESCROW_STATUSES).toEqual([
      "pending", "active", "delivered", "disputed", "negotiating", "admin_review", "completed", "refunded", "resolved", "cancelled",
    ]);
    expect(ACTORS).toEqual(["customer", "agent", "timer", "moderator"]);
    expect(PARTIES).toEqual(["customer", "agent"]);
    expect(ESCROW_COMMANDS).toEqual([
      "accept", "decline", "cancel", "offer_expired", "complete", "cancel_overdue", "delivery_timeout", "approve", "dispute",
      "auto_release", "extend_review", "defend", "agree_refund", "response_timeout", "propose_settlement", "accept_settlement",
      "escalate", "negotiation_timeout", "decide", "withdraw_dispute",
    ]);
    expect(DEADLINE_ACTIONS).toEqual(["offer_expired", "delivery_timeout", "auto_release", "response_timeout", "negotiation_timeout"]);
    expect(ESCROW_OUTCOMES).toEqual(["released", "refunded", "split"]);
    expect(SETTLEMENT_STATUSES).toEqual(["open", "accepted", "superseded"]);
    expect(ARTIFACT_KINDS).toEqual(["file", "image", "audio", "data"]);
    expect([...TERMINAL_STATUSES]).toEqual(["completed", "refunded", "resolved", "cancelled"]);
    expect([...FUNDED_STATUSES]).toEqual(["active", "delivered", "disputed", "negotiating", "admin_review"]);
  });

  it("every deadline action is a timer command, and each is recognised", () => {
    for (const action of DEADLINE_ACTIONS) {
      expect(ESCROW_COMMANDS).toContain(action);
      expect(isDeadlineAction(action)).toBe(true);
    }
    expect(isDeadlineAction("decide")).toBe(false);
  });
});
