// The periodic ledger check (HOLDFAST_LEDGER_CHECK_INTERVAL_S; 0 = off), started with the server's other
// background workers (workers.ts). Every process with workers runs this loop; a round
// skips the check when another process ran it within the interval (ops/ledger-check-runs.ts).
import type { EngineContext } from "../context";
import { latestLedgerCheckRun, runScheduledLedgerCheck } from "../ops/ledger-check-runs";
import { pollingLoop, type Worker } from "./polling-loop";

export function startLedgerCheck(
  ctx: EngineContext,
  options: { intervalS: number; log?: (line: string) => void },
): Worker {
  const log = options.log ?? ((line: string) => console.log(`[holdfast] ${line}`));
  return pollingLoop(
    "ledger check",
    async () => {
      if (await runScheduledLedgerCheck(ctx, options.intervalS)) {
        const run = await latestLedgerCheckRun(ctx.db);
        if (run && !run.ok) log(`ledger check: ${run.violationCount} violation(s); see /admin/ops`);
      }
      // Never "more work to do": the loop sleeps a whole interval after every round.
      return 0;
    },
    { everyMs: options.intervalS * 1000, log, db: ctx.db },
  );
}
