// `npm run bench`: every benchmark once, in its short configuration (a few minutes in all). The
// figures in docs/BENCHMARKS.md come from the commands written there, which may run longer.
import { spawnSync } from "node:child_process";

const runs: [string, string[]][] = [
  ["timers: 5,000 escrows due at once", ["bench/timers/run.ts", "--count", "5000", "--concurrency", "8"]],
  ["agent API: lifecycles, pgbench, reads, memory", ["bench/api/run.ts"]],
];

let failed = false;
for (const [name, args] of runs) {
  console.log(`\n=== ${name}: npx tsx ${args.join(" ")}\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", ...args], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`${name}: exited with ${result.status ?? result.signal}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
