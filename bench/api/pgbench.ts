// pgbench beside the HTTP load: bench/api/transition.sql (the SQL of one `accept` transition) on
// the same PostgreSQL server and database, with its own seeded rows, at the same client count.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDb } from "../../src/server/db/client";
import { seedDueOffers } from "~/test/timer-fixtures";
import { onCleanup, seedPairs } from "./stack";
import { Samples } from "./stats";

export const PGBENCH = process.env.PGBENCH ?? "/usr/lib/postgresql/15/bin/pgbench";
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "transition.sql");

/**
 * Pending escrows for pgbench to accept (one per transaction), over pairs of its own: each customer signed
 * in (the session the script reads), each agent with the sales record an agent of the HTTP load has after
 * its first approvals (one agent_records row, one buyer), which the seller's lock statement reads.
 */
export async function seedPgbenchJobs(url: string, pairs: number, jobs: number) {
  const parties = await seedPairs(url, pairs, "pgbench");
  const db = createDb(url, { maxConnections: 2 });
  try {
    const far = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    await seedDueOffers(db, parties, jobs, far, "pgb");
    const agents = parties.map((p) => p.agentId);
    const customers = parties.map((p) => p.customerId);
    await db.$executeRaw`
      INSERT INTO agent_records (agent_id, currency, sales, released_minor, updated_at)
      SELECT a, 'USD', 10, 25000, now() FROM unnest(${agents}::text[]) a`;
    await db.$executeRaw`
      INSERT INTO agent_record_buyers (agent_id, buyer_id, currency, sales, amount_minor, released_minor,
                                       largest_released_minor, largest_released_at, first_sale_at)
      SELECT a, c, 'USD', 10, 25000, 25000, 2500, now(), now() - interval '1 day'
        FROM unnest(${agents}::text[], ${customers}::text[]) AS p(a, c)`;
    // Consecutive jobs belong to different pairs (escrow g is pair g mod pairs), so concurrent
    // clients do not queue on one wallet or one agent's event sequence — as the HTTP users don't.
    await db.$executeRawUnsafe(`
      CREATE TABLE bench_pgbench_jobs AS
      SELECT (substring(e.id from 9))::bigint + 1 AS n, e.id AS escrow_id, e.agent_id, e.customer_id, e.conversation_id,
             w.id AS wallet_id, e.reference_code, e.title, e.service_id, e.created_at,
             (SELECT s.token_hash FROM sessions s WHERE s.user_id = e.customer_id LIMIT 1) AS token_hash
        FROM escrows e JOIN ledger_accounts w ON w.key = 'wallet:' || e.customer_id || ':USD'
       WHERE e.id LIKE 'esc\\_pgb\\_%'`);
    await db.$executeRawUnsafe(`ALTER TABLE bench_pgbench_jobs ADD PRIMARY KEY (n)`);
    await db.$executeRawUnsafe(`CREATE SEQUENCE bench_pgbench_seq`);
    await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  } finally {
    await db.$disconnect();
  }
}

/** Jobs handed out so far (the script takes one per transaction from the sequence). */
async function jobsTaken(db: ReturnType<typeof createDb>): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ n: bigint; called: boolean }[]>(`SELECT last_value AS n, is_called AS called FROM bench_pgbench_seq`);
  const row = rows[0];
  return row?.called ? Number(row.n) : 0;
}

export interface PgbenchCheck {
  /** Jobs the script took from the sequence in the run. */
  taken: number;
  /** Of those: escrows active at version 2 with the full change set (event, message, timers, outbox). */
  active: number;
  /** Of those: the escrow's ledger account holds the amount, moved by one fund transfer from the customer's wallet. */
  funded: number;
  /** Wallets of the pgbench customers whose balance is not their top-up less what their accepted escrows hold. */
  walletsOff: number;
}

/**
 * What pgbench's transactions really did, job by job: each escrow it took went pending → active with its
 * ledger moved (the script mirrors the API's statements; if it silently stopped doing the work, the
 * comparison would measure nothing). Jobs n in (from, to].
 */
export async function checkPgbenchJobs(db: ReturnType<typeof createDb>, from: number, to: number): Promise<PgbenchCheck> {
  const [row] = await db.$queryRaw<{ active: bigint; funded: bigint }[]>`
    SELECT count(*) FILTER (WHERE e.status = 'active' AND e.version = 2
             AND EXISTS (SELECT 1 FROM escrow_events v WHERE v.escrow_id = e.id AND v.command = 'accept' AND v.version = 2)
             AND EXISTS (SELECT 1 FROM agent_events a WHERE a.escrow_id = e.id AND a.type = 'escrow.funded')
             AND EXISTS (SELECT 1 FROM messages m WHERE m.id = 'msg_pgb_' || j.n AND m.escrow_id = e.id)
             AND (SELECT count(*) FROM escrow_timers t WHERE t.escrow_id = e.id AND t.escrow_version = 2) = 3
             AND EXISTS (SELECT 1 FROM outbox o WHERE o.request_id = 'req_pgb_' || j.n)) AS active,
           count(*) FILTER (WHERE ea.balance_minor = e.amount_minor
             AND EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.operation_key = e.id || ':fund' AND t.kind = 'fund'
                           AND t.from_account_id = j.wallet_id AND t.to_account_id = ea.id AND t.amount_minor = e.amount_minor)) AS funded
      FROM bench_pgbench_jobs j JOIN escrows e ON e.id = j.escrow_id
      LEFT JOIN ledger_accounts ea ON ea.key = 'escrow:' || e.id
     WHERE j.n > ${from} AND j.n <= ${to}`;
  // Every pgbench wallet: its top-up (the only credit) less the escrows it funded, over all runs so far.
  const [wallets] = await db.$queryRaw<{ off: bigint }[]>`
    SELECT count(*) AS off FROM (
      SELECT w.id, w.balance_minor,
             (SELECT COALESCE(sum(t.amount_minor), 0) FROM ledger_transfers t WHERE t.to_account_id = w.id) AS credited,
             (SELECT COALESCE(sum(e.amount_minor), 0) FROM escrows e WHERE e.customer_id = w.user_id AND e.id LIKE 'esc\\_pgb\\_%' AND e.status = 'active') AS held
        FROM ledger_accounts w WHERE w.id IN (SELECT DISTINCT wallet_id FROM bench_pgbench_jobs)) x
     WHERE balance_minor <> credited - held`;
  return { taken: to - from, active: Number(row?.active ?? 0), funded: Number(row?.funded ?? 0), walletsOff: Number(wallets?.off ?? 0) };
}

export interface PgbenchResult {
  clients: number;
  seconds: number;
  transactions: number;
  failed: number;
  tps: number;
  latency: Samples;
  /** Pending escrows the transactions really moved to active (checks the script did its work). */
  accepted: number;
  check: PgbenchCheck;
}

export async function runPgbench(url: string, clients: number, seconds: number): Promise<PgbenchResult> {
  const db = createDb(url, { maxConnections: 1 });
  const logDir = mkdtempSync(path.join(os.tmpdir(), "holdfast-pgbench-"));
  try {
    const before = await acceptedCount(db);
    const takenBefore = await jobsTaken(db);
    const threads = Math.min(clients, os.cpus().length);
    const args = ["-n", "-M", "extended", "-f", SCRIPT, "-c", String(clients), "-j", String(threads), "-T", String(seconds)];
    args.push("--log", "--log-prefix", path.join(logDir, "tx"), url);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(PGBENCH, args, { stdio: ["ignore", "pipe", "pipe"] });
      const stop = async () => {
        if (child.exitCode === null) child.kill("SIGINT");
      };
      onCleanup(stop);
      let text = "";
      child.stdout.on("data", (c: Buffer) => (text += c.toString()));
      child.stderr.on("data", (c: Buffer) => (text += c.toString()));
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench exited with ${code}:\n${text}`))));
    });
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? Number.NaN);
    const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? Number.NaN);
    if (!Number.isFinite(transactions) || !Number.isFinite(tps)) throw new Error(`unexpected pgbench output:\n${output}`);
    // Per-transaction log: client_id transaction_no latency_us script_no epoch epoch_us
    const latency = new Samples();
    for (const file of readdirSync(logDir)) {
      for (const line of readFileSync(path.join(logDir, file), "utf8").split("\n")) {
        const fields = line.split(" ");
        if (fields.length >= 3) latency.add(Number(fields[2]) / 1000);
      }
    }
    const accepted = (await acceptedCount(db)) - before;
    const check = await checkPgbenchJobs(db, takenBefore, await jobsTaken(db));
    const ok = check.taken === transactions && check.active === check.taken && check.funded === check.taken && check.walletsOff === 0 && accepted === transactions;
    if (!ok) {
      throw new Error(
        `pgbench's transactions did not do the accept's work: ${transactions} transactions, ${check.taken} jobs taken, ` +
          `${check.active} escrows active with their change set, ${check.funded} with their ledger moved, ` +
          `${check.walletsOff} wallets off their balance, ${accepted} newly active (bench/api/transition.sql)`,
      );
    }
    return { clients, seconds, transactions, failed, tps, latency, accepted, check };
  } finally {
    await db.$disconnect();
    rmSync(logDir, { recursive: true, force: true });
  }
}

async function acceptedCount(db: ReturnType<typeof createDb>): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM escrows WHERE id LIKE 'esc\\_pgb\\_%' AND status = 'active'`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * pgbench's built-in TPC-B (`tpcb-like`: five statements in one commit) on its own database of the same
 * PostgreSQL server: the physical reference the issue measures the engine against (issue 20). Initialised
 * once (`pgbench -i -s 10`); each run at the caller's client count, `-M extended` like Prisma.
 */
export async function initTpcb(adminUrl: string, scale = 10): Promise<string> {
  const admin = createDb(adminUrl, { maxConnections: 1 });
  try {
    await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS holdfast_tpcb`);
    await admin.$executeRawUnsafe(`CREATE DATABASE holdfast_tpcb`);
  } finally {
    await admin.$disconnect();
  }
  const url = new URL(adminUrl);
  url.pathname = "/holdfast_tpcb";
  await runPgbenchProcess(["-i", "-q", "-s", String(scale), url.toString()]);
  return url.toString();
}

export interface TpcbResult {
  clients: number;
  tps: number;
  failed: number;
}

export async function runTpcb(tpcbUrl: string, clients: number, seconds: number): Promise<TpcbResult> {
  const threads = Math.min(clients, os.cpus().length);
  const output = await runPgbenchProcess(["-n", "-b", "tpcb-like", "-M", "extended", "-c", String(clients), "-j", String(threads), "-T", String(seconds), tpcbUrl]);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? Number.NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
  if (!Number.isFinite(tps)) throw new Error(`unexpected pgbench output:\n${output}`);
  return { clients, tps, failed };
}

function runPgbenchProcess(args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(PGBENCH, args, { stdio: ["ignore", "pipe", "pipe"] });
    onCleanup(async () => {
      if (child.exitCode === null) child.kill("SIGINT");
    });
    let text = "";
    child.stdout.on("data", (c: Buffer) => (text += c.toString()));
    child.stderr.on("data", (c: Buffer) => (text += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench exited with ${code}:\n${text}`))));
  });
}
