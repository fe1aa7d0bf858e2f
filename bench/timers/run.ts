// Timer benchmark (not a test): N escrows all due at the same instant, fired by the embedded
// scheduler on a fresh embedded PostgreSQL. Reports escrows processed per second and lateness
// (seconds past the deadline) p50/p99/max. Results are recorded in docs/BENCHMARKS.md.
//
//   npx tsx bench/timers/run.ts [--count 100000] [--concurrency 8] [--schedulers 1] [--agents 500]
//                               [--batch-size 200] [--log-level info] [--cpu-prof DIR] [--named-statements]
//
// Besides the rate it prints where a firing's time goes: SQL statements and commits per firing (every
// statement the schedulers' pool connections send, counted at the client; commits from
// pg_stat_database), CPU seconds of this process (the schedulers run here) and of PostgreSQL, and what
// PostgreSQL's backends were waiting on (pg_stat_activity sampled every 100 ms: locks, WAL fsync, the
// client). --cpu-prof DIR profiles this process with the inspector while the timers fire and prints
// self time by package and the heaviest functions (bench/api/profile.ts). --log-level sets
// HOLDFAST_LOG_LEVEL (production runs info: one line per transition); --named-statements has the
// schedulers' Prisma client send named (per-connection prepared) statements instead of unnamed ones.
//
// Each escrow is a pending offer whose expiry is due: firing runs the whole engine path (row lock,
// decide, compare-and-set, audit row, agent event, system message, outbox row, timer row) except
// ledger transfers. Offers are written in bulk SQL; the deadline is set a few seconds ahead once they
// all exist, so every escrow is due at the same moment and the scheduler is sleeping until then.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createDb, poolOf, type Db } from "../../src/server/db/client";
import { startEmbeddedPostgres } from "../../src/server/db/embedded";
import { initTpcb, runTpcb } from "../api/pgbench";
import { printProfileSummary, summarizeCpuProfiles } from "../api/profile";
import { postmasterPid, treeCpuSeconds } from "../api/stack";
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
    "batch-size": { type: "string" },
    "log-level": { type: "string" },
    "cpu-prof": { type: "string" },
    "named-statements": { type: "boolean", default: false },
  },
});
// Before the first line is logged: the logger reads it once, lazily.
if (values["log-level"]) process.env.HOLDFAST_LOG_LEVEL = values["log-level"];
const batchSize = values["batch-size"] ? Number(values["batch-size"]) : undefined;
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
const pgDataDir = path.join(dir, "pg");
const server = await startEmbeddedPostgres({ dataDir: pgDataDir, port: await freePort() });
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

  // Statements the schedulers send: counted on their own pool connections only (not this loop's polls).
  let statements = 0;
  let commits = 0;
  const schedulerClients = new WeakSet<pg.Client>();
  const counted = new WeakSet<object>();
  const countOn = (pool: pg.Pool) => {
    pool.on("connect", (client) => schedulerClients.add(client));
    const Client = (pool as unknown as { options: { Client: typeof pg.Client } }).options.Client;
    if (counted.has(Client.prototype)) return;
    counted.add(Client.prototype);
    const query = Client.prototype.query;
    Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
      if (schedulerClients.has(this)) {
        statements++;
        const first = args[0] as string | { text?: string } | undefined;
        if (/^\s*COMMIT/i.test((typeof first === "string" ? first : first?.text) ?? "")) commits++;
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  };
  const databaseStats = async () => {
    const [row] = await db.$queryRaw<{ xact_commit: bigint; xact_rollback: bigint; tup_inserted: bigint; tup_updated: bigint; tup_deleted: bigint; tup_returned: bigint; tup_fetched: bigint }[]>`
      SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_returned, tup_fetched
      FROM pg_stat_database WHERE datname = current_database()`;
    return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
  };
  // Which tables the rows read come from (sequential vs index), to find a scan that grows with the backlog.
  const tableStats = async () =>
    new Map(
      (await db.$queryRaw<{ relname: string; seq_tup_read: bigint; idx_tup_fetch: bigint; n_tup_upd: bigint; n_tup_hot_upd: bigint }[]>`
        SELECT relname, seq_tup_read, coalesce(idx_tup_fetch, 0) AS idx_tup_fetch, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables`).map((r) => [
        r.relname,
        { seq: Number(r.seq_tup_read), idx: Number(r.idx_tup_fetch), upd: Number(r.n_tup_upd), hot: Number(r.n_tup_hot_upd) },
      ]),
    );
  // What the database's other backends are doing, every 100 ms: on CPU, waiting on a lock, on WAL fsync…
  const waits = new Map<string, number>();
  let waitSamples = 0;
  const sampler = setInterval(() => {
    void db.$queryRaw<{ wait: string; n: bigint }[]>`
      SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || wait_event, 'CPU (active, no wait)')
                  ELSE state || coalesce(' (' || wait_event || ')', '') END AS wait, count(*) AS n
      FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
      GROUP BY 1`.then((rows) => {
      waitSamples++;
      for (const r of rows) waits.set(r.wait, (waits.get(r.wait) ?? 0) + Number(r.n));
    }, () => {});
  }, 100);
  const profileDir = values["cpu-prof"] ? path.resolve(values["cpu-prof"]) : null;
  const inspector = profileDir ? new Session() : null;
  if (inspector) {
    inspector.connect();
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.start");
  }
  // Let the stats of the seeding settle before the baseline (pg_stat_database is flushed about once a second).
  await new Promise((r) => setTimeout(r, 1_500));
  const before = { tables: await tableStats(), db: await databaseStats(), pgCpuS: treeCpuSeconds(postmasterPid(pgDataDir)), nodeCpu: process.cpuUsage() };

  const running = Array.from({ length: schedulers }, () => {
    const own = createDb(url, { maxConnections: concurrency + 2, namedStatements: values["named-statements"] });
    dbs.push(own);
    countOn(poolOf(own)!);
    return startScheduler(timerTestContext(own, { now: () => new Date() }), {
      concurrency,
      backstopEveryMs: 0,
      listenUrl: url,
      log: (line) => log(line),
      batch: batchSize ? { batchSize } : undefined,
    });
  });

  for (;;) {
    await new Promise((r) => setTimeout(r, 5_000));
    const left = await db.escrowTimer.count({ where: { status: "scheduled" } });
    log(`${count - left} fired, ${left} left`);
    if (left === 0) break;
  }
  await Promise.all(running.map((s) => s.stop()));
  clearInterval(sampler);
  const nodeCpu = process.cpuUsage(before.nodeCpu);
  const pgCpuS = treeCpuSeconds(postmasterPid(pgDataDir)) - before.pgCpuS;
  let profile: ReturnType<typeof summarizeCpuProfiles> | null = null;
  if (inspector && profileDir) {
    const { profile: taken } = await inspector.post("Profiler.stop");
    inspector.disconnect();
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(path.join(profileDir, `timers-${Date.now()}.cpuprofile`), JSON.stringify(taken));
    profile = summarizeCpuProfiles(profileDir);
  }
  await new Promise((r) => setTimeout(r, 1_500));
  const after = await databaseStats();
  const tablesAfter = await tableStats();

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
  const fired = Number(stats.n);
  const delta = (k: string) => (after[k] ?? 0) - (before.db[k] ?? 0);
  const nodeCpuS = (nodeCpu.user + nodeCpu.system) / 1e6;
  const perFiring = (n: number) => Number((n / fired).toFixed(2));
  const cpuMsPerFiring = (s: number) => Number(((1000 * s) / fired).toFixed(2));
  if (profile) {
    console.log("");
    printProfileSummary(profile, 30, fired);
    console.log("(per request = per firing; the profile covers this process: the schedulers and this loop's polls)");
  }
  console.log("");
  console.log(`PostgreSQL backends (pg_stat_activity every 100 ms, ${waitSamples} samples; average backends in each state):`);
  for (const [k, n] of [...waits].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / Math.max(waitSamples, 1)).toFixed(2).padStart(6)}  ${k}`);
  console.log("");
  console.log("Rows per firing by table (pg_stat_user_tables deltas over the drain, the bench's own polls included)");
  for (const [name, t] of [...tablesAfter]
    .map(([name, t]) => {
      const b = before.tables.get(name) ?? { seq: 0, idx: 0, upd: 0, hot: 0 };
      return [name, { seq: t.seq - b.seq, idx: t.idx - b.idx, upd: t.upd - b.upd, hot: t.hot - b.hot }] as const;
    })
    .filter(([, t]) => t.seq + t.idx + t.upd > 0)
    .sort((a, b) => b[1].seq + b[1].idx - (a[1].seq + a[1].idx))) {
    console.log(`  ${name.padEnd(28)} seq read ${(t.seq / fired).toFixed(1).padStart(8)}  index fetch ${(t.idx / fired).toFixed(1).padStart(7)}  updated ${(t.upd / fired).toFixed(2).padStart(5)} (HOT ${(t.hot / fired).toFixed(2)})`);
  }
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
    batch_size: batchSize ?? "default (200)",
    log_level: process.env.HOLDFAST_LOG_LEVEL ?? "info",
    named_statements: values["named-statements"],
    statements_per_firing: perFiring(statements),
    commits_per_firing: perFiring(commits),
    rollbacks: delta("xact_rollback"),
    rows_written_per_firing: perFiring(delta("tup_inserted") + delta("tup_updated") + delta("tup_deleted")),
    rows_read_per_firing: perFiring(delta("tup_returned") + delta("tup_fetched")),
    node_cpu_s: Number(nodeCpuS.toFixed(1)),
    postgres_cpu_s: Number(pgCpuS.toFixed(1)),
    node_cpu_ms_per_firing: cpuMsPerFiring(nodeCpuS),
    postgres_cpu_ms_per_firing: cpuMsPerFiring(pgCpuS),
    cpu_busy_share_of_2_cores: `${((100 * (nodeCpuS + pgCpuS)) / (os.cpus().length * seconds)).toFixed(0)} %`,
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
