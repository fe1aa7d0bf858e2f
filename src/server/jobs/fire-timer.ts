// The read half of the timer contract. A firing re-reads the escrow under its row lock and acts only
// if the escrow is still at the version that planned the timer and (for deadlines) the domain agrees
// the deadline has passed; the timer row is marked in the same transaction. So a late, duplicated,
// reordered or stale firing changes nothing, whoever fires it: the embedded scheduler, an Inngest
// function or the backstop sweep.
import { observeTimerLateness } from "../ops/metrics";
import { isDomainError } from "~/domain/escrow/errors";
import { reminderStaleReason } from "~/domain/escrow/side-effects";
import { isDeadlineAction } from "~/domain/escrow/states";
import { findTransition } from "~/domain/escrow/transitions";
import { escrowAccountKey, heldKey, platformFeeKey, walletKey } from "~/domain/ledger/accounts";
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

export interface BatchOptions {
  /** Timers a batch claims at once; TIMER_BATCH_SIZE unless the benchmark tries another size. */
  batchSize?: number;
  /**
   * How long the batch may wait for the rows it locks before its first firing (escrows, agents,
   * conversations, accounts), held by another batch or a transition; past it the batch gives its timers
   * back ("contended") and the worker tries again shortly, instead of queueing behind several batches
   * until the transaction's own timeout kills it (which would fall back to one by one).
   */
  lockWaitMs?: number;
  /**
   * A seam for the tests that force concurrent batches to interleave (src/server/jobs/timer-batch-locks.test.ts):
   * called inside the batch's transaction after each firing, with its index in the batch.
   */
  afterFiring?(index: number): Promise<void>;
}

/** The default `lockWaitMs`: a few batches' worth of firings on a loaded machine, well inside the transaction timeout (30 s). */
export const BATCH_LOCK_WAIT_MS = 5_000;

/** Timers a batch claims at once (FOR UPDATE SKIP LOCKED): their escrows are locked and read in one statement. */
export const TIMER_BATCH_SIZE = 200;

/**
 * Claims up to `limit` due timers no other transaction holds, locks and reads all their escrows in one
 * statement (in id order), locks every shared row its firings may write in the global lock order
 * (`lockWhatTheBatchWrites`), and fires each in turn — decided in TypeScript, each transition written in its
 * one statement — all in ONE transaction: one commit per batch instead of one per timer. Every timer is
 * marked in that transaction, so each fires exactly once. Null when the batch failed and rolled back (a
 * conflict, or one broken escrow): the caller falls back to firing one by one, which isolates the failure.
 * "contended" when its rows stayed locked by others past `lockWaitMs`: nothing was fired; try again.
 */
export async function fireDueTimerBatch(
  ctx: EngineContext,
  limit = TIMER_BATCH_SIZE,
  dueBy: Date = ctx.now(),
  options: BatchOptions = {},
): Promise<FireOutcome[] | "contended" | null> {
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
      // Waiting for the locks is bounded; the firings after them wait for nothing another batch holds.
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockWaitMs ?? BATCH_LOCK_WAIT_MS))}`);
      const escrows = await lockEscrowsById(tx, timers.map((t) => t.escrow_id));
      await lockWhatTheBatchWrites(tx, ctx, timers, escrows);
      await tx.$executeRawUnsafe("SET LOCAL lock_timeout = DEFAULT");
      const moved = new Set<string>();
      const outcomes: FireOutcome[] = [];
      for (const timer of timers) {
        // An escrow a timer of this batch already moved is read again (still locked by this transaction).
        const escrow = moved.has(timer.escrow_id) ? await lockEscrow(tx, timer.escrow_id, TIMER_ACTOR) : escrows.get(timer.escrow_id);
        if (!escrow) throw new Error(`timer ${timer.id}: escrow ${timer.escrow_id} not found`);
        const outcome = await fireOnLocked(tx, ctx, timer, escrow);
        if (outcome.result === "applied" && timer.kind === "deadline") moved.add(timer.escrow_id);
        outcomes.push(outcome);
        await options.afterFiring?.(outcomes.length - 1);
      }
      return outcomes;
    });
  } catch (error) {
    return isLockTimeout(error) ? "contended" : null;
  }
}

/** PostgreSQL's lock_not_available (55P03): `lock_timeout` passed while waiting for a row or advisory lock. */
function isLockTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const d = e as { code?: unknown; meta?: { code?: unknown }; cause?: unknown; originalCode?: unknown; message?: unknown };
    if (d.code === "55P03" || d.meta?.code === "55P03" || d.originalCode === "55P03") return true;
    if (typeof d.message === "string" && /canceling statement due to lock timeout/.test(d.message)) return true;
    e = d.cause;
  }
  return false;
}

/** Advisory-lock class of a ledger account key that has no row yet (pg_advisory_xact_lock(class, hashtext(key))). */
const NEW_ACCOUNT_LOCK_CLASS = "holdfast:ledger_account";

/**
 * Locks, before the first firing, every shared row the batch's firings may write, in the one global lock
 * order: escrows by id (done by the caller) → agents by id (each party's event sequence) → conversations by
 * id (the system line) → ledger accounts by key (existing rows, then an advisory lock per key that has no
 * row yet, which the firing creates). The firings then write in fire_at order but wait for nothing another
 * batch can hold, so concurrent batches queue instead of deadlocking each other (they used to: A's first
 * firing took agent X, B's took agent Y, then each wanted the other's — PostgreSQL killed one, and under
 * load the retries ran out and the scheduler fell back to one transaction per timer). A transition of one
 * escrow takes the same order within its write statement (record-transition.ts). Over-locking is safe:
 * the candidates are a superset (a release locks both the owner's wallet and its held account; a
 * stale timer's rows too).
 */
async function lockWhatTheBatchWrites(tx: Tx, ctx: EngineContext, timers: TimerRow[], escrows: Map<string, EscrowRow>): Promise<void> {
  const rows = [...escrows.values()];
  const agentIds = sortedUnique(rows.flatMap((e) => (e.buyerAgentId ? [e.agentId, e.buyerAgentId] : [e.agentId])));
  const owners = await tx.$queryRaw<{ id: string; owner_id: string }[]>`
    SELECT id, owner_id FROM agents WHERE id = ANY(${agentIds}::text[]) ORDER BY id COLLATE "C" FOR NO KEY UPDATE`;
  await tx.$queryRaw`
    SELECT id FROM conversations WHERE id = ANY(${sortedUnique(rows.map((e) => e.conversationId))}::text[]) ORDER BY id COLLATE "C" FOR NO KEY UPDATE`;
  // Money moves only on a deadline whose transition (the domain's table) has a ledger effect.
  const paying = timers
    .map((t) => ({ timer: t, escrow: escrows.get(t.escrow_id) }))
    .filter(({ timer, escrow }) => escrow && timer.kind === "deadline" && escrow.version === timer.escrow_version && isDeadlineAction(timer.action) && findTransition(escrow.status, timer.action)?.ledger)
    .map(({ escrow }) => escrow!);
  if (paying.length === 0) return;
  const ownerOf = new Map(owners.map((o) => [o.id, o.owner_id]));
  const evaluatorIds = sortedUnique(paying.flatMap((e) => (e.evaluatorAgentId ? [e.evaluatorAgentId] : [])));
  if (evaluatorIds.length > 0) {
    const evaluators = await tx.$queryRaw<{ id: string; owner_id: string }[]>`SELECT id, owner_id FROM agents WHERE id = ANY(${evaluatorIds}::text[])`;
    for (const e of evaluators) ownerOf.set(e.id, e.owner_id);
  }
  const keys = sortedUnique(
    paying.flatMap((e) => {
      const seller = ownerOf.get(e.agentId) ?? null;
      const evaluator = e.evaluatorAgentId ? (ownerOf.get(e.evaluatorAgentId) ?? null) : null;
      return [
        escrowAccountKey(e.id),
        walletKey(e.customerId, e.currency),
        ...(seller ? [walletKey(seller, e.currency), heldKey(seller, e.currency)] : []),
        ...(e.feeBps > 0 ? [platformFeeKey(e.currency)] : []),
        ...(evaluator ? [walletKey(evaluator, e.currency)] : []),
      ];
    }),
  );
  const existing = await tx.$queryRaw<{ key: string }[]>`
    SELECT key FROM ledger_accounts WHERE key = ANY(${keys}::text[]) ORDER BY key COLLATE "C" FOR NO KEY UPDATE`;
  const found = new Set(existing.map((a) => a.key));
  const missing = keys.filter((k) => !found.has(k));
  if (missing.length === 0) return;
  // No row to lock yet: concurrent batches that would create the same account queue on its key instead.
  await tx.$queryRaw`
    SELECT count(pg_advisory_xact_lock(hashtext(${NEW_ACCOUNT_LOCK_CLASS}), hashtext(k)))::int AS n
      FROM unnest(${missing}::text[]) WITH ORDINALITY AS u(k, i)`;
}

/** Byte order, as PostgreSQL's COLLATE "C" (ids and account keys are ASCII). */
function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
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
