/**
 * What an agent sees from each transition, written out by hand (not derived from TRANSITIONS): the event
 * type and `data.via` on the wire, the state entered, its deadline and deadline action, and the money
 * that moves. Every time window is different, so a deadline measured with the wrong window fails here
 * (issue 23: with every window 48 h, handing the response window to auto_release went unnoticed).
 */
import { describe, expect, it } from "vitest";
import { decide, type CommandInput, type Decision, type EscrowSnapshot, type TimeWindows } from "./decide";
import type { Actor, EscrowCommand, EscrowStatus } from "./states";
import { TRANSITIONS } from "./transitions";
import { everyRowFacts, T0, snapshotIn, validInput } from "~/test/domain-fixtures";

const HOUR_S = 3600;
/** All different, none a multiple of another's difference: each deadline names its window. */
const WINDOWS: TimeWindows = {
  offerTtlS: 101 * HOUR_S,
  deliveryGraceS: 3 * HOUR_S,
  reviewWindowS: 29 * HOUR_S,
  reviewExtensionS: 17 * HOUR_S,
  responseWindowS: 41 * HOUR_S,
  negotiationWindowS: 53 * HOUR_S,
};
const DAY_MS = 86_400_000;
/** After every fixture deadline (T0 + 1 day) and due time (T0 + 12 h). */
const NOW = new Date(T0.getTime() + DAY_MS + 7 * 60_000);
const FIXTURE_DEADLINE = new Date(T0.getTime() + DAY_MS);
const DELIVERY_IN_HOURS = 12;

type Deadline =
  | { action: null }
  | { action: "delivery_timeout"; afterNowS: number; dueAfterNowS: number }
  | { action: "auto_release" | "response_timeout" | "negotiation_timeout"; afterNowS: number }
  | { action: "auto_release" | "negotiation_timeout"; at: Date };

interface Expected {
  actor: Actor;
  to: EscrowStatus;
  event: string;
  via?: string;
  deadline: Deadline;
  ledger: string[];
}

const NONE: Deadline = { action: null };
const REFUND_ALL = ["refund"];
const RELEASE = ["release", "fee"];
const SPLIT = ["refund", "release", "fee"];

const EXPECTED: Record<string, Expected> = {
  "pending/accept": {
    actor: "customer",
    to: "active",
    event: "escrow.funded",
    deadline: {
      action: "delivery_timeout",
      afterNowS: DELIVERY_IN_HOURS * HOUR_S + WINDOWS.deliveryGraceS,
      dueAfterNowS: DELIVERY_IN_HOURS * HOUR_S,
    },
    ledger: ["fund"],
  },
  "pending/decline": { actor: "customer", to: "cancelled", event: "escrow.declined", deadline: NONE, ledger: [] },
  "pending/cancel": { actor: "agent", to: "cancelled", event: "escrow.cancelled", deadline: NONE, ledger: [] },
  "pending/offer_expired": { actor: "timer", to: "cancelled", event: "escrow.expired", deadline: NONE, ledger: [] },
  "active/complete": {
    actor: "agent",
    to: "delivered",
    event: "escrow.delivered",
    deadline: { action: "auto_release", afterNowS: WINDOWS.reviewWindowS },
    ledger: [],
  },
  "active/cancel": {
    actor: "agent",
    to: "refunded",
    event: "escrow.refunded",
    via: "cancel",
    deadline: NONE,
    ledger: REFUND_ALL,
  },
  "active/cancel_overdue": {
    actor: "customer",
    to: "refunded",
    event: "escrow.refunded",
    via: "cancel_overdue",
    deadline: NONE,
    ledger: REFUND_ALL,
  },
  "active/delivery_timeout": {
    actor: "timer",
    to: "refunded",
    event: "escrow.refunded",
    via: "delivery_timeout",
    deadline: NONE,
    ledger: REFUND_ALL,
  },
  "delivered/approve": {
    actor: "customer",
    to: "completed",
    event: "escrow.completed",
    via: "approve",
    deadline: NONE,
    ledger: RELEASE,
  },
  "delivered/dispute": {
    actor: "customer",
    to: "disputed",
    event: "escrow.disputed",
    deadline: { action: "response_timeout", afterNowS: WINDOWS.responseWindowS },
    ledger: [],
  },
  "delivered/auto_release": {
    actor: "timer",
    to: "completed",
    event: "escrow.completed",
    via: "auto_release",
    deadline: NONE,
    ledger: RELEASE,
  },
  "delivered/extend_review": {
    actor: "customer",
    to: "delivered",
    event: "escrow.review_extended",
    deadline: { action: "auto_release", at: new Date(FIXTURE_DEADLINE.getTime() + WINDOWS.reviewExtensionS * 1000) },
    ledger: [],
  },
  "disputed/defend": {
    actor: "agent",
    to: "negotiating",
    event: "escrow.negotiating",
    deadline: { action: "negotiation_timeout", afterNowS: WINDOWS.negotiationWindowS },
    ledger: [],
  },
  "disputed/agree_refund": {
    actor: "agent",
    to: "refunded",
    event: "escrow.refunded",
    via: "agree_refund",
    deadline: NONE,
    ledger: REFUND_ALL,
  },
  // The customer takes back the dispute the evaluator opened for them (issue 18): back in review, the window restarted.
  "disputed/withdraw_dispute": {
    actor: "customer",
    to: "delivered",
    event: "escrow.dispute_withdrawn",
    deadline: { action: "auto_release", afterNowS: WINDOWS.reviewWindowS },
    ledger: [],
  },
  "disputed/response_timeout": {
    actor: "timer",
    to: "admin_review",
    event: "escrow.admin_review",
    via: "response_timeout",
    deadline: NONE,
    ledger: [],
  },
  "negotiating/approve": {
    actor: "customer",
    to: "completed",
    event: "escrow.completed",
    via: "withdrawn",
    deadline: NONE,
    ledger: RELEASE,
  },
  "negotiating/agree_refund": {
    actor: "agent",
    to: "refunded",
    event: "escrow.refunded",
    via: "agree_refund",
    deadline: NONE,
    ledger: REFUND_ALL,
  },
  "negotiating/propose_settlement": {
    actor: "agent",
    to: "negotiating",
    event: "escrow.settlement_proposed",
    // A proposal keeps the negotiation clock: it must not let the parties stall forever.
    deadline: { action: "negotiation_timeout", at: FIXTURE_DEADLINE },
    ledger: [],
  },
  "negotiating/accept_settlement": {
    actor: "agent",
    to: "resolved",
    event: "escrow.resolved",
    via: "settlement",
    deadline: NONE,
    ledger: SPLIT,
  },
  "negotiating/escalate": {
    actor: "customer",
    to: "admin_review",
    event: "escrow.admin_review",
    via: "escalate",
    deadline: NONE,
    ledger: [],
  },
  "negotiating/negotiation_timeout": {
    actor: "timer",
    to: "admin_review",
    event: "escrow.admin_review",
    via: "negotiation_timeout",
    deadline: NONE,
    ledger: [],
  },
  "admin_review/decide": {
    actor: "moderator",
    to: "resolved",
    event: "escrow.resolved",
    via: "moderator",
    deadline: NONE,
    ledger: SPLIT,
  },
};

function fixture(from: EscrowStatus): EscrowSnapshot {
  // The open proposal is the customer's, so the agent may accept it.
  return snapshotIn(from, { deliveryInHours: DELIVERY_IN_HOURS, ...everyRowFacts(from) }, "customer");
}

function apply(from: EscrowStatus, command: EscrowCommand, actor: Actor): Decision {
  const escrow = fixture(from);
  const input: CommandInput = validInput(command, escrow);
  const result = decide(escrow, input, actor, NOW, WINDOWS, "USD");
  if (!result.ok) throw new Error(`${from}/${command}: ${result.rejection.code} ${result.rejection.message}`);
  return result;
}

const at = (fromNowS: number) => new Date(NOW.getTime() + fromNowS * 1000).toISOString();

describe("each transition, as an agent sees it", () => {
  it("the expectations cover exactly the table's rows", () => {
    expect(TRANSITIONS.map((rule) => `${rule.from}/${rule.command}`).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [key, expected] of Object.entries(EXPECTED)) {
    const [from, command] = key.split("/") as [EscrowStatus, EscrowCommand];

    it(`${key} → ${expected.to}: ${expected.event}${expected.via ? ` via ${expected.via}` : ""}`, () => {
      const decision = apply(from, command, expected.actor);
      expect(decision.to).toBe(expected.to);
      expect(decision.statusChanged).toBe(from !== expected.to);
      expect(decision.agentEvent.type).toBe(expected.event);
      if (expected.via === undefined) expect(decision.agentEvent.data).not.toHaveProperty("via");
      else expect(decision.agentEvent.data.via).toBe(expected.via);
      expect(decision.ledger.map((movement) => movement.kind)).toEqual(expected.ledger);
    });

    it(`${key} sets the deadline of ${expected.to}: ${expected.deadline.action ?? "none"}`, () => {
      const { patch } = apply(from, command, expected.actor);
      const deadline = expected.deadline;
      expect(patch.deadlineAction).toBe(deadline.action);
      if (deadline.action === null) expect(patch.deadline).toBeNull();
      else if ("at" in deadline) expect(patch.deadline?.toISOString()).toBe(deadline.at.toISOString());
      else expect(patch.deadline?.toISOString()).toBe(at(deadline.afterNowS));
      if (deadline.action === "delivery_timeout") expect(patch.dueAt?.toISOString()).toBe(at(deadline.dueAfterNowS));
      else expect(patch.dueAt).toBeUndefined();
    });
  }
});

describe("event data a transition carries", () => {
  it("defend carries the agent's explanation, trimmed", () => {
    const escrow = fixture("disputed");
    const result = decide(
      escrow,
      { command: "defend", explanation: "  The PNG is 2048 px.  " },
      "agent",
      NOW,
      WINDOWS,
      "USD",
    );
    expect(result.ok && result.agentEvent.data).toEqual({ explanation: "The PNG is 2048 px." });
  });

  it("extend_review announces the new deadline: the old one plus the extension, and marks the review extended", () => {
    const decision = apply("delivered", "extend_review", "customer");
    const extended = new Date(FIXTURE_DEADLINE.getTime() + WINDOWS.reviewExtensionS * 1000).toISOString();
    expect(decision.agentEvent.data).toEqual({ deadline: extended });
    expect(decision.patch.reviewExtended).toBe(true);
  });

  it("accept announces the due time", () => {
    expect(apply("pending", "accept", "customer").agentEvent.data).toEqual({ due_at: at(DELIVERY_IN_HOURS * HOUR_S) });
  });

  it("a complete retry on a delivered escrow is escrow.delivered with idempotent: true, changing nothing", () => {
    const escrow = fixture("delivered");
    const result = decide(escrow, validInput("complete", escrow), "agent", NOW, WINDOWS, "USD");
    if (!result.ok) throw new Error(result.rejection.code);
    expect(result.agentEvent).toEqual({ type: "escrow.delivered", data: { idempotent: true } });
    expect(result).toMatchObject({ noop: true, statusChanged: false, from: "delivered", to: "delivered", ledger: [] });
    expect(result.patch).toEqual({ deadline: escrow.deadline, deadlineAction: "auto_release" });
    expect(result.systemMessage).toBeNull();
    expect(result.auditReason).toBeNull();
  });

  it("a complete by the customer on a delivered escrow is not the idempotent retry", () => {
    const escrow = fixture("delivered");
    const result = decide(escrow, validInput("complete", escrow), "customer", NOW, WINDOWS, "USD");
    expect(result.ok ? "ok" : result.rejection.code).toBe("invalid_transition");
  });
});

/** The platform's line in the conversation after each transition, with this file's windows and amounts. */
const SYSTEM_MESSAGES: Record<string, string> = {
  "pending/accept": "Payment of $25.00 is held in escrow. Delivery is due within 12 hours.",
  "pending/decline": "The customer declined the offer.",
  "pending/cancel": "The agent withdrew the offer.",
  "pending/offer_expired": "The offer expired before it was accepted.",
  "active/complete":
    "The agent delivered the work. The customer has 29 hours to approve it or report a problem; after that the payment is released automatically.",
  "active/cancel": "The agent cancelled the work. $25.00 was refunded to the customer.",
  "active/cancel_overdue": "The customer cancelled because delivery was overdue. $25.00 was refunded to the customer.",
  "active/delivery_timeout": "Nothing was delivered in time. $25.00 was refunded to the customer.",
  "delivered/approve":
    "The customer approved the delivery. $22.50 was released to the seller after a $2.50 platform fee.",
  "delivered/dispute": "The customer reported a problem with the delivery. The agent has 41 hours to respond.",
  "delivered/auto_release":
    "The review window ended without a dispute. $22.50 was released to the seller after a $2.50 platform fee.",
  "delivered/extend_review": "The customer extended the review window by 17 hours.",
  "disputed/defend":
    "The agent responded to the dispute. Both sides have 53 hours to agree; after that a moderator decides.",
  "disputed/agree_refund": "The agent agreed to a refund. $25.00 was refunded to the customer.",
  "disputed/response_timeout": "The agent did not respond to the dispute in time. A moderator will review the case.",
  "disputed/withdraw_dispute":
    "The customer withdrew the dispute the evaluator opened for them. The delivery is back in review: the customer has 29 hours to approve it or report a problem; after that the payment is released automatically.",
  "negotiating/approve":
    "The customer withdrew the dispute. $22.50 was released to the seller after a $2.50 platform fee.",
  "negotiating/agree_refund": "The agent agreed to a refund. $25.00 was refunded to the customer.",
  "negotiating/propose_settlement":
    "The agent proposed a settlement: $8.33 back to the customer and the rest to the seller.",
  "negotiating/accept_settlement":
    "The agent accepted the settlement. $10.00 was refunded to the customer and $13.50 was released to the seller after a $1.50 platform fee.",
  "negotiating/escalate": "The customer asked a moderator to decide. A moderator will review the case.",
  "negotiating/negotiation_timeout": "The negotiation ended without agreement. A moderator will review the case.",
  "admin_review/decide":
    "A moderator decided the case. $12.50 was refunded to the customer and $11.25 was released to the seller after a $1.25 platform fee. Note from the moderator: Half the work was done.",
};

describe("the system message each transition writes into the conversation", () => {
  it("covers every row", () => {
    expect(Object.keys(SYSTEM_MESSAGES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [key, message] of Object.entries(SYSTEM_MESSAGES)) {
    it(key, () => {
      const [from, command] = key.split("/") as [EscrowStatus, EscrowCommand];
      expect(apply(from, command, EXPECTED[key]!.actor).systemMessage).toBe(message);
    });
  }

  it("a release at 0 % fee names no fee; a release of everything as fee names no seller amount", () => {
    const free = decide(
      snapshotIn("delivered", { feeBps: 0 }),
      { command: "approve" },
      "customer",
      NOW,
      WINDOWS,
      "USD",
    );
    expect(free.ok && free.systemMessage).toBe(
      "The customer approved the delivery. $25.00 was released to the seller.",
    );
    const allFee = decide(
      snapshotIn("delivered", { feeBps: 10_000 }),
      { command: "approve" },
      "customer",
      NOW,
      WINDOWS,
      "USD",
    );
    expect(allFee.ok && allFee.systemMessage).toBe(
      "The customer approved the delivery. $0.00 was released to the seller after a $25.00 platform fee.",
    );
  });
});
