// A message and a transition in one conversation take their row locks in the one order (docs/SCALING.md
// "One lock order": escrows → agents → conversations → ledger accounts). A customer's message used to
// move the conversation first and then the agent's event counter, while an accept locks the agent and
// then writes its notice into the conversation: the two deadlocked, and inTransaction's retry hid it
// (every writer committed, slowly). PostgreSQL's own deadlock count for the test database must not move.
import { expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createParties, fund, offer, testClock } from "~/test/engine-fixtures";
import { timerTestContext } from "~/test/timer-fixtures";
import { inTransaction } from "../db/transaction";
import { runEscrowCommand } from "../escrow/run-command";
import { postAgentMessage, postCustomerMessage } from "./messages";

const tdb = databaseForThisFile({ maxConnections: 20, ledgerBalancedAfter: true });

async function deadlocksSoFar(): Promise<number> {
  // Each backend reports its statistics when idle, within a second (a statement outside a transaction
  // reads a fresh snapshot).
  await new Promise((r) => setTimeout(r, 1_500));
  const [row] = await tdb.db.$queryRaw<{ deadlocks: number }[]>`
    SELECT deadlocks::int AS deadlocks FROM pg_stat_database WHERE datname = current_database()`;
  return row!.deadlocks;
}

it("customer and agent messages written while the agent's escrows in that conversation are accepted: no deadlock", async () => {
  const clock = testClock();
  const ctx = timerTestContext(tdb.db, clock);
  const p = await createParties(tdb.db);
  await fund(ctx, p.customerId, 1_000_000);
  const customer = { kind: "customer" as const, userId: p.customerId };
  const before = await deadlocksSoFar();
  for (let round = 0; round < 5; round++) {
    clock.advanceSeconds(60);
    const offers = await Promise.all([0, 1, 2, 3].map(() => offer(ctx, p, { amountMinor: 1_000 })));
    const results = await Promise.allSettled([
      ...offers.map((e) => runEscrowCommand(ctx, e.id, customer, { command: "accept" })),
      ...[0, 1, 2, 3].map((i) =>
        inTransaction(ctx.db, (tx) => postCustomerMessage(tx, { customerId: p.customerId, conversationId: p.conversationId, text: `question ${round}.${i}`, now: ctx.now() })),
      ),
      ...[0, 1].map((i) =>
        inTransaction(ctx.db, (tx) =>
          postAgentMessage(tx, { agentId: p.agentId, conversationId: p.conversationId, text: `answer ${round}.${i}`, artifactIds: [], now: ctx.now() }),
        ),
      ),
    ]);
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason).slice(0, 400))).toEqual([]);
  }
  expect(await tdb.db.message.count({ where: { conversationId: p.conversationId, role: "customer" } })).toBe(20);
  expect(await tdb.db.escrow.count({ where: { conversationId: p.conversationId, status: "active" } })).toBe(20);
  expect(await deadlocksSoFar(), "deadlocks detected by PostgreSQL (retried by inTransaction)").toBe(before);
}, 120_000);
