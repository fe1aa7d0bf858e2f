// `npm test`: the whole suite, in the order that fails fastest — static checks,
// unit and integration tests on real PostgreSQL, then the production build and
// the browser tests against it. Exits non-zero on the first failure.
import { spawnSync } from "node:child_process";

const steps: [string, string[]][] = [
  ["typecheck", ["npx", "--no-install", "tsc", "--noEmit"]],
  ["lint", ["npx", "--no-install", "eslint", "."]],
  ["unit and integration tests", ["npx", "--no-install", "vitest", "run"]],
  ["production build", ["npx", "--no-install", "next", "build"]],
  ["end-to-end tests", ["npx", "--no-install", "playwright", "test"]],
];

for (const [name, [command, ...args]] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command!, args, { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${seconds}s)`);
}
console.log("\nAll tests passed.");
