// The embedded scheduler on real PostgreSQL: two schedulers running side by side on 1,000 due escrows do
// nothing twice, one worker and then four (forced to interleave) drain 1,000 due timers in batches (a few
// transactions) each exactly once, and with seconds-long windows a whole escrow runs to its automatic end
// in real time.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { activeEscrow, createParties, deliverArtifact, fund, offer, testClock, type Parties, type TestClock } from "~/test/engine-fixtures";
import type { EngineContext } from "../context";
import { createDb } from "../db/client";
import { runEscrowCommand } from "../escrow/run-command";
import { drainDueTimers, startScheduler } from "./scheduler";
import { TIMER_BATCH_SIZE } from "./fire-timer";
import { TIMERS_CHANNEL } from "../escrow/escrow-timers";
import { statementLoggingDb } from "~/test/statement-log";
import { seedDueOffers, timerTestContext } from "~/test/timer-fixtures";

const tdb = databaseForThisFile({ maxConnections: 40, ledgerBalancedAfter: true });

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function inParallel<T>(count: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += width) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(width, count - i) }, (_, j) => make(i + j)))));
  }
  return out;
}

describe("two embedded schedulers on one database", () => {
  it("process 1,000 due escrows, each exactly once", async () => {
    const clock = testClock();
    const ctx = timerTestContext(tdb.db, clock);
    const parties = await inParallel(50, 10, () => createParties(tdb.db));
    const ids = await seedDueOffers(tdb.db, parties, 1000, clock.now(), "two");
    expect(ids).toHaveLength(1000);
    clock.advanceSeconds(1); // every offer has expired

    // Two "processes": separate connection pools, the same database and clock.
    const dbA = createDb(tdb.url, { maxConnections: 10 });
    const dbB = createDb(tdb.url, { maxConnections: 10 });
    const a = startScheduler({ ...ctx, db: dbA }, { concurrency: 6, backstopEveryMs: 0, log: () => undefined });
    const b = startScheduler({ ...ctx, db: dbB }, { concurrency: 6, backstopEveryMs: 0, log: () => undefined });
    await until(async () => (await tdb.db.escrow.count({ where: { id: { in: ids }, status: "cancelled" } })) === 1000, 30_000, "all expired");
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all([dbA.$disconnect(), dbB.$disconnect()]);

    const events = await tdb.db.escrowEvent.groupBy({ by: ["escrowId"], where: { command: "offer_expired", escrowId: { in: ids } }, _count: true });
    expect(events).toHaveLength(1000);
    expect(events.every((e) => e._count === 1)).toBe(true);
    expect(await tdb.db.agentEvent.count({ where: { type: "escrow.expired", escrowId: { in: ids } } })).toBe(1000);
    expect(a.stats.applied + b.stats.applied).toBe(1000);
    // Both claimed work side by side. How the 1,000 split between them is timing, not a rule: every batch
    // locks the agents it writes for (50 here, shared by all), so batches queue, and on a loaded machine
    // one process can take every batch while the other's pool is still connecting.
    expect(a.stats.rounds).toBeGreaterThan(0);
    expect(b.stats.rounds).toBeGreaterThan(0);
    expect(a.stats.failures + b.stats.failures).toBe(0);
    expect(await tdb.db.escrowTimer.count({ where: { escrowId: { in: ids }, status: "scheduled" } })).toBe(0);
  });
});

/** Real time, plus a jump the test can make (the due time is counted in whole hours). */
function realClockWithJumps() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advanceSeconds(s: number) {
      offsetMs += s * 1000;
    },
    set() {
      throw new Error("not supported");
    },
  };
}

describe("short windows, real scheduler, real time (end to end)", () => {
  it("auto-releases, auto-escalates from disputed and negotiating, and auto-refunds an undelivered order", async () => {
    const clock = realClockWithJumps();
    const W = 2; // seconds, every window
    const ctx: EngineContext = timerTestContext(tdb.db, clock, {
      offerTtlS: 60,
      deliveryGraceS: W,
      reviewWindowS: W,
      reviewExtensionS: W,
      responseWindowS: W,
      negotiationWindowS: W,
    });
    // Long sleeps: firing on time relies on sleeping until the next timer and on NOTIFY wake-ups.
    const scheduler = startScheduler(ctx, { concurrency: 4, maxSleepMs: 30_000, backstopEveryMs: 0, listenUrl: tdb.url, log: () => undefined });
    try {
      // Its listener is connected and listening (a fixed sleep was not always enough on a loaded machine):
      // a NOTIFY sent before that would be lost, and the scheduler would sleep through a new deadline.
      await until(listenerIsListening, 30_000, "the scheduler's listener to LISTEN");
      const customer = (p: Parties) => ({ kind: "customer" as const, userId: p.customerId });
      const agent = (p: Parties) => ({ kind: "agent" as const, agentId: p.agentId });

      // Undelivered: due in one hour; jump past it (first, so no other deadline is made late by the
      // jump), then the grace period runs in real time.
      const lazy = await createParties(tdb.db);
      const undelivered = await activeEscrowDueInOneHour(ctx, lazy);
      clock.advanceSeconds(3600);
      scheduler.wake(); // the test moved the clock; a real hour would have passed in a real sleep

      const [released, escalated, negotiated] = await Promise.all(
        [0, 1, 2].map(async () => {
          const p = await createParties(tdb.db);
          return { p, escrow: await deliveredNow(ctx, p) };
        }),
      );
      await runEscrowCommand(ctx, escalated!.escrow.id, customer(escalated!.p), { command: "dispute", reason: "wrong" });
      await runEscrowCommand(ctx, negotiated!.escrow.id, customer(negotiated!.p), { command: "dispute", reason: "wrong" });
      await runEscrowCommand(ctx, negotiated!.escrow.id, agent(negotiated!.p), { command: "defend", explanation: "It is right." });

      const status = (id: string) => tdb.db.escrow.findUniqueOrThrow({ where: { id } }).then((e) => e.status);
      await until(
        async () =>
          (await status(released!.escrow.id)) === "completed" &&
          (await status(escalated!.escrow.id)) === "admin_review" &&
          (await status(negotiated!.escrow.id)) === "admin_review" &&
          (await status(undelivered.id)) === "refunded",
        30_000, // windows of 2 s; the deadline is only how long a loaded machine may take
        "every escrow to reach its automatic end",
      );

      const timed = await tdb.db.escrowEvent.findMany({
        where: { actorKind: "timer", escrowId: { in: [released!.escrow.id, escalated!.escrow.id, negotiated!.escrow.id, undelivered.id] } },
      });
      expect(timed.map((e) => e.command).sort()).toEqual(["auto_release", "delivery_timeout", "negotiation_timeout", "response_timeout"]);
      // On time: each fired at or after its deadline (the reason text records it), and within seconds of it,
      // not after the scheduler's 30 s sleep. About 0.2 s here alone; the bound leaves a loaded CI machine
      // (many times slower) room to wake, claim and commit.
      for (const e of timed) {
        const deadline = new Date(/deadline (\S+) passed/.exec(e.reason ?? "")![1]!);
        expect(e.createdAt.getTime() - deadline.getTime()).toBeGreaterThanOrEqual(0);
        expect(e.createdAt.getTime() - deadline.getTime()).toBeLessThan(5_000);
      }
      const agentEvents = await tdb.db.agentEvent.findMany({ where: { escrowId: undelivered.id, type: { in: ["escrow.due_soon", "escrow.overdue"] } } });
      expect(agentEvents.map((e) => e.type).sort()).toEqual(["escrow.due_soon", "escrow.overdue"]);
      expect(scheduler.stats.rounds).toBeLessThan(60); // slept between timers, no busy loop
    } finally {
      await scheduler.stop();
    }
  });
});

/** A backend of this file's database has run LISTEN and is idle on it (the scheduler's listener). */
async function listenerIsListening(): Promise<boolean> {
  const [row] = await tdb.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND state = 'idle' AND query ILIKE ${`LISTEN ${TIMERS_CHANNEL}%`}`;
  return (row?.n ?? 0) > 0;
}

/** Delivered without moving the clock (the shared fixture jumps a minute, which would make other deadlines late). */
async function deliveredNow(ctx: EngineContext, p: Parties) {
  const escrow = await activeEscrow(ctx, p);
  await new Promise((r) => setTimeout(r, 5)); // the artifact must be sent after funding
  await deliverArtifact(ctx, p, escrow.id);
  await runEscrowCommand(ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "complete" });
  return escrow;
}

async function activeEscrowDueInOneHour(ctx: EngineContext, p: Parties) {
  await fund(ctx, p.customerId, 2500);
  const escrow = await offer(ctx, p, { deliveryInHours: 1 });
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
  return escrow;
}

/** 20 delivered escrows whose review deadline releases the money and 980 offers that expire, all due now. */
async function seedDueBatch(ctx: EngineContext, clock: TestClock, tag: string) {
  const parties = await inParallel(20, 10, () => createParties(tdb.db));
  const delivered: string[] = [];
  for (const p of parties) {
    const escrow = await activeEscrow(ctx, p);
    clock.advanceSeconds(1);
    await deliverArtifact(ctx, p, escrow.id);
    await runEscrowCommand(ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "complete" });
    delivered.push(escrow.id);
  }
  const latest = await tdb.db.escrowTimer.aggregate({ where: { escrowId: { in: delivered }, kind: "deadline", status: "scheduled" }, _max: { fireAt: true } });
  const expiring = await seedDueOffers(tdb.db, parties, 980, clock.now(), tag);
  clock.set(new Date(latest._max.fireAt!.getTime() + 1000));
  const due = await tdb.db.escrowTimer.count({ where: { status: "scheduled", fireAt: { lte: clock.now() } } });
  expect(due).toBeGreaterThanOrEqual(1000);
  return { parties, delivered, expiring, due };
}

/** Every due timer fired exactly once: each offer expired once, each delivered escrow released once. */
async function expectEachFiredOnce(clock: TestClock, delivered: string[], expiring: string[]) {
  expect(await tdb.db.escrowTimer.count({ where: { status: "scheduled", fireAt: { lte: clock.now() } } })).toBe(0);
  const expired = await tdb.db.escrowEvent.groupBy({ by: ["escrowId"], where: { command: "offer_expired", escrowId: { in: expiring } }, _count: true });
  expect(expired).toHaveLength(980);
  expect(expired.every((e) => e._count === 1)).toBe(true);
  expect(await tdb.db.escrow.count({ where: { id: { in: delivered }, status: "completed" } })).toBe(20);
  const releases = await tdb.db.ledgerTransfer.groupBy({ by: ["escrowId"], where: { escrowId: { in: delivered }, kind: "release" }, _count: true });
  expect(releases).toHaveLength(20);
  expect(releases.every((r) => r._count === 1)).toBe(true);
}

/** Backends of this file's database waiting for a lock another transaction holds. */
async function lockWaiters(): Promise<number> {
  const [row] = await tdb.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
  return row?.n ?? 0;
}

describe("timers in batches (issue 20)", () => {
  it("1,000 due timers all fire exactly once, a few transactions for all of them, and the releases keep the ledger balanced", async () => {
    const clock = testClock();
    const log = statementLoggingDb(tdb.url);
    try {
      const ctx = timerTestContext(log.db, clock);
      const { delivered, expiring, due } = await seedDueBatch(ctx, clock, "batch");

      log.clear();
      const stats = await drainDueTimers(ctx, 1);
      const commits = log.statements.filter((s) => /^\s*COMMIT/i.test(s)).length;

      expect(stats.failures).toBe(0);
      expect(stats.applied + stats.stale).toBe(due);
      // Batches of up to TIMER_BATCH_SIZE: a handful of commits, not one per timer.
      expect(commits).toBeLessThanOrEqual(Math.ceil(due / TIMER_BATCH_SIZE) + 8);
      await expectEachFiredOnce(clock, delivered, expiring);
      // A second drain finds nothing: each fired exactly once.
      expect(await drainDueTimers(ctx, 4)).toMatchObject({ applied: 0, stale: 0, failures: 0 });
    } finally {
      await log.close();
    }
  });

  it("with 4 workers whose batches each hold a different agent when they go on, batching still holds: no deadlock, no retry, no fallback", async () => {
    const clock = testClock();
    const log = statementLoggingDb(tdb.url);
    try {
      const ctx = timerTestContext(log.db, clock);
      const { parties, delivered, expiring, due } = await seedDueBatch(ctx, clock, "four");
      // Claim order: the offers round robin over the 20 agents, each block of TIMER_BATCH_SIZE starting one
      // agent further on — so the batches' first firings take different agents (and conversations), and each
      // batch needs every agent.
      const byAgent = new Map(parties.map((p) => [p.agentId, [] as string[]]));
      for (const e of await tdb.db.escrow.findMany({ where: { id: { in: expiring } }, select: { id: true, agentId: true }, orderBy: { id: "asc" } })) {
        byAgent.get(e.agentId)!.push(e.id);
      }
      const order: string[] = [];
      for (let r = 0; order.length < expiring.length; r++) {
        const wanted = parties[(r + Math.floor(r / TIMER_BATCH_SIZE)) % parties.length]!.agentId;
        const next = byAgent.get(wanted)!.shift() ?? [...byAgent.values()].find((ids) => ids.length > 0)!.shift()!;
        order.push(next);
      }
      const base = new Date(clock.now().getTime() - 60_000);
      await tdb.db.$executeRaw`
        UPDATE escrow_timers t SET fire_at = ${base}::timestamptz + (u.r * interval '1 millisecond')
          FROM unnest(${order}::text[]) WITH ORDINALITY AS u(id, r) WHERE t.escrow_id = u.id`;

      // Each batch, after its first firing, goes on only once all four have fired their first (each then
      // holds a row every other one needs: the old code deadlocked here, every time) — or once another batch
      // waits for a lock (the batches queue, as they do when they lock in one order).
      let firstFirings = 0;
      const probe = {
        // Queued batches wait as long as it takes here (the bounded wait and its 'contended' retry have
        // their own test, timer-batch-locks.test.ts): any rollback below is a deadlock victim.
        lockWaitMs: 25_000,
        async afterFiring(index: number) {
          if (index !== 0) return;
          firstFirings++;
          await until(async () => firstFirings >= 4 || (await lockWaiters()) > 0, 30_000, "the other batches to fire or to wait");
        },
      };
      log.clear();
      const stats = await drainDueTimers(ctx, 4, undefined, undefined, probe);
      const commits = log.statements.filter((s) => /^\s*COMMIT/i.test(s)).length;
      const rollbacks = log.statements.filter((s) => /^\s*ROLLBACK/i.test(s)).length;

      expect(stats.failures).toBe(0);
      expect(stats.applied + stats.stale).toBe(due);
      expect(rollbacks, "a batch was a deadlock victim (rolled back, retried or fell back)").toBe(0);
      // Batches of up to TIMER_BATCH_SIZE, plus each worker's last, empty claim: not one commit per timer.
      expect(commits).toBeLessThanOrEqual(Math.ceil(due / TIMER_BATCH_SIZE) + 8);
      await expectEachFiredOnce(clock, delivered, expiring);
    } finally {
      await log.close();
    }
  });
});
