// The background worker that deletes idempotency keys past their retention (HOLDFAST_IDEMPOTENCY_RETENTION_H,
// at least 24 h); started with the server's other workers (workers.ts). Batched: a backlog is worked off
// one bounded DELETE at a time, then the loop sleeps.
import type { EngineContext } from "../context";
import { sweepIdempotencyKeys } from "../idempotency";
import { pollingLoop, type Worker } from "./polling-loop";

export function startIdempotencySweep(
  ctx: EngineContext,
  options: { retentionHours: number; everyMs?: number; log?: (line: string) => void },
): Worker {
  const log = options.log ?? ((line: string) => console.log(`[holdfast] ${line}`));
  return pollingLoop(
    "idempotency sweep",
    () => sweepIdempotencyKeys(ctx.db, { now: ctx.now(), retentionHours: options.retentionHours }),
    { everyMs: options.everyMs ?? 10 * 60_000, log, db: ctx.db },
  );
}
