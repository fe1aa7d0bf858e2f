// The background workers a Holdfast server process runs (started from src/instrumentation.ts, or
// from run-scheduler.ts on its own): the timer engine (embedded scheduler, or the outbox relay to
// Inngest), the notification relay, payout-hold release, the confirmation of Stripe payouts left unanswered (with Stripe keys), the idempotency-key sweep and the periodic
// ledger check (ledger-check-worker.ts). Each is a
// loop over the database; several processes may run them at once.
import { env } from "~/env";
import { timerEngine } from "../config";
import { defaultEngineContext, type EngineContext } from "../context";
import { channelsFromEnv } from "../notify/channels-from-env";
import type { ChannelRegistry } from "../notify/channel";
import { deliverDueNotifications } from "../notify/relay";
import { stripeConfigured } from "../payments/settings";
import { stripePayments } from "../payments/provider";
import { startPayoutHoldRelease } from "./hold-worker";
import { PAYOUT_CONFIRM_WORKER, startPayoutConfirmation } from "./payout-confirm-worker";
import { startLedgerCheck } from "./ledger-check-worker";
import { startIdempotencySweep } from "./idempotency-sweep";
import { startScheduler } from "./scheduler";
import { startOutboxRelay } from "./outbox-relay";
import { pollingLoop, type Worker } from "./polling-loop";
import { log as logger } from "../log";

export type { Worker };

export function startNotificationRelay(
  ctx: EngineContext,
  channels: ChannelRegistry,
  options: { everyMs?: number; maxAttempts?: number; log?: (line: string) => void } = {},
): Worker {
  const log = options.log ?? ((line: string) => logger().warn(line));
  return pollingLoop(
    "notifications",
    async () => {
      const r = await deliverDueNotifications(ctx, channels, { limit: 50, maxAttempts: options.maxAttempts ?? 8 });
      if (r.failed) log(`notifications: ${r.failed} gave up after the last attempt`);
      return r.sent + r.retrying + r.failed;
    },
    { everyMs: options.everyMs ?? 2_000, log, db: ctx.db },
  );
}

/**
 * The workers a server process runs, per the environment (readiness fails while one is not running):
 * the webhook relay always (src/instrumentation.ts), the others unless HOLDFAST_WORKERS=0.
 */
export function expectedWorkerNames(e = env()): string[] {
  const names = ["webhooks"];
  if (!e.HOLDFAST_WORKERS) return names;
  return [
    ...names,
    timerEngine(e) === "embedded" ? "scheduler" : "inngest-relay",
    "notifications",
    "payout holds",
    "idempotency sweep",
    ...(e.HOLDFAST_LEDGER_CHECK_INTERVAL_S > 0 ? ["ledger check"] : []),
    ...(stripeConfigured(e) ? [PAYOUT_CONFIRM_WORKER] : []),
  ];
}

/** Starts every background worker this process should run, per the environment. */
export function startBackgroundWorkers(ctx: EngineContext = defaultEngineContext()): Worker[] {
  const e = env();
  const log = (line: string) => logger().info(line);
  const workers: Worker[] = [];
  if (timerEngine(e) === "embedded") {
    const scheduler = startScheduler(ctx, {
      concurrency: e.HOLDFAST_SCHEDULER_CONCURRENCY,
      maxSleepMs: e.HOLDFAST_SCHEDULER_MAX_SLEEP_S * 1000,
      backstopEveryMs: e.HOLDFAST_TIMER_SWEEP_S * 1000,
      listenUrl: process.env.DATABASE_URL ?? null,
    });
    workers.push({ name: "scheduler", stop: () => scheduler.stop() });
  } else {
    workers.push(startOutboxRelay(ctx, { log }));
  }
  workers.push(startNotificationRelay(ctx, channelsFromEnv(e), { maxAttempts: e.HOLDFAST_NOTIFY_MAX_ATTEMPTS, log }));
  workers.push(startPayoutHoldRelease(ctx, { log }));
  workers.push(startIdempotencySweep(ctx, { retentionHours: e.HOLDFAST_IDEMPOTENCY_RETENTION_H, log }));
  if (e.HOLDFAST_LEDGER_CHECK_INTERVAL_S > 0) workers.push(startLedgerCheck(ctx, { intervalS: e.HOLDFAST_LEDGER_CHECK_INTERVAL_S, log }));
  const payments = stripePayments();
  if (payments) workers.push(startPayoutConfirmation(ctx, payments, { log }));
  log(`background workers: ${workers.map((w) => w.name).join(", ")} (timers: ${timerEngine(e)})`);
  return workers;
}

const globalForWorkers = globalThis as unknown as { holdfastWorkers?: Worker[] };

/**
 * The server's workers, started once per process (Next may call the startup hook again in
 * development). No signal handlers here: the server's own shutdown ends the process, and a firing cut
 * short is an uncommitted transaction that another process (or the next start) redoes.
 */
export function startBackgroundWorkersOnce(): Worker[] {
  if (globalForWorkers.holdfastWorkers) return globalForWorkers.holdfastWorkers;
  const workers = startBackgroundWorkers();
  globalForWorkers.holdfastWorkers = workers;
  return workers;
}
