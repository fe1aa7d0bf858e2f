// `npm test`: the whole suite, in the order that fails fastest — static checks,
// the production build (the `npm start` tests among the unit tests serve it),
// unit and integration tests on real PostgreSQL, then the browser tests. Exits non-zero on the first failure.
import { spawnSync } from "node:child_process";
import { runningEmbeddedPort } from "../src/server/db/embedded";

interface Step {
  name: string;
  command: string[];
  /** Extra environment; `DATABASE_URL: undefined` removes it. */
  env?: Record<string, string | undefined>;
  /** Run first, e.g. wait for a stack to be down. */
  before?: () => Promise<void>;
}

/**
 * The ledger a browser-test stack left behind must still balance. Each stack keeps its embedded
 * database under its own data directory (the Playwright configs); the check opens it itself.
 */
function ledgerCheck(name: string, dataDir: string, pgPort: string): Step {
  return {
    name: `ledger check on the ${name} database`,
    command: ["npx", "--no-install", "tsx", "scripts/ledger-check.ts"],
    env: { HOLDFAST_DATA_DIR: dataDir, HOLDFAST_EMBEDDED_PG_PORT: pgPort, DATABASE_URL: undefined },
    before: () => waitForDatabaseToStop(`${dataDir}/pg`),
  };
}

const steps: Step[] = [
  { name: "typecheck", command: ["npx", "--no-install", "tsc", "--noEmit"] },
  { name: "lint", command: ["npx", "--no-install", "eslint", "."] },
  // Before the unit tests: scripts/launcher-signals.test.ts runs `npm start`, which serves this build.
  { name: "production build", command: ["npx", "--no-install", "next", "build"] },
  { name: "unit and integration tests", command: ["npx", "--no-install", "vitest", "run"] },
  // playwright.config.ts: the app with agents driven by the tests through the API.
  { name: "end-to-end tests", command: ["npx", "--no-install", "playwright", "test"] },
  ledgerCheck("end-to-end", ".data/e2e", process.env.E2E_PG_PORT ?? "54339"),
  // playwright.demo.config.ts: `npm start` itself, the demo customer against the live demo agent.
  { name: "end-to-end tests on the demo stack", command: ["npx", "--no-install", "playwright", "test", "--config", "playwright.demo.config.ts"] },
  ledgerCheck("demo-stack end-to-end", ".data/e2e-demo", process.env.E2E_DEMO_PG_PORT ?? "54340"),
];

// A test run must leave the clone as it found it (no committed screenshot rewritten, no file added
// outside the ignored folders): what `git status` shows now is compared with what it shows at the end.
const statusBefore = gitStatus();

for (const { name, command: [command, ...args], env: extra, before } of steps) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  await before?.();
  const env = { ...process.env };
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const result = spawnSync(command!, args, { stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${seconds}s)`);
}
const changed = gitStatus().filter((line) => !statusBefore.includes(line));
if (changed.length) {
  console.error(`\n✗ the test run changed files git tracks or sees (write them under an ignored folder):\n${changed.join("\n")}`);
  process.exit(1);
}
console.log("\nAll tests passed.");

/** `git status` lines (changed and untracked files), or nothing outside a git checkout. */
function gitStatus(): string[] {
  const status = spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], { encoding: "utf8" });
  return status.status === 0 ? status.stdout.split("\n").filter(Boolean) : [];
}

/** Playwright may return before the web server's embedded PostgreSQL has finished shutting down. */
async function waitForDatabaseToStop(pgDir: string) {
  for (let i = 0; i < 300 && runningEmbeddedPort(pgDir) !== null; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}
