// The moderators' ranking and the queue's agent cases read set-wise (issue 17 review): every seller's
// standing in one statement and each case's details in a fixed number of reads, so the number of
// statements does not grow with the number of agents (it read a reputation and a standing per agent,
// then a handful more per case). The cases read this way are the ones read one at a time.
import { afterAll, beforeAll, expect, it } from "vitest";
import { SIGNAL_ACTIONS } from "~/domain/signals";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createParties, fund, offer, testClock, testContext, type Parties } from "~/test/engine-fixtures";
import { statementLoggingDb, type StatementLog } from "~/test/statement-log";
import type { EngineContext } from "../context";
import { runEscrowCommand } from "../escrow/run-command";
import { newId } from "../ids";
import { agentCase, agentCaseQueue } from "../moderation/agent-cases";
import { rankAgentsBySignals } from "./signals";

let tdb: TestDatabase;
let log: StatementLog;
beforeAll(async () => {
  tdb = await createTestDatabase();
  log = statementLoggingDb(tdb.url);
});
afterAll(async () => {
  await log.close();
  await tdb.drop();
});

const clock = testClock();
const ctxOn = (db: TestDatabase["db"]): EngineContext => {
  const base = testContext(db, clock, 0);
  return { ...base, config: { ...base.config, signalActions: SIGNAL_ACTIONS } };
};

/** A seller whose owner bought from it once (self-dealing: an open signal). */
async function selfDealer(): Promise<Parties> {
  const ctx = ctxOn(tdb.db);
  const p = await createParties(tdb.db);
  const conversationId = newId("cnv");
  await tdb.db.conversation.create({ data: { id: conversationId, agentId: p.agentId, customerId: p.ownerId } });
  const self = { ...p, customerId: p.ownerId, conversationId };
  await fund(ctx, p.ownerId, 10_000);
  const e = await offer(ctx, self, { amountMinor: 1_000 });
  await runEscrowCommand(ctx, e.id, { kind: "customer", userId: p.ownerId }, { command: "accept" });
  return p;
}

async function statementsOf(run: (ctx: EngineContext) => Promise<unknown>): Promise<number> {
  log.clear();
  await run(ctxOn(log.db));
  return log.statements.filter((s) => /^\s*(SELECT|WITH)/i.test(s)).length;
}

it("ranks and lists agent cases in the same number of statements for 1 agent as for 6", async () => {
  const first = await selfDealer();
  const oneRank = await statementsOf((ctx) => rankAgentsBySignals(ctx));
  const oneQueue = await statementsOf((ctx) => agentCaseQueue(ctx));
  for (let i = 0; i < 5; i++) await selfDealer();

  const ctx = ctxOn(tdb.db);
  const ranked = await rankAgentsBySignals(ctx);
  expect(ranked).toHaveLength(6);
  const queue = await agentCaseQueue(ctx);
  expect(queue).toHaveLength(6);
  expect(await statementsOf((c) => rankAgentsBySignals(c))).toBe(oneRank);
  expect(await statementsOf((c) => agentCaseQueue(c))).toBe(oneQueue);
  expect(oneRank).toBeLessThanOrEqual(3); // the standings; the finished sales and their events (Prisma reads an include in a second statement)
  expect(oneQueue).toBeLessThanOrEqual(4);

  // The set-wise case is the case read alone.
  const mine = queue.find((c) => c.agent.id === first.agentId)!;
  expect(mine).toEqual(await agentCase(ctx, first.agentId));
  expect(mine).toMatchObject({ action: "lengthen_hold", score: 50, agent: { restricted: false } });
  expect(mine.escrows).toHaveLength(1);
  expect(ranked.find((r) => r.agent.id === first.agentId)?.reputation.finished).toBe(0);
});
