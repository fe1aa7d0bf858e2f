// Crash and restart: a real scheduler process (src/server/jobs/run-scheduler.ts) works through due
// escrows, is killed with SIGKILL mid-run, and a new one finishes the work. The database is the only
// state: every escrow is processed, none twice.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createParties } from "~/test/engine-fixtures";
import { seedDueOffers } from "~/test/timer-fixtures";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

/** The test database's URL with the scheduler process's name on its connections (pg_stat_activity.application_name). */
function urlNamed(applicationName: string): string {
  const url = new URL(tdb.url);
  url.searchParams.set("application_name", applicationName);
  return url.toString();
}

/** Backends still open for the named process (a killed process's backends end once PostgreSQL notices). */
async function backendsOf(applicationName: string): Promise<number> {
  const [row] = await tdb.db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = ${applicationName}`;
  return row?.n ?? 0;
}

function startWorker(url: string): ChildProcess {
  // One process (node with tsx's loader, not the tsx CLI, which would run the script in a grandchild
  // that a SIGKILL of the CLI leaves running).
  return spawn(process.execPath, ["--import", "tsx", path.resolve("src/server/jobs/run-scheduler.ts")], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      NODE_ENV: "test",
      HOLDFAST_TIMERS: "embedded",
      // Slow enough that the kill lands mid-run.
      HOLDFAST_SCHEDULER_CONCURRENCY: "2",
      HOLDFAST_SCHEDULER_MAX_SLEEP_S: "1",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const N = 500;

describe("kill the scheduler while deadlines are due, restart it", () => {
  it("processes every due escrow exactly once", async () => {
    const parties = await Promise.all(Array.from({ length: 20 }, () => createParties(tdb.db)));
    const ids = await seedDueOffers(tdb.db, parties, N, new Date(Date.now() - 1000), "crash");
    const expired = () => tdb.db.escrow.count({ where: { id: { in: ids }, status: "cancelled" } });

    const first = startWorker(urlNamed("first scheduler"));
    const firstExit = new Promise<NodeJS.Signals | null>((resolve) => first.once("exit", (_code, signal) => resolve(signal)));
    await until(async () => (await expired()) >= 50, 90_000, "the first process to make progress");
    first.kill("SIGKILL");
    expect(await firstExit).toBe("SIGKILL");
    // A COMMIT the process sent just before it died still completes: counted once its backends are gone
    // (read at once, an in-flight commit could land during the half second below).
    await until(async () => (await backendsOf("first scheduler")) === 0, 30_000, "the killed process's backends to end");
    // Nothing happens any more without a scheduler: the killed process is really gone.
    const afterKill = await expired();
    await new Promise((r) => setTimeout(r, 500));
    expect(await expired()).toBe(afterKill);
    expect(afterKill).toBeLessThan(N); // killed mid-run, work was left

    const second = startWorker(tdb.url);
    try {
      await until(async () => (await expired()) === N, 120_000, "the restarted process to finish");
    } finally {
      second.kill("SIGTERM");
      await new Promise((resolve) => second.once("exit", resolve));
    }

    const events = await tdb.db.escrowEvent.groupBy({ by: ["escrowId"], where: { escrowId: { in: ids }, command: "offer_expired" }, _count: true });
    expect(events).toHaveLength(N);
    expect(events.filter((e) => e._count !== 1)).toEqual([]);
    expect(await tdb.db.agentEvent.count({ where: { escrowId: { in: ids }, type: "escrow.expired" } })).toBe(N);
    expect(await tdb.db.escrowTimer.count({ where: { escrowId: { in: ids }, status: { not: "fired" } } })).toBe(0);
  }, 300_000);
});
