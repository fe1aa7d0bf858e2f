/**
 * Exhaustive check of the lifecycle: every status × command × actor, run through decide() with valid
 * input and a clock past every deadline, must be exactly the table's row or a typed rejection.
 */
import { describe, expect, it } from "vitest";
import { feeMinor } from "../money";
import { decide } from "./decide";
import { REJECTIONS } from "./errors";
import {
  ACTORS,
  ESCROW_COMMANDS,
  ESCROW_STATUSES,
  isFunded,
  type Actor,
  type EscrowCommand,
  type EscrowStatus,
} from "./states";
import { everyRowFacts, LONG_AFTER, otherParty, snapshotIn, validInput } from "~/test/domain-fixtures";
import { TRANSITIONS, findTransition, type TransitionRule } from "./transitions";
import { DEFAULT_TIME_WINDOWS, type Decision, type EscrowSnapshot } from "./types";

/**
 * SPEC §3.1, transcribed by hand as "from command actor(s) → to". The table in transitions.ts must be
 * exactly this, so a mistyped row fails here rather than silently changing the product.
 */
const SPEC_EDGES = [
  "pending accept customer → active",
  "pending decline customer → cancelled",
  "pending cancel agent → cancelled",
  "pending offer_expired timer → cancelled",
  "active complete agent → delivered",
  "active cancel agent → refunded",
  "active cancel_overdue customer → refunded",
  "active delivery_timeout timer → refunded",
  "delivered approve customer → completed",
  "delivered dispute customer → disputed",
  "delivered auto_release timer → completed",
  "delivered extend_review customer → delivered",
  "disputed defend agent → negotiating",
  "disputed agree_refund agent → refunded",
  "disputed withdraw_dispute customer → delivered",
  "disputed response_timeout timer → admin_review",
  "negotiating approve customer → completed",
  "negotiating agree_refund agent → refunded",
  "negotiating propose_settlement customer,agent → negotiating",
  "negotiating accept_settlement customer,agent → resolved",
  "negotiating escalate customer,agent → admin_review",
  "negotiating negotiation_timeout timer → admin_review",
  "admin_review decide moderator → resolved",
];

const SPEC_LEDGER: Record<string, TransitionRule["ledger"]> = {
  "pending accept": "fund",
  "active cancel": "refund",
  "active cancel_overdue": "refund",
  "active delivery_timeout": "refund",
  "delivered approve": "release",
  "delivered auto_release": "release",
  "disputed agree_refund": "refund",
  "negotiating approve": "release",
  "negotiating agree_refund": "refund",
  "negotiating accept_settlement": "split",
  "admin_review decide": "by_outcome",
};

describe("the transition table", () => {
  it("is exactly SPEC §3.1", () => {
    const edges = TRANSITIONS.map(
      (r) => `${r.from} ${r.command} ${[...r.actors].sort().reverse().join(",")} → ${r.to}`,
    );
    const normalised = SPEC_EDGES.map((e) => {
      const [from, command, actors, , to] = e.split(" ");
      return `${from} ${command} ${(actors ?? "").split(",").sort().reverse().join(",")} → ${to}`;
    });
    expect(edges).toEqual(normalised);
  });

  it("moves money exactly where SPEC §3.3 says", () => {
    for (const rule of TRANSITIONS) {
      expect([rule.from, rule.command, rule.ledger]).toEqual([
        rule.from,
        rule.command,
        SPEC_LEDGER[`${rule.from} ${rule.command}`] ?? null,
      ]);
    }
  });

  it("has at most one row per (from, command) and none leaving a terminal state", () => {
    const keys = TRANSITIONS.map((r) => `${r.from}:${r.command}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const rule of TRANSITIONS) expect(["completed", "refunded", "resolved", "cancelled"]).not.toContain(rule.from);
  });

  it("gives timer rows only to the timer, with the deadline guard, and enters each state with its deadline", () => {
    for (const rule of TRANSITIONS) {
      const isTimer = rule.actors.includes("timer");
      if (isTimer) {
        expect(rule.actors).toEqual(["timer"]);
        expect(rule.guards).toContain("deadline_reached");
      }
      if (rule.deadline !== "keep" && rule.from !== rule.to) {
        const entering = TRANSITIONS.filter((r) => r.to === rule.to && r.from !== r.to);
        // every way into a state starts the same deadline
        expect(new Set(entering.map((r) => r.deadline)).size).toBe(1);
      }
    }
  });
});

function expectedRejection(status: EscrowStatus, command: EscrowCommand, actor: Actor): string | "noop" | null {
  const rule = findTransition(status, command);
  if (!rule) {
    if (command === "complete" && actor === "agent" && status === "pending") return "escrow_not_funded";
    if (command === "complete" && actor === "agent" && status === "delivered") return "noop";
    return "invalid_transition";
  }
  return rule.actors.includes(actor) ? null : "forbidden";
}

function escrowBalanceAfter(escrow: EscrowSnapshot, decision: Decision): number {
  let balance = isFunded(escrow.status) ? escrow.amountMinor : 0;
  for (const movement of decision.ledger) {
    if (movement.to === "escrow") balance += movement.amountMinor;
    if (movement.from === "escrow") balance -= movement.amountMinor;
  }
  return balance;
}

function expectMatchesRow(rule: TransitionRule, escrow: EscrowSnapshot, decision: Decision, now: Date): void {
  expect(decision.from).toBe(rule.from);
  expect(decision.to).toBe(rule.to);
  expect(decision.statusChanged).toBe(rule.from !== rule.to);
  expect(decision.noop).toBe(false);
  expect(decision.agentEvent.type).toBe(rule.event);
  expect(decision.agentEvent.data.via).toBe(rule.via);
  expect(decision.systemMessage).toEqual(expect.any(String));

  for (const movement of decision.ledger) {
    expect(Number.isSafeInteger(movement.amountMinor) && movement.amountMinor > 0).toBe(true);
    expect(movement.from).not.toBe(movement.to);
  }
  // The escrow account holds the amount exactly while funded and nothing otherwise.
  expect(escrowBalanceAfter(escrow, decision)).toBe(isFunded(rule.to) ? escrow.amountMinor : 0);
  if (rule.ledger === null) expect(decision.ledger).toEqual([]);
  if (rule.ledger === "release") {
    expect(decision.patch.feeAmountMinor).toBe(feeMinor(escrow.amountMinor, escrow.feeBps));
    expect(decision.patch.outcome).toBe("released");
  }
  if (rule.ledger === "refund") {
    expect(decision.ledger).toEqual([
      { kind: "refund", from: "escrow", to: "buyer_wallet", amountMinor: escrow.amountMinor },
    ]);
    expect(decision.patch).toMatchObject({
      outcome: "refunded",
      refundAmountMinor: escrow.amountMinor,
      feeAmountMinor: 0,
    });
  }

  if (rule.deadline === null) expect(decision.patch).toMatchObject({ deadline: null, deadlineAction: null });
  else if (rule.deadline === "keep") expect(decision.patch.deadlineAction).toBe(escrow.deadlineAction);
  else {
    expect(decision.patch.deadlineAction).toBe(rule.deadline);
    expect(decision.patch.deadline!.getTime()).toBeGreaterThan(now.getTime());
  }
}

describe("decide() over every status × command × actor", () => {
  for (const status of ESCROW_STATUSES) {
    for (const command of ESCROW_COMMANDS) {
      it(`${status} · ${command}`, () => {
        for (const actor of ACTORS) {
          const escrow = snapshotIn(status, everyRowFacts(status), otherParty(actor));
          const before = structuredClone(escrow);
          const result = decide(escrow, validInput(command, escrow), actor, LONG_AFTER, DEFAULT_TIME_WINDOWS, "USD");
          expect(escrow, "decide must not mutate its input").toEqual(before);

          const expected = expectedRejection(status, command, actor);
          if (expected === "noop") {
            expect(result).toMatchObject({ ok: true, noop: true, statusChanged: false, to: "delivered", ledger: [] });
          } else if (expected !== null) {
            expect(result.ok, `${actor} should be refused`).toBe(false);
            if (result.ok) continue;
            expect(result.rejection.code).toBe(expected);
            expect(result.rejection.code in REJECTIONS).toBe(true);
            expect(result.rejection.message.length).toBeGreaterThan(20);
            expect(result).not.toHaveProperty("patch");
            expect(result).not.toHaveProperty("ledger");
          } else {
            expect(result.ok, `${actor} should succeed: ${result.ok ? "" : result.rejection.message}`).toBe(true);
            if (!result.ok) continue;
            expectMatchesRow(findTransition(status, command)!, escrow, result, LONG_AFTER);
          }
        }
      });
    }
  }
});
