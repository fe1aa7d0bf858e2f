// The write half of the timer contract: every transition (and every new offer) records, in its own
// transaction, the timers its row declares for the new version (src/domain/escrow/side-effects.ts;
// when each fires: src/domain/escrow/timer-plan.ts). Older versions' timers are left in place: they
// fire, see the version moved on, and are marked stale (src/server/jobs/fire-timer.ts, the read half).
import { planTimers } from "~/domain/escrow/timer-plan";
import type { TimerKind } from "~/domain/escrow/side-effects";
import type { DeadlineAction, EscrowStatus } from "~/domain/escrow/states";
import { DEFAULT_TIMER_SETTINGS, type EngineConfig } from "../config";
import type { Tx } from "../db/transaction";
import type { EscrowRow } from "./escrow-view";

/** PostgreSQL NOTIFY channel; the payload is the earliest new fire time in epoch ms. Delivered on commit. */
export const TIMERS_CHANNEL = "holdfast_timers";

/** Only timers this close wake sleeping schedulers early; later ones are found by the next regular poll. */
export const WAKE_HORIZON_MS = 5 * 60_000;

/** The timers the escrow's row declares for its current version (src/domain/escrow/timer-plan.ts). */
export function planEscrowTimers(escrow: EscrowRow, now: Date, config: EngineConfig, kinds: readonly TimerKind[]) {
  return planTimers(
    {
      status: escrow.status as EscrowStatus,
      deadline: escrow.deadline,
      deadlineAction: (escrow.deadlineAction ?? null) as DeadlineAction | null,
      dueAt: escrow.dueAt,
    },
    now,
    { reviewPolicy: config.reviewPolicy ?? null, dueSoonLeadS: (config.timers ?? DEFAULT_TIMER_SETTINGS).dueSoonLeadS },
    kinds,
  );
}

export async function scheduleEscrowTimers(
  tx: Tx,
  escrow: EscrowRow,
  now: Date,
  config: EngineConfig,
  kinds: readonly TimerKind[],
): Promise<void> {
  const plan = planEscrowTimers(escrow, now, config, kinds);
  if (plan.length === 0) return;
  await tx.escrowTimer.createMany({
    data: plan.map((t) => ({
      escrowId: escrow.id,
      escrowVersion: escrow.version,
      kind: t.kind,
      action: t.action,
      offsetS: t.offsetS,
      fireAt: t.fireAt,
      createdAt: now,
    })),
    skipDuplicates: true,
  });
  const earliest = Math.min(...plan.map((t) => t.fireAt.getTime()));
  if (earliest - now.getTime() < WAKE_HORIZON_MS) {
    await tx.$executeRaw`SELECT pg_notify(${TIMERS_CHANNEL}, ${String(earliest)})`;
  }
}
