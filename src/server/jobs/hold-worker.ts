// The background worker that moves held payouts to the owners' wallets when
// their hold ends (src/server/risk/holds.ts); started with the server's other workers (workers.ts).
import { log as logger } from "../log";
import type { EngineContext } from "../context";
import { releaseDueHolds } from "../risk/holds";
import { pollingLoop, type Worker } from "./polling-loop";

export function startPayoutHoldRelease(
  ctx: EngineContext,
  options: { everyMs?: number; log?: (line: string) => void } = {},
): Worker {
  const log = options.log ?? ((line: string) => logger().info(line));
  return pollingLoop("payout holds", () => releaseDueHolds(ctx, { limit: 100 }), { everyMs: options.everyMs ?? 5_000, log, db: ctx.db });
}
