// Concurrent timer batches take their locks in one global order (issue 20): two batches forced into the
// interleaving that used to deadlock — each batch's second firing needs a row the other batch's first
// firing took (an agent's event sequence, a conversation, an owner's wallet) — both commit whole, instead
// of PostgreSQL killing one as a deadlock victim and the scheduler falling back to one-by-one. The
// interleaving is forced (the batch probe waits for the other batch), not left to timing.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliveredEscrow, fund, offer, testClock, type Parties, type TestClock } from "~/test/engine-fixtures";
import { timerTestContext } from "~/test/timer-fixtures";
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import { newId } from "../ids";
import { acceptPurchase } from "../purchases/purchasing";
import { statementLoggingDb } from "~/test/statement-log";
import { fireDueTimerBatch, type FireOutcome } from "./fire-timer";

const tdb = databaseForThisFile({ maxConnections: 20, ledgerBalancedAfter: true });

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Backends of this test's database waiting for a lock another transaction holds (row or advisory). */
async function lockWaiters(): Promise<number> {
  const [row] = await tdb.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
  return row?.n ?? 0;
}

/** Only these escrows' current deadline timers are due, claimed in this order (1 ms apart). */
async function claimOrder(escrowIds: string[], clock: TestClock): Promise<void> {
  await tdb.db.$executeRaw`UPDATE escrow_timers t SET status = 'stale', outcome = 'not in this test' WHERE status = 'scheduled'
                             AND NOT (kind = 'deadline' AND escrow_id = ANY(${escrowIds}::text[])
                                      AND escrow_version = (SELECT e.version FROM escrows e WHERE e.id = t.escrow_id))`;
  const base = clock.now().getTime() - 10_000;
  for (const [rank, id] of escrowIds.entries()) {
    await tdb.db.escrowTimer.updateMany({ where: { escrowId: id, kind: "deadline", status: "scheduled" }, data: { fireAt: new Date(base + rank) } });
  }
}

type BatchResult = FireOutcome[] | "contended" | null;

interface Interleaved {
  a: BatchResult;
  b: BatchResult;
  /** How often each batch's transaction started firing: more than once means PostgreSQL killed an attempt (a deadlock) and inTransaction retried it. */
  attempts: { a: number; b: number };
}

/**
 * Batch A claims the first two due timers and fires its first; only then batch B claims the other two.
 * A waits until B has fired its first timer — or is waiting for a lock A holds (the batches queue instead
 * of interleaving) — before it fires its second. Then both run to the end.
 */
const QUEUED_LOCK_WAIT_MS = 25_000;

async function twoInterleavedBatches(ctx: EngineContext): Promise<Interleaved> {
  let aFiredFirst!: () => void;
  const aReady = new Promise<void>((r) => (aFiredFirst = r));
  let bFiredFirst = false;
  const attempts = { a: 0, b: 0 };
  // Queued batches wait as long as it takes (the bounded wait's 'contended' answer has its own test below):
  // with the default 5 s, a loaded machine could make B give up while A finished, which is not a collision.
  const a = fireDueTimerBatch(ctx, 2, ctx.now(), {
    lockWaitMs: QUEUED_LOCK_WAIT_MS,
    async afterFiring(index) {
      if (index !== 0) return;
      attempts.a++;
      aFiredFirst();
      await until(async () => bFiredFirst || (await lockWaiters()) > 0, "batch B to fire its first timer or to wait for batch A");
    },
  });
  await Promise.race([aReady, a]);
  const b = fireDueTimerBatch(ctx, 2, ctx.now(), {
    lockWaitMs: QUEUED_LOCK_WAIT_MS,
    async afterFiring(index) {
      if (index !== 0) return;
      attempts.b++;
      bFiredFirst = true;
    },
  });
  const [ra, rb] = await Promise.all([a, b]);
  return { a: ra, b: rb, attempts };
}

/** Both batches committed on their first attempt: neither was a deadlock victim, neither fell back. */
function expectNoCollision({ a, b, attempts }: Interleaved): void {
  expect(Array.isArray(a), "batch A rolled back and would fall back to one-by-one").toBe(true);
  expect(Array.isArray(b), "batch B rolled back and would fall back to one-by-one").toBe(true);
  expect(attempts, "a batch was killed as a deadlock victim and retried").toEqual({ a: 1, b: 1 });
}

describe("two concurrent timer batches whose firings cross (issue 20)", () => {
  it("offers of two agents in one conversation each, claimed X, Y | Y, X: both batches commit, each offer expires once", async () => {
    const clock = testClock();
    const ctx = timerTestContext(tdb.db, clock);
    const [x, y] = [await createParties(tdb.db), await createParties(tdb.db)] as [Parties, Parties];
    const [x1, x2, y1, y2] = [await offer(ctx, x), await offer(ctx, x), await offer(ctx, y), await offer(ctx, y)];
    clock.advanceSeconds(30 * 24 * 3600); // every offer has expired
    // A: x1 (agent X, conversation X), y1 (Y) — B: y2 (Y), x2 (X).
    await claimOrder([x1.id, y1.id, y2.id, x2.id], clock);

    const run = await twoInterleavedBatches(ctx);

    expectNoCollision(run);
    const [a, b] = [run.a as FireOutcome[], run.b as FireOutcome[]];
    expect(a.map((o) => o.result)).toEqual(["applied", "applied"]);
    expect(b.map((o) => o.result)).toEqual(["applied", "applied"]);
    const ids = [x1.id, x2.id, y1.id, y2.id];
    expect(await tdb.db.escrow.count({ where: { id: { in: ids }, status: "cancelled" } })).toBe(4);
    const expired = await tdb.db.escrowEvent.groupBy({ by: ["escrowId"], where: { command: "offer_expired", escrowId: { in: ids } }, _count: true });
    expect(expired.map((e) => e._count)).toEqual([1, 1, 1, 1]);
    // Each agent's event sequence has no gap and no duplicate.
    for (const p of [x, y]) {
      const seqs = (await tdb.db.agentEvent.findMany({ where: { agentId: p.agentId }, orderBy: { seq: "asc" }, select: { seq: true } })).map((e) => Number(e.seq));
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    }
  });

  it.each([
    ["wallets that do not exist yet", false],
    ["wallets that exist", true],
  ])("releases to two owners' %s, claimed O1, O2 | O2, O1: both batches commit, each pays once", async (_label, walletsExist) => {
    const clock = testClock();
    const ctx = timerTestContext(tdb.db, clock, undefined, { feeBps: 0 }); // no fee: the owners' wallets are the only shared rows
    const ps = [await createParties(tdb.db), await createParties(tdb.db), await createParties(tdb.db), await createParties(tdb.db)] as Parties[];
    // Four agents, four conversations, two owners: agents 0 and 3 are O1's, 1 and 2 are O2's.
    const [o1, o2] = [ps[0]!.ownerId, ps[1]!.ownerId];
    await tdb.db.agent.update({ where: { id: ps[3]!.agentId }, data: { ownerId: o1 } });
    await tdb.db.agent.update({ where: { id: ps[2]!.agentId }, data: { ownerId: o2 } });
    if (walletsExist) for (const owner of [o1, o2]) await fund(ctx, owner, 100);
    const escrows = [];
    for (const p of ps) escrows.push(await deliveredEscrow(ctx, clock, { ...p, ownerId: p === ps[3] ? o1 : p === ps[2] ? o2 : p.ownerId }));
    clock.advanceSeconds(30 * 24 * 3600); // every review window has ended
    // A: agent 0 (O1), agent 2 (O2) — B: agent 1 (O2), agent 3 (O1).
    const [e0, e1, e2, e3] = escrows.map((e) => e.id) as [string, string, string, string];
    await claimOrder([e0, e2, e1, e3], clock);

    const run = await twoInterleavedBatches(ctx);

    expectNoCollision(run);
    const [a, b] = [run.a as FireOutcome[], run.b as FireOutcome[]];
    expect([...a!, ...b!].map((o) => o.result)).toEqual(["applied", "applied", "applied", "applied"]);
    const ids = [e0, e1, e2, e3];
    expect(await tdb.db.escrow.count({ where: { id: { in: ids }, status: "completed" } })).toBe(4);
    const releases = await tdb.db.ledgerTransfer.groupBy({ by: ["escrowId"], where: { escrowId: { in: ids }, kind: "release" }, _count: true });
    expect(releases.map((r) => r._count)).toEqual([1, 1, 1, 1]);
    for (const owner of [o1, o2]) {
      const wallet = await tdb.db.ledgerAccount.findUniqueOrThrow({ where: { key: `wallet:${owner}:USD` } });
      expect(Number(wallet.balanceMinor)).toBe(2 * 2500 + (walletsExist ? 100 : 0));
    }
  });
});

describe("a batch whose rows stay locked past its lock wait", () => {
  it("gives its timers back ('contended', nothing fired, nothing rolled into one-by-one) and fires them on the next claim", async () => {
    const clock = testClock();
    const ctx = timerTestContext(tdb.db, clock);
    const x = await createParties(tdb.db);
    const [x1, x2] = [await offer(ctx, x), await offer(ctx, x)];
    clock.advanceSeconds(30 * 24 * 3600);
    await claimOrder([x1.id, x2.id], clock);

    // A fires x1 and holds agent X until B has given up; B (x2, the same agent) waits 300 ms at most.
    let aFiredFirst!: () => void;
    const aReady = new Promise<void>((r) => (aFiredFirst = r));
    let bSettled = false;
    const a = fireDueTimerBatch(ctx, 1, ctx.now(), {
      async afterFiring() {
        aFiredFirst();
        await until(async () => bSettled, "batch B to give up");
      },
    });
    await Promise.race([aReady, a]);
    const b = await fireDueTimerBatch(ctx, 1, ctx.now(), { lockWaitMs: 300 });
    bSettled = true;

    expect(b).toBe("contended");
    expect(await a).toMatchObject([{ result: "applied", escrowId: x1.id }]);
    expect(await tdb.db.escrowTimer.count({ where: { escrowId: x2.id, status: "scheduled" } })).toBe(1);
    expect(await fireDueTimerBatch(ctx, 1, ctx.now())).toMatchObject([{ result: "applied", escrowId: x2.id }]);
    expect(await tdb.db.escrow.count({ where: { id: { in: [x1.id, x2.id] }, status: "cancelled" } })).toBe(2);
  });
});

describe("a timer batch and a buying agent's accept that need the same two agents", () => {
  it("queue (the accept takes both agents in id order, as the batch does): no deadlock, no retry", async () => {
    const clock = testClock();
    const log = statementLoggingDb(tdb.url);
    try {
      const ctx = timerTestContext(log.db, clock);
      const seller = await createParties(tdb.db);
      // The buyer's id sorts after the seller's: a batch locks the seller first, the old accept the buyer first.
      const buyerAgentId = `agt_zzzzzz${newId("agt").slice(4, 18)}`;
      const conversationId = newId("cnv");
      await tdb.db.agent.create({
        data: { id: buyerAgentId, ownerId: seller.customerId, handle: `buyer-${buyerAgentId}`, displayName: "Buyer", purchasingEnabled: true, purchaseLimitMinor: 100_000n },
      });
      await tdb.db.conversation.create({ data: { id: conversationId, agentId: seller.agentId, customerId: seller.customerId, buyerAgentId } });
      await fund(ctx, seller.customerId, 5_000);
      const expiring = await offer(ctx, { ...seller, conversationId }); // seller and buyer agent: the batch locks both
      clock.advanceSeconds(30 * 24 * 3600);
      const accepting = await offer(ctx, { ...seller, conversationId });
      await claimOrder([expiring.id], clock);

      // A third transaction holds the buying agent, so the accept and the batch both reach it and wait.
      let holding!: () => void;
      const held = new Promise<void>((r) => (holding = r));
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const holder = inTransaction(tdb.db, async (tx) => {
        await tx.$queryRaw`SELECT id FROM agents WHERE id = ${buyerAgentId} FOR UPDATE`;
        holding();
        await released;
      });
      await held;
      const accept = inTransaction(log.db, (tx) => acceptPurchase(tx, ctx, buyerAgentId, accepting.id));
      await until(async () => (await lockWaiters()) >= 1, "the accept to wait");
      const batch = fireDueTimerBatch(ctx, 10, ctx.now(), { lockWaitMs: 20_000 });
      await until(async () => (await lockWaiters()) >= 2, "the batch to wait");
      log.clear();
      release();
      await holder;
      const [accepted, fired] = await Promise.all([accept, batch]);

      expect(accepted.escrow.status).toBe("active");
      expect(fired).toMatchObject([{ result: "applied", escrowId: expiring.id }]);
      expect(log.statements.filter((s) => /^\s*ROLLBACK/i.test(s)), "a deadlock victim was rolled back and retried").toEqual([]);
    } finally {
      await log.close();
    }
  });
});
