// The scheduler's wake-ups: a NOTIFY is delivered only to sessions already listening when the planning
// transaction commits. A timer planned while the scheduler's listener was still connecting (or while the
// loop was between its read of the next due time and its sleep) must not wait out the loop's long sleep.
// The listener's connection goes through a relay that holds it until the test lets it through.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { heldRelay } from "~/test/held-relay";
import { createParties, offer } from "~/test/engine-fixtures";
import { realClock, timerTestContext } from "~/test/timer-fixtures";
import { createDb } from "../db/client";
import { startScheduler } from "./scheduler";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the scheduler's listener", () => {
  it("a timer planned before the listener was connected fires on time once it is (not after the long sleep)", async () => {
    const SCHEDULER = "scheduler under test";
    const named = new URL(tdb.url);
    named.searchParams.set("application_name", SCHEDULER);
    const schedulerDb = createDb(named.toString(), { maxConnections: 2 });
    const relay = await heldRelay(new URL(tdb.url));
    const ctx = timerTestContext(tdb.db, realClock, { offerTtlS: 2 });
    const p = await createParties(tdb.db);
    const scheduler = startScheduler({ ...ctx, db: schedulerDb }, { concurrency: 1, maxSleepMs: 120_000, backstopEveryMs: 0, listenUrl: relay.url, log: () => undefined });
    try {
      // Its first round found nothing due and it went to sleep for the longest time; its listener is still held.
      await until(() => scheduler.stats.rounds >= 1 && relay.held() === 1, 30_000, "the first round and the held listener");
      const busy = async () => {
        const [row] = await tdb.db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = ${SCHEDULER} AND state <> 'idle'`;
        return (row?.n ?? 0) > 0;
      };
      await until(async () => !(await busy()) && !(await new Promise((r) => setTimeout(r, 200)).then(busy)), 30_000, "the scheduler to sleep");

      // An offer expiring in 2 s: its NOTIFY reaches nobody. Then the listener gets through.
      const expiring = await offer(ctx, p);
      relay.release();

      const status = () => tdb.db.escrow.findUniqueOrThrow({ where: { id: expiring.id } }).then((e) => e.status);
      await until(async () => (await status()) === "cancelled", 30_000, "the offer to expire (the scheduler slept through it)");
      const fired = await tdb.db.escrowEvent.findFirstOrThrow({ where: { escrowId: expiring.id, command: "offer_expired" } });
      expect(fired.actorKind).toBe("timer");
    } finally {
      await relay.close(); // first: a listener still held would keep the scheduler's stop waiting
      await scheduler.stop();
      await schedulerDb.$disconnect();
    }
  }, 90_000);
});
