// The background worker that moves held payouts to the owners' wallets when
// their hold ends; started with the server's other workers (src/server/jobs/workers.ts).
import type { EngineContext } from "../context";
import { pollingLoop, type Worker } from "../jobs/polling-loop";
import { releaseDueHolds } from "./holds";

export function startPayoutHoldRelease(
  ctx: EngineContext,
  options: { everyMs?: number; log?: (line: string) => void } = {},
): Worker {
  const log = options.log ?? ((line: string) => console.log(`[holdfast] ${line}`));
  return pollingLoop("payout holds", () => releaseDueHolds(ctx, { limit: 100 }), { everyMs: options.everyMs ?? 5_000, log, db: ctx.db });
}
