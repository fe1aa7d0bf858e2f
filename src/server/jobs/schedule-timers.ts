// The write half of the timer contract: every transition (and every new offer) records, in its own
// transaction, the timers its new version expects (src/domain/escrow/timer-plan.ts). Older versions'
// timers are left in place: they fire, see the version moved on, and are marked stale.
import { planTimers } from "~/domain/escrow/timer-plan";
import { reviewWindowFor } from "~/domain/escrow/review-policy";
import type { CommandInput, TimeWindows } from "~/domain/escrow/decide";
import type { DeadlineAction, EscrowStatus } from "~/domain/escrow/states";
import { convertMinor } from "~/domain/currency";
import { currenciesOf, DEFAULT_TIMER_SETTINGS, type EngineConfig } from "../config";
import type { Tx } from "../db/transaction";
import type { EscrowRow } from "../escrow/escrow-view";

/** PostgreSQL NOTIFY channel; the payload is the earliest new fire time in epoch ms. Delivered on commit. */
export const TIMERS_CHANNEL = "holdfast_timers";

/** Only timers this close wake sleeping schedulers early; later ones are found by the next regular poll. */
const WAKE_HORIZON_MS = 5 * 60_000;

export async function scheduleEscrowTimers(tx: Tx, escrow: EscrowRow, now: Date, config: EngineConfig): Promise<void> {
  const plan = planTimers(
    {
      status: escrow.status as EscrowStatus,
      deadline: escrow.deadline,
      deadlineAction: (escrow.deadlineAction ?? null) as DeadlineAction | null,
      dueAt: escrow.dueAt,
    },
    now,
    { reviewPolicy: config.reviewPolicy ?? null, dueSoonLeadS: (config.timers ?? DEFAULT_TIMER_SETTINGS).dueSoonLeadS },
  );
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

/**
 * The windows a command is decided with: the review window follows the amount (SPEC §6.1) when a
 * review policy is configured; every other window is the configured one.
 */
export function windowsForEscrow(
  row: Pick<EscrowRow, "amountMinor" | "currency">,
  input: Pick<CommandInput, "command">,
  config: EngineConfig,
): TimeWindows {
  if (!config.reviewPolicy || input.command !== "complete") return config.windows;
  // The tiers are amounts in the limits' currency: convert, rounded up (a longer window is the
  // customer's safe side); an amount that cannot be converted gets the longest window.
  const settings = currenciesOf(config);
  const amount = convertMinor(settings, Number(row.amountMinor), row.currency, settings.base, "up") ?? Number.MAX_SAFE_INTEGER;
  return { ...config.windows, reviewWindowS: reviewWindowFor(config.reviewPolicy, amount) };
}
