// The read half of the timer contract. A firing re-reads the escrow under its row lock and acts only
// if the escrow is still at the version that planned the timer and (for deadlines) the domain agrees
// the deadline has passed; the timer row is marked in the same transaction. So a late, duplicated,
// reordered or stale firing changes nothing, whoever fires it: the embedded scheduler, an Inngest
// function or the backstop sweep.
import { observeTimerLateness } from "../ops/metrics";
import { isDomainError } from "~/domain/escrow/errors";
import { reminderStaleReason } from "~/domain/escrow/side-effects";
import { isDeadlineAction } from "~/domain/escrow/states";
import type { EngineContext } from "../context";
import { inTransaction, type Tx } from "../db/transaction";
import { executeOnLockedEscrow, lockEscrow, lockEscrowsById } from "../escrow/run-command";
import { agentUnderReviewAtRelease } from "../risk/signal-state";
import type { EscrowRow } from "../escrow/escrow-view";
import { sendReminder } from "./notices";

export interface TimerRow {
  id: bigint;
  escrow_id: string;
  escrow_version: number;
  kind: "deadline" | "review_reminder" | "due_soon" | "overdue";
  action: string | null;
  offset_s: number;
  fire_at: Date;
  status: "scheduled" | "fired" | "stale";
}

export type FireOutcome =
  | { result: "applied"; timerId: bigint; escrowId: string; kind: TimerRow["kind"] }
  | { result: "stale"; timerId: bigint; escrowId: string; kind: TimerRow["kind"]; reason: string }
  | { result: "not_due"; timerId: bigint }
  | { result: "already_done"; timerId: bigint }
  | { result: "not_found" };

const TIMER_COLUMNS = "id, escrow_id, escrow_version, kind::text AS kind, action::text AS action, offset_s, fire_at, status::text AS status";

/**
 * Claims the most overdue scheduled timer no other transaction holds (due by `dueBy`, default now), and
 * fires it. Null when none is due.
 */
export function fireNextDueTimer(ctx: EngineContext, dueBy: Date = ctx.now()): Promise<FireOutcome | null> {
  return inTransaction(ctx.db, async (tx) => {
    const rows = await tx.$queryRawUnsafe<TimerRow[]>(
      `SELECT ${TIMER_COLUMNS} FROM escrow_timers
       WHERE status = 'scheduled' AND fire_at <= $1
       ORDER BY fire_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      dueBy,
    );
    const timer = rows[0];
    if (!timer) return null;
    try {
      return await fireLocked(tx, ctx, timer);
    } catch (error) {
      throw new TimerFailure(timer.id, error);
    }
  });
}

/** A firing failed unexpectedly (not a domain refusal); its transaction rolled back. */
export class TimerFailure extends Error {
  constructor(
    readonly timerId: bigint,
    override readonly cause: unknown,
  ) {
    super(`timer ${timerId} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Moves a failing timer back so one broken escrow cannot hold the head of the queue; the error is
 * kept on the row for whoever looks. It fires again after `delayS`.
 */
export async function postponeTimer(ctx: EngineContext, timerId: bigint, error: unknown, delayS = 60): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 480);
  await ctx.db.escrowTimer.updateMany({
    where: { id: timerId, status: "scheduled" },
    data: { fireAt: new Date(ctx.now().getTime() + delayS * 1000), outcome: `error: ${message}` },
  });
}

/** Fires one timer by id (Inngest, tests): waits for its lock, then does exactly what a scheduler would. */
export function fireTimerById(ctx: EngineContext, timerId: bigint | string | number): Promise<FireOutcome> {
  return inTransaction(ctx.db, async (tx) => {
    const rows = await tx.$queryRawUnsafe<TimerRow[]>(
      `SELECT ${TIMER_COLUMNS} FROM escrow_timers WHERE id = $1 FOR UPDATE`,
      BigInt(timerId),
    );
    const timer = rows[0];
    if (!timer) return { result: "not_found" } as const;
    if (timer.status !== "scheduled") return { result: "already_done", timerId: timer.id } as const;
    if (timer.fire_at.getTime() > ctx.now().getTime()) return { result: "not_due", timerId: timer.id } as const;
    return fireLocked(tx, ctx, timer);
  });
}

const TIMER_ACTOR = { kind: "timer" } as const;

/** Locks the escrow once (the same lock every transition takes), then acts if the timer still applies. */
async function fireLocked(tx: Tx, ctx: EngineContext, timer: TimerRow): Promise<FireOutcome> {
  return fireOnLocked(tx, ctx, timer, await lockEscrow(tx, timer.escrow_id, TIMER_ACTOR));
}

/** Timers a batch claims at once (FOR UPDATE SKIP LOCKED): their escrows are locked and read in one statement. */
export const TIMER_BATCH_SIZE = 200;

/**
 * Claims up to `limit` due timers no other transaction holds, locks and reads all their escrows in one
 * statement (in id order), and fires each in turn — decided in TypeScript, each transition written in its
 * one statement — all in ONE transaction: one commit per batch instead of one per timer. Every timer is
 * marked in that transaction, so each fires exactly once. Null when the batch failed and rolled back (a
 * conflict, or one broken escrow): the caller falls back to firing one by one, which isolates the failure.
 */
export async function fireDueTimerBatch(ctx: EngineContext, limit = TIMER_BATCH_SIZE, dueBy: Date = ctx.now()): Promise<FireOutcome[] | null> {
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const timers = await tx.$queryRawUnsafe<TimerRow[]>(
        `SELECT ${TIMER_COLUMNS} FROM escrow_timers
         WHERE status = 'scheduled' AND fire_at <= $1
         ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        dueBy,
        limit,
      );
      if (timers.length === 0) return [];
      const escrows = await lockEscrowsById(tx, timers.map((t) => t.escrow_id));
      const moved = new Set<string>();
      const outcomes: FireOutcome[] = [];
      for (const timer of timers) {
        // An escrow a timer of this batch already moved is read again (still locked by this transaction).
        const escrow = moved.has(timer.escrow_id) ? await lockEscrow(tx, timer.escrow_id, TIMER_ACTOR) : escrows.get(timer.escrow_id);
        if (!escrow) throw new Error(`timer ${timer.id}: escrow ${timer.escrow_id} not found`);
        const outcome = await fireOnLocked(tx, ctx, timer, escrow);
        if (outcome.result === "applied" && timer.kind === "deadline") moved.add(timer.escrow_id);
        outcomes.push(outcome);
      }
      return outcomes;
    });
  } catch {
    return null;
  }
}

async function fireOnLocked(tx: Tx, ctx: EngineContext, timer: TimerRow, escrow: EscrowRow): Promise<FireOutcome> {
  if (escrow.version !== timer.escrow_version) {
    return finish(tx, ctx, timer, "stale", `the escrow moved on (version ${escrow.version}, timer planned at ${timer.escrow_version})`);
  }
  if (timer.kind === "deadline") return fireDeadline(tx, ctx, timer, escrow);
  // What a reminder sends, and while which status it still applies, is data (REMINDER_RULES).
  const staleReason = reminderStaleReason(timer.kind, escrow.status);
  if (staleReason !== null) return finish(tx, ctx, timer, "stale", staleReason);
  await sendReminder(tx, ctx, escrow, timer.kind, timer.offset_s);
  return finish(tx, ctx, timer, "fired", "applied");
}

async function fireDeadline(tx: Tx, ctx: EngineContext, timer: TimerRow, escrow: EscrowRow): Promise<FireOutcome> {
  if (!isDeadlineAction(timer.action)) return finish(tx, ctx, timer, "stale", `no deadline action (${timer.action})`);
  try {
    // The same command path as every other actor, on the row already locked: the domain re-checks the
    // state, the deadline action and that the deadline has passed (guards.ts deadline_reached).
    // Auto-release asks whether the seller is under review (open signal, customer silent): then a moderator decides.
    const input =
      timer.action === "auto_release"
        ? { command: timer.action, agentUnderReview: await agentUnderReviewAtRelease(tx, ctx.config, escrow) }
        : { command: timer.action };
    // The timer row is marked fired in the transition's own write statement.
    const result = await executeOnLockedEscrow(tx, ctx, escrow, TIMER_ACTOR, input, { firedTimerId: timer.id });
    if (!result.noop) return fired(ctx, timer);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    // Nothing was written before the rejection, so the transaction is still clean.
    if (error.code === "deadline_not_reached") {
      // Cannot happen while fire_at is the version's deadline; if it ever does, follow the escrow.
      if (escrow.deadline) await tx.escrowTimer.update({ where: { id: timer.id }, data: { fireAt: escrow.deadline } });
      return { result: "not_due", timerId: timer.id };
    }
    return finish(tx, ctx, timer, "stale", `${error.code}: ${error.message}`);
  }
  return finish(tx, ctx, timer, "fired", "applied");
}

/** A timer its transition already marked fired: only the lateness is observed. */
function fired(ctx: EngineContext, timer: TimerRow): FireOutcome {
  observeTimerLateness(timer.kind, "fired", timer.fire_at, ctx.now());
  return { result: "applied", timerId: timer.id, escrowId: timer.escrow_id, kind: timer.kind };
}

async function finish(
  tx: Tx,
  ctx: EngineContext,
  timer: TimerRow,
  status: "fired" | "stale",
  outcome: string,
): Promise<FireOutcome> {
  const firedAt = ctx.now();
  await tx.escrowTimer.update({ where: { id: timer.id }, data: { status, outcome: outcome.slice(0, 500), firedAt } });
  observeTimerLateness(timer.kind, status, timer.fire_at, firedAt);
  const base = { timerId: timer.id, escrowId: timer.escrow_id, kind: timer.kind };
  return status === "fired" ? { result: "applied", ...base } : { result: "stale", ...base, reason: outcome };
}
