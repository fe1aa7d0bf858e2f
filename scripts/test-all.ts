// `npm test`: the whole suite, in the order that fails fastest — static checks,
// unit and integration tests on real PostgreSQL, then the production build and
// the browser tests against it. Exits non-zero on the first failure.
import { spawnSync } from "node:child_process";
import { runningEmbeddedPort } from "../src/server/db/embedded";

const steps: [string, string[]][] = [
  ["typecheck", ["npx", "--no-install", "tsc", "--noEmit"]],
  ["lint", ["npx", "--no-install", "eslint", "."]],
  ["unit and integration tests", ["npx", "--no-install", "vitest", "run"]],
  ["production build", ["npx", "--no-install", "next", "build"]],
  ["end-to-end tests", ["npx", "--no-install", "playwright", "test"]],
  // The ledger the browser tests left behind must still balance.
  ["ledger check on the end-to-end database", ["npx", "--no-install", "tsx", "scripts/ledger-check.ts"]],
];
// The end-to-end stack keeps its embedded database under .data/e2e (playwright.config.ts).
const E2E_ENV = { HOLDFAST_DATA_DIR: ".data/e2e", HOLDFAST_EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? "54339" };

for (const [name, [command, ...args]] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  if (name.startsWith("ledger check")) await waitForE2eDatabaseToStop();
  const env = name.startsWith("ledger check") ? { ...process.env, ...E2E_ENV } : process.env;
  if (name.startsWith("ledger check")) delete env.DATABASE_URL;
  const result = spawnSync(command!, args, { stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${seconds}s)`);
}
console.log("\nAll tests passed.");

/** Playwright may return before the web server's embedded PostgreSQL has finished shutting down. */
async function waitForE2eDatabaseToStop() {
  for (let i = 0; i < 300 && runningEmbeddedPort(".data/e2e/pg") !== null; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}
