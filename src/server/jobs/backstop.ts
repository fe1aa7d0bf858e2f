// The backstop (SPEC §3.4: "a periodic sweep catches anything a timer missed"). It repairs the
// schedule — an escrow whose deadline passed with no deadline timer for its current version (rows
// from before the timer table, or written by hand) gets one, and a timer later than its escrow's
// passed deadline is brought forward — and fires timers that are overdue by
// more than a margin, which in Inngest mode means Inngest missed them. Firing goes through the same
// contract, so running the backstop alongside the schedulers is harmless.
import type { EngineContext } from "../context";
import { fireNextDueTimer, postponeTimer, TimerFailure } from "./fire-timer";

export interface BackstopResult {
  repaired: number;
  fired: number;
}

export async function repairSchedule(ctx: EngineContext): Promise<number> {
  // A deadline moved earlier outside the engine (a fix by hand): its timer follows it.
  const moved = await ctx.db.$executeRaw`
    UPDATE escrow_timers t SET fire_at = e.deadline
    FROM escrows e
    WHERE t.escrow_id = e.id AND t.escrow_version = e.version AND t.kind = 'deadline' AND t.status = 'scheduled'
      AND e.deadline <= ${ctx.now()} AND t.fire_at > e.deadline`;
  const added = await ctx.db.$executeRaw`
    INSERT INTO escrow_timers (escrow_id, escrow_version, kind, action, offset_s, fire_at, created_at)
    SELECT e.id, e.version, 'deadline', e.deadline_action, 0, e.deadline, ${ctx.now()}
    FROM escrows e
    WHERE e.deadline <= ${ctx.now()} AND e.deadline_action IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM escrow_timers t
        WHERE t.escrow_id = e.id AND t.escrow_version = e.version AND t.kind = 'deadline')
    ON CONFLICT DO NOTHING`;
  return moved + added;
}

/** Repairs the schedule, then fires up to `limit` due timers (every due timer when marginS is 0). */
export async function runBackstop(ctx: EngineContext, options: { limit?: number; marginS?: number } = {}): Promise<BackstopResult> {
  const repaired = await repairSchedule(ctx);
  const marginMs = (options.marginS ?? 0) * 1000;
  let fired = 0;
  for (let i = 0; i < (options.limit ?? 1000); i++) {
    // Timers are claimed as if it were `margin` earlier (only the clearly missed ones), then fired at the real time.
    let outcome;
    try {
      outcome = await fireNextDueTimer(ctx, new Date(ctx.now().getTime() - marginMs));
    } catch (error) {
      if (!(error instanceof TimerFailure)) throw error;
      await postponeTimer(ctx, error.timerId, error.cause);
      continue;
    }
    if (!outcome || outcome.result === "not_due") break;
    fired++;
  }
  return { repaired, fired };
}
