// Property test on PostgreSQL (fewer runs than the pure one in src/domain):
// random command sequences with random actors, inputs and clock jumps. After
// every step the database agrees with the pure decide(): a refusal leaves the
// row untouched, a success lands exactly the decided state; the ledger
// invariants hold and the money in play is conserved.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { decide, type CommandInput } from "~/domain/escrow/decide";
import { isDomainError } from "~/domain/escrow/errors";
import { isTerminal, type Actor, type EscrowStatus } from "~/domain/escrow/states";
import { transitionsFrom } from "~/domain/escrow/transitions";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createParties, deliverArtifact, fund, offer, testClock, testContext, UNCAPPED_POLICIES } from "~/test/engine-fixtures";
import { checkDatabaseLedger } from "../ledger/check";
import type { ActorRef } from "./actors";
import { openSettlementOf, toSnapshot } from "./escrow-view";
import { runEscrowCommand, type CommandRequest } from "./run-command";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

const FUNDING_MINOR = 1_000_000; // enough for every escrow of a run: funds are not what this tests

type Step =
  | {
      kind: "command";
      actor: Actor;
      command: string;
      /** When set, the command and actor come from the table rows of the current state (so runs go deep). */
      fromTable: number | null;
      text: string;
      refundRatio: number;
      useOpenSettlement: boolean;
    }
  | { kind: "deliver" }
  | { kind: "wait"; seconds: number };

const commandNames = [
  "accept", "decline", "cancel", "offer_expired", "complete", "cancel_overdue", "delivery_timeout", "approve",
  "dispute", "auto_release", "extend_review", "defend", "agree_refund", "response_timeout", "propose_settlement",
  "accept_settlement", "escalate", "negotiation_timeout", "decide",
];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("command" as const),
      actor: fc.constantFrom<Actor>("customer", "agent", "timer", "moderator"),
      command: fc.constantFrom(...commandNames),
      fromTable: fc.option(fc.nat(1000), { freq: 3, nil: null }),
      text: fc.constantFrom("", "  ", "The logo is blurry", "It matches the brief"),
      refundRatio: fc.double({ min: -0.1, max: 1.1, noNaN: true }),
      useOpenSettlement: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "deliver" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      seconds: fc.constantFrom(1, 3600, 25 * 3600, 49 * 3600, 8 * 24 * 3600),
    }),
  },
);

function buildInput(step: Extract<Step, { kind: "command" }>, amountMinor: number, openSettlementId: string | null): CommandRequest {
  const refundAmountMinor = Math.round(step.refundRatio * amountMinor);
  switch (step.command) {
    case "dispute":
      return { command: "dispute", reason: step.text };
    case "defend":
      return { command: "defend", explanation: step.text };
    case "propose_settlement":
      return { command: "propose_settlement", refundAmountMinor };
    case "accept_settlement":
      return { command: "accept_settlement", settlementId: step.useOpenSettlement && openSettlementId ? openSettlementId : "stl_unknown" };
    case "decide": {
      const outcome = (["release", "refund", "split"] as const)[Math.abs(Math.round(step.refundRatio * 10)) % 3]!;
      return { command: "decide", outcome, refundAmountMinor, note: step.text };
    }
    case "cancel":
      return { command: "cancel", reason: step.text };
    default:
      return { command: step.command } as CommandRequest;
  }
}

it("random sequences keep the database equal to decide() and the ledger balanced", async () => {
  let transitionsApplied = 0;
  const terminalReached = new Set<string>();
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 40_000 }), fc.array(stepArb, { minLength: 8, maxLength: 30 }), async (amountMinor, steps) => {
      const clock = testClock();
      const ctx = testContext(tdb.db, clock, 250, UNCAPPED_POLICIES);
      const p = await createParties(tdb.db);
      await fund(ctx, p.customerId, FUNDING_MINOR);
      // When an escrow finishes, the run goes on with a new offer, so long runs stay busy.
      let escrow = await offer(ctx, p, { amountMinor });
      const actors: Record<Actor, ActorRef> = {
        customer: { kind: "customer", userId: p.customerId },
        agent: { kind: "agent", agentId: p.agentId },
        timer: { kind: "timer" },
        moderator: { kind: "moderator", userId: p.ownerId },
      };

      for (const step of steps) {
        if (step.kind === "wait") {
          clock.advanceSeconds(step.seconds);
          continue;
        }
        if (step.kind === "deliver") {
          clock.advanceSeconds(1);
          await deliverArtifact(ctx, p, escrow.id);
          clock.advanceSeconds(1);
          continue;
        }
        const before = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
        const settlements = await tdb.db.settlement.findMany({ where: { escrowId: escrow.id } });
        const open = openSettlementOf(settlements);
        if (step.fromTable !== null) {
          const rows = transitionsFrom(before.status as EscrowStatus);
          const row = rows[step.fromTable % Math.max(rows.length, 1)];
          if (row) {
            step.command = row.command;
            step.actor = row.actors[step.fromTable % row.actors.length]!;
          }
        }
        const request = buildInput(step, amountMinor, open?.id ?? null);

        let outcome: { ok: true } | { ok: false; code: string };
        try {
          await runEscrowCommand(ctx, escrow.id, actors[step.actor], request);
          outcome = { ok: true };
        } catch (error) {
          if (!isDomainError(error)) throw error;
          outcome = { ok: false, code: error.code };
        }
        const after = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });

        if (request.command !== "complete") {
          const expected = decide(toSnapshot(before, open), request as CommandInput, step.actor, clock.now(), ctx.config.windows, "USD");
          if (expected.ok) {
            expect(outcome).toEqual({ ok: true });
            expect(after.status).toBe(expected.to);
            expect(after.version).toBe(before.version + 1);
          } else {
            expect(outcome).toEqual({ ok: false, code: expected.rejection.code });
          }
        }
        if (!outcome.ok) expect(after).toEqual(before);
        if (outcome.ok) transitionsApplied++;
        if (outcome.ok && isTerminal(after.status as EscrowStatus)) {
          terminalReached.add(after.status);
          escrow = await offer(ctx, p, { amountMinor });
        }

        expect(await checkDatabaseLedger(tdb.db)).toEqual([]);
        const accounts = await tdb.db.ledgerAccount.findMany({
          where: { OR: [{ userId: { in: [p.customerId, p.ownerId] } }, { escrow: { customerId: p.customerId } }] },
        });
        const fees = await tdb.db.ledgerTransfer.aggregate({
          where: { escrow: { customerId: p.customerId }, kind: "fee" },
          _sum: { amountMinor: true },
        });
        const held = accounts.reduce((sum, a) => sum + Number(a.balanceMinor), 0) + Number(fees._sum.amountMinor ?? 0n);
        expect(held).toBe(FUNDING_MINOR);
      }
    }),
    { numRuns: 40 },
  );
  // The generator must really exercise the machine, not stall in `pending` (about one accept a run, 40 or
  // fewer). The runs are random: 168 and 183 applied in two runs here, so "over 120" failed by chance about
  // once in a few hundred CI runs; two a run on average is still far from a stall.
  expect(transitionsApplied).toBeGreaterThanOrEqual(80);
  expect(terminalReached.size).toBeGreaterThanOrEqual(2);
}, 300_000);
