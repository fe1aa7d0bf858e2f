// Timer benchmark (not a test): N escrows all due at the same instant, fired by the embedded
// scheduler on a fresh embedded PostgreSQL. Reports escrows processed per second and lateness
// (seconds past the deadline) p50/p99/max. Results are recorded in docs/BENCHMARKS.md.
//
//   npx tsx bench/timers/run.ts [--count 100000] [--concurrency 8] [--schedulers 1] [--agents 500]
//
// Each escrow is a pending offer whose expiry is due: firing runs the whole engine path (row lock,
// decide, compare-and-set, audit row, agent event, system message, outbox row, timer row) except
// ledger transfers. Offers are written in bulk SQL; the deadline is set a few seconds ahead once they
// all exist, so every escrow is due at the same moment and the scheduler is sleeping until then.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDb, type Db } from "../../src/server/db/client";
import { startEmbeddedPostgres } from "../../src/server/db/embedded";
import { initTpcb, runTpcb } from "../api/pgbench";
import { createMigratedDatabase } from "../../src/server/db/migrate";
import { freePort } from "../../src/test/free-port";
import { startScheduler } from "../../src/server/jobs/scheduler";
import { seedDueOffers, timerTestContext } from "~/test/timer-fixtures";
import { createParties } from "../../src/test/engine-fixtures";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "8" },
    schedulers: { type: "string", default: "1" },
    agents: { type: "string", default: "500" },
    "lead-s": { type: "string", default: "5" },
  },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const schedulers = Number(values.schedulers);
const agents = Number(values.agents);
const leadS = Number(values["lead-s"]);

function log(line: string) {
  console.log(`[bench] ${line}`);
}

const dir = mkdtempSync(path.join(os.tmpdir(), "holdfast-bench-"));
// Durable settings (fsync on), as `npm start` runs PostgreSQL.
const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
const dbs: Db[] = [];
try {
  const url = await createMigratedDatabase(server.adminUrl, "holdfast_bench");
  const db = createDb(url, { maxConnections: 20 });
  dbs.push(db);

  log(`seeding ${count} pending offers across ${agents} agents`);
  const parties = [];
  for (let i = 0; i < agents; i += 25) {
    parties.push(...(await Promise.all(Array.from({ length: Math.min(25, agents - i) }, () => createParties(db)))));
  }
  const far = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  for (let done = 0; done < count; done += 20_000) {
    await seedDueOffers(db, parties, Math.min(20_000, count - done), far, `b${done}`);
  }
  await db.$executeRaw`VACUUM ANALYZE`;
  const dueAt = new Date(Date.now() + leadS * 1000);
  await db.$executeRaw`UPDATE escrows SET deadline = ${dueAt} WHERE deadline_action = 'offer_expired'`;
  await db.$executeRaw`UPDATE escrow_timers SET fire_at = ${dueAt}`;
  log(`all ${count} due at ${dueAt.toISOString()}; starting ${schedulers} scheduler(s) × ${concurrency} workers`);

  const running = Array.from({ length: schedulers }, () => {
    const own = createDb(url, { maxConnections: concurrency + 2 });
    dbs.push(own);
    return startScheduler(timerTestContext(own, { now: () => new Date() }), {
      concurrency,
      backstopEveryMs: 0,
      listenUrl: url,
      log: (line) => log(line),
    });
  });

  for (;;) {
    await new Promise((r) => setTimeout(r, 5_000));
    const left = await db.escrowTimer.count({ where: { status: "scheduled" } });
    log(`${count - left} fired, ${left} left`);
    if (left === 0) break;
  }
  await Promise.all(running.map((s) => s.stop()));

  const [stats] = await db.$queryRaw<
    { n: bigint; first: Date; last: Date; p50: number; p99: number; max: number }[]
  >`SELECT count(*) AS n, min(fired_at) AS first, max(fired_at) AS last,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fired_at - fire_at)) AS p50,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM fired_at - fire_at)) AS p99,
           max(extract(epoch FROM fired_at - fire_at))::float8 AS max
    FROM escrow_timers WHERE status = 'fired'`;
  const transitions = await db.escrowEvent.count({ where: { command: "offer_expired" } });
  const [dup] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT escrow_id FROM escrow_events WHERE command = 'offer_expired'
                               GROUP BY escrow_id HAVING count(*) > 1) d`;
  if (!stats) throw new Error("no results");
  // The reference on the same server (issue 20): pgbench's built-in TPC-B at 8 clients.
  log("pgbench TPC-B (tpcb-like, scale 10), 8 clients for 10 s");
  const tpcb = await runTpcb(await initTpcb(server.adminUrl), 8, 10);
  const seconds = (stats.last.getTime() - dueAt.getTime()) / 1000;
  const result = {
    escrows: Number(stats.n),
    transitions,
    duplicates: Number(dup?.n ?? 0),
    schedulers,
    concurrency,
    agents,
    wall_s: Number(seconds.toFixed(1)),
    per_second: Math.round(Number(stats.n) / seconds),
    lateness_p50_s: Number(Number(stats.p50).toFixed(2)),
    lateness_p99_s: Number(Number(stats.p99).toFixed(2)),
    lateness_max_s: Number(Number(stats.max).toFixed(2)),
    tpcb_tps_8_clients: Math.round(tpcb.tps),
    firings_per_s_over_tpcb_tps: `${((Number(stats.n) / seconds / tpcb.tps) * 100).toFixed(1)} %`,
    load_average: os.loadavg().map((l) => l.toFixed(2)).join(" "),
    first_fired_after_s: Number(((stats.first.getTime() - dueAt.getTime()) / 1000).toFixed(3)),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    date: new Date().toISOString(),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await Promise.all(dbs.map((d) => d.$disconnect()));
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
