// The embedded scheduler (the default timer engine): runs inside the server process, with the
// database as its only state. Each round it drains due timers with `concurrency` parallel workers —
// each claiming a batch of up to TIMER_BATCH_SIZE with FOR UPDATE SKIP LOCKED and firing it in one
// transaction (one by one, each in its own, when a batch rolls back), so any number of
// processes can run this at once without double work, and a process killed mid-firing loses only
// an uncommitted transaction that the next claimer redoes. Between rounds it sleeps until the next
// timer (capped at maxSleepMs), and a NOTIFY from a transaction that planned a near timer wakes it
// early. No busy loop: a due timer held by another process costs a short back-off, not a spin.
import pg from "pg";
import type { EngineContext } from "../context";
import { fireDueTimerBatch, fireNextDueTimer, postponeTimer, TIMER_BATCH_SIZE, TimerFailure, type BatchOptions, type FireOutcome } from "./fire-timer";
import { runBackstop } from "./backstop";
import { TIMERS_CHANNEL } from "../escrow/escrow-timers";
import { registerWorker } from "../ops/heartbeats";
import { log as logger } from "../log";
import { observeJob } from "./observe-job";

export interface SchedulerOptions {
  /** Timers fired in parallel by this process. */
  concurrency?: number;
  /** Longest sleep between rounds, so a missed wake-up costs at most this. */
  maxSleepMs?: number;
  /** Backstop every this often (0 = never); fires only timers late by more than backstopMarginS. */
  backstopEveryMs?: number;
  backstopMarginS?: number;
  /** A PostgreSQL URL to LISTEN on for early wake-ups; null = poll only. */
  listenUrl?: string | null;
  log?: (line: string) => void;
  /** Passed to every batch (the benchmark's `--batch-size`); defaults otherwise. */
  batch?: BatchOptions;
}

export interface SchedulerStats {
  rounds: number;
  applied: number;
  stale: number;
  failures: number;
}

export interface RunningScheduler {
  readonly stats: SchedulerStats;
  /** Run a round now instead of at the planned time. */
  wake(): void;
  /** Finishes the firings under way, then stops. */
  stop(): Promise<void>;
}

/** When a due timer is held by another process, look again after this long. */
const CONTENDED_BACKOFF_MS = 200;
/** After an unexpected error outside any timer (database down), wait this long. */
const ERROR_BACKOFF_MS = 2_000;

/**
 * One round without sleeping: fire every due timer with `concurrency` workers. For tests and the
 * benchmark. `onFired` runs after each timer (the heartbeat: a long backlog is progress, not a hang);
 * `batchOptions` bound a batch's wait for its locks, and let a test force concurrent batches to interleave.
 */
export async function drainDueTimers(
  ctx: EngineContext,
  concurrency = 8,
  stats?: SchedulerStats,
  onFired?: () => void,
  batchOptions?: BatchOptions,
): Promise<SchedulerStats> {
  const s = stats ?? { rounds: 0, applied: 0, stale: 0, failures: 0 };
  const batchSize = batchOptions?.batchSize ?? TIMER_BATCH_SIZE;
  s.rounds++;
  const count = (outcome: FireOutcome) => {
    onFired?.();
    if (outcome.result === "applied") s.applied++;
    else if (outcome.result === "stale") s.stale++;
  };
  const worker = async () => {
    for (;;) {
      // Batches first: up to TIMER_BATCH_SIZE timers in one transaction.
      const batch = await observeJob("timer batch", { summary: batchSummary }, () => fireDueTimerBatch(ctx, batchSize, ctx.now(), batchOptions));
      if (batch === "contended") {
        // Other batches hold the rows these timers write: let them commit, then claim again (not one by one).
        await new Promise((r) => setTimeout(r, CONTENDED_BACKOFF_MS * (0.5 + Math.random())));
        continue;
      }
      if (batch !== null) {
        if (batch.length === 0) return;
        batch.forEach(count);
        continue;
      }
      // The batch rolled back: fire its share one by one, so one broken escrow is postponed alone.
      if ((await fireOneByOne(batchSize)) === "idle") return;
    }
  };
  const fireOneByOne = async (limit: number): Promise<"idle" | "more"> => {
    for (let i = 0; i < limit; i++) {
      let outcome;
      try {
        outcome = await observeJob("timer", { summary: timerSummary }, () => fireNextDueTimer(ctx));
      } catch (error) {
        if (!(error instanceof TimerFailure)) throw error;
        s.failures++;
        await postponeTimer(ctx, error.timerId, error.cause);
        continue;
      }
      if (!outcome || outcome.result === "not_due") return "idle";
      count(outcome);
    }
    return "more";
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return s;
}

/** A batch's log fields; an empty batch is idle (debug). */
function batchSummary(outcomes: FireOutcome[] | "contended" | null): Record<string, unknown> | null {
  if (outcomes === null) return { fallback: "one by one" };
  if (outcomes === "contended") return { contended: "its rows stayed locked; claiming again" };
  if (outcomes.length === 0) return null;
  return { fired: outcomes.length, applied: outcomes.filter((o) => o.result === "applied").length };
}

/** A timer firing's log fields; a round that found no due timer is idle (debug). */
function timerSummary(outcome: FireOutcome | null): Record<string, unknown> | null {
  if (!outcome || outcome.result === "not_due") return null;
  const { timerId, ...rest } = outcome as FireOutcome & { timerId?: bigint };
  return { ...rest, ...(timerId !== undefined ? { timerId: String(timerId) } : {}) };
}

async function nextFireAt(ctx: EngineContext): Promise<Date | null> {
  const next = await ctx.db.escrowTimer.findFirst({
    where: { status: "scheduled" },
    orderBy: { fireAt: "asc" },
    select: { fireAt: true },
  });
  return next?.fireAt ?? null;
}

export function startScheduler(ctx: EngineContext, options: SchedulerOptions = {}): RunningScheduler {
  const concurrency = options.concurrency ?? 8;
  const maxSleepMs = options.maxSleepMs ?? 30_000;
  const backstopEveryMs = options.backstopEveryMs ?? 300_000;
  const log = options.log ?? ((line: string) => logger().warn(`scheduler: ${line}`));
  const stats: SchedulerStats = { rounds: 0, applied: 0, stale: 0, failures: 0 };

  let stopped = false;
  let plannedWakeAt = 0;
  let wakeUp: (() => void) | null = null;
  const wake = () => wakeUp?.();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      plannedWakeAt = Date.now() + ms;
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  const listener = options.listenUrl ? listen(options.listenUrl, (fireAtMs) => {
    if (fireAtMs < plannedWakeAt) wake();
  }, log) : null;

  // Beats after every round (and every fired timer); an idle scheduler wakes at least every maxSleepMs.
  const heartbeat = registerWorker("scheduler", { db: ctx.db, everyMs: maxSleepMs });
  let lastBackstop = Date.now();
  const loop = (async () => {
    while (!stopped) {
      heartbeat.beat();
      try {
        await drainDueTimers(ctx, concurrency, stats, () => heartbeat.beat(), options.batch);
        if (backstopEveryMs > 0 && Date.now() - lastBackstop >= backstopEveryMs) {
          lastBackstop = Date.now();
          const r = await observeJob("timer backstop", { summary: (b) => ({ ...b }) }, () => runBackstop(ctx, { marginS: options.backstopMarginS ?? 60 }));
          if (r.repaired || r.fired) log(`backstop repaired ${r.repaired} and fired ${r.fired} timer(s)`);
        }
        if (stopped) break;
        const next = await nextFireAt(ctx);
        const untilNext = next ? next.getTime() - ctx.now().getTime() : maxSleepMs;
        await sleep(Math.min(maxSleepMs, Math.max(untilNext, untilNext <= 0 ? CONTENDED_BACKOFF_MS : 0)));
      } catch (error) {
        log(`round failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!stopped) await sleep(ERROR_BACKOFF_MS);
      }
    }
  })();

  return {
    stats,
    wake,
    async stop() {
      stopped = true;
      heartbeat.stop();
      wake();
      await loop;
      await listener?.close();
    },
  };
}

/** LISTEN on the timers channel; reconnects after errors (polling covers the gap). */
function listen(url: string, onTimer: (fireAtMs: number) => void, log: (line: string) => void) {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on("notification", (n) => {
      const ms = Number(n.payload);
      if (Number.isFinite(ms)) onTimer(ms);
    });
    let failed = false;
    c.on("error", (error) => {
      if (failed) return;
      failed = true;
      log(`listener lost (${error.message}); polling until it reconnects`);
      void c.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect().catch(() => undefined), 5_000);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${TIMERS_CHANNEL}`);
    } catch (error) {
      c.emit("error", error);
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
