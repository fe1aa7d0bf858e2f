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

/** Pending escrows for pgbench to accept (one per transaction), over pairs of its own. */
export async function seedPgbenchJobs(url: string, pairs: number, jobs: number) {
  const parties = await seedPairs(url, pairs, "pgbench");
  const db = createDb(url, { maxConnections: 2 });
  try {
    const far = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    await seedDueOffers(db, parties, jobs, far, "pgb");
    // Consecutive jobs belong to different pairs (escrow g is pair g mod pairs), so concurrent
    // clients do not queue on one wallet or one agent's event sequence — as the HTTP users don't.
    await db.$executeRawUnsafe(`
      CREATE TABLE bench_pgbench_jobs AS
      SELECT (substring(e.id from 9))::bigint + 1 AS n, e.id AS escrow_id, e.agent_id, e.customer_id, e.conversation_id,
             w.id AS wallet_id, e.reference_code
        FROM escrows e JOIN ledger_accounts w ON w.key = 'wallet:' || e.customer_id || ':USD'
       WHERE e.id LIKE 'esc\\_pgb\\_%'`);
    await db.$executeRawUnsafe(`ALTER TABLE bench_pgbench_jobs ADD PRIMARY KEY (n)`);
    await db.$executeRawUnsafe(`CREATE SEQUENCE bench_pgbench_seq`);
    await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  } finally {
    await db.$disconnect();
  }
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
}

export async function runPgbench(url: string, clients: number, seconds: number): Promise<PgbenchResult> {
  const db = createDb(url, { maxConnections: 1 });
  const logDir = mkdtempSync(path.join(os.tmpdir(), "holdfast-pgbench-"));
  try {
    const before = await acceptedCount(db);
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
    return { clients, seconds, transactions, failed, tps, latency, accepted };
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
