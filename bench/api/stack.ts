// The stack under test: a fresh embedded PostgreSQL of the bench's own, the production Next server
// (`next start`) against it, and what the load needs in it (sellers with API keys and a catalog,
// customers with funded wallets and a session, a conversation between each pair). Everything
// started here is stopped by `stopAll`, which run.ts calls on exit, on errors and on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { holdfastAdapter } from "../../src/server/auth/adapter";
import { issueAgentApiKey } from "../../src/server/auth/api-keys";
import { createDb } from "../../src/server/db/client";
import { startEmbeddedPostgres, type RunningPostgres } from "../../src/server/db/embedded";
import { createMigratedDatabase } from "../../src/server/db/migrate";
import { inTransaction } from "../../src/server/db/transaction";
import { newId } from "../../src/server/ids";
import { addTestFundsInTx } from "../../src/server/ledger/wallet";

export function log(line: string) {
  console.log(`[bench] ${line}`);
}

const cleanups: (() => Promise<void>)[] = [];

/** Runs every registered cleanup, newest first (server before PostgreSQL). */
export async function stopAll() {
  while (cleanups.length) {
    const cleanup = cleanups.pop();
    try {
      await cleanup?.();
    } catch (error) {
      console.error("[bench] cleanup failed:", error);
    }
  }
}

export interface Database {
  server: RunningPostgres;
  url: string;
  adminUrl: string;
  /** The most recent PostgreSQL log lines (for --capture-sql). */
  logLines: string[];
}

export async function startDatabase(dataDir: string, port: number): Promise<Database> {
  rmSync(dataDir, { recursive: true, force: true });
  const logLines: string[] = [];
  // Durable settings (fsync on), as `npm start` runs PostgreSQL.
  const server = await startEmbeddedPostgres({
    dataDir,
    port,
    onLog: (line) => {
      logLines.push(line);
      if (logLines.length > 5_000) logLines.splice(0, logLines.length - 5_000);
    },
  });
  cleanups.push(async () => {
    log("stopping PostgreSQL");
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const url = await createMigratedDatabase(server.adminUrl, "holdfast_bench");
  return { server, url, adminUrl: server.adminUrl, logLines };
}

export interface Seller {
  agentId: string;
  apiKey: string;
  serviceId: string;
  conversationId: string;
  customerId: string;
  /** The customer's next-auth session token (the cookie value). */
  sessionToken: string;
}

export const PRICE_MINOR = 2_500;

/**
 * One seller agent (its own owner, a key and a one-service catalog without an artifact contract)
 * and one customer (wallet funded with $1,000,000 of test money, signed in) in a conversation, per
 * virtual user. A virtual user owns its pair, so no two users contend for one wallet or agent.
 */
export async function seedPairs(url: string, count: number, tag = "api"): Promise<Seller[]> {
  const db = createDb(url, { maxConnections: 4 });
  try {
    const adapter = holdfastAdapter(db);
    const pairs: Seller[] = [];
    for (let i = 0; i < count; i++) {
      const ownerId = newId("usr");
      const agentId = newId("agt");
      const serviceId = newId("svc");
      const customerId = newId("usr");
      const conversationId = newId("cnv");
      await inTransaction(db, async (tx) => {
        await tx.user.create({ data: { id: ownerId, email: `owner-${tag}-${i}@bench.holdfast.dev`, displayName: `Owner ${i}`, role: "owner" } });
        await tx.agent.create({ data: { id: agentId, ownerId, handle: `bench-${tag}-${i}`, displayName: `Bench Seller ${i}` } });
        await tx.service.create({
          data: { id: serviceId, agentId, title: "Market report", priceMinor: BigInt(PRICE_MINOR), currency: "USD", deliveryInHours: 24 },
        });
        await tx.user.create({
          data: { id: customerId, email: `customer-${tag}-${i}@bench.holdfast.dev`, displayName: `Customer ${i}`, role: "customer" },
        });
        await tx.conversation.create({ data: { id: conversationId, agentId, customerId } });
        await addTestFundsInTx(tx, customerId, "USD", 1_000_000_00, `topup:bench-${tag}-${i}`);
      });
      const key = await issueAgentApiKey(db, agentId, "bench/api");
      const sessionToken = randomBytes(32).toString("base64url");
      // The row next-auth's email callback writes at sign-in (the adapter stores the token's hash).
      await adapter.createSession?.({ sessionToken, userId: customerId, expires: new Date(Date.now() + 24 * 3600 * 1000) });
      pairs.push({ agentId, apiKey: key.key, serviceId, conversationId, customerId, sessionToken });
    }
    return pairs;
  } finally {
    await db.$disconnect();
  }
}

export function serverEnv(databaseUrl: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOLDFAST_BASE_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    HOLDFAST_DEMO: "0",
    // No switch turns the agent API's rate limit off; a limit no run reaches keeps its per-request
    // bookkeeping (part of every request's cost) while never answering 429.
    HOLDFAST_AGENT_RATE_LIMIT: "1000000000",
    HOLDFAST_DATA_DIR: path.resolve(".data/bench-api"),
    HOLDFAST_ARTIFACT_DIR: path.resolve(".data/bench-api/artifacts"),
  };
}

export function build(env: NodeJS.ProcessEnv) {
  log("building the web app (`next build`: no build, or the code changed after it)");
  const result = spawnSync("npx", ["--no-install", "next", "build"], { stdio: "inherit", env });
  if (result.status !== 0) throw new Error("next build failed");
}

export interface RunningServer {
  pid: number;
  baseUrl: string;
}

/** `next start` run by node itself (as scripts/holdfast.ts does), waited for until it answers. */
export async function startServer(env: NodeJS.ProcessEnv, port: number, nodeArgs: string[] = []): Promise<RunningServer> {
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, nextBin, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", (chunk: Buffer) => {
    keep(chunk);
    process.stderr.write(`[server] ${chunk.toString()}`);
  });
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    log("stopping the web server");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output.join("")}`);
    try {
      const response = await fetch(`${baseUrl}/api/agent/v1/openapi.json`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  if (child.pid === undefined) throw new Error("next start has no pid");
  return { pid: child.pid, baseUrl };
}

/** A process and all its descendants (Linux /proc). */
function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const tree: number[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop() as number;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident memory (VmRSS) of a process and all its descendants, in bytes. */
export function treeRss(rootPid: number): number {
  let total = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/**
 * CPU time (user + system) used so far by a process tree, in seconds (clock ticks of 1/100 s): each
 * live process's own time plus that of its reaped children (PostgreSQL backends that have exited).
 */
export function treeCpuSeconds(rootPid: number): number {
  let ticks = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime, stime, cutime, cstime: fields 14-17 of /proc/<pid>/stat (11-14 after the command name)
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks / 100;
}

/** The postmaster's pid of a running data directory. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
}

/** Samples the server's RSS every `everyMs`; `peak()` since the last `reset()`. */
export function memorySampler(pid: number, everyMs = 250) {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(pid));
  }, everyMs);
  timer.unref();
  cleanups.push(async () => clearInterval(timer));
  return {
    now: () => treeRss(pid),
    peak: () => Math.max(peak, treeRss(pid)),
    reset: () => {
      peak = treeRss(pid);
    },
  };
}

export function onCleanup(fn: () => Promise<void>) {
  cleanups.push(fn);
}
