// The ledger check as an operation of the running service (issue 21 item 5): `checkDatabaseLedger` (the
// same check `npm run ledger:check` runs) on a schedule in the background workers and on demand from
// /admin/ops, each result stored in `ledger_check_runs` so every process, the metrics and the operations
// page read the same last run. A violation alerts the moderators — once per distinct violation set, not
// on every run that finds the same one again.
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import type { EngineContext } from "../context";
import type { Db } from "../db/client";
import { inTransaction, type Tx } from "../db/transaction";
import { checkDatabaseLedger, type DatabaseLedgerViolation } from "../ledger/check";
import { appUrl } from "../config";
import { notifyUser } from "../notify/enqueue";

export type LedgerCheckTrigger = "schedule" | "manual";

export interface LedgerCheckRunView {
  id: string;
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  violationCount: number;
  violations: DatabaseLedgerViolation[];
  trigger: string;
  process: string;
  /** This run raised the moderators' alert (the first run to find its violation set). */
  alerted: boolean;
}

/** Serialises recording runs across processes, so two runs finding one new set alert once. */
const RECORD_LOCK_KEY = 0x4c45_4447; // "LEDG"
/** Violations listed in the alert's text; the rest are on /admin/ops. */
const ALERT_LISTED_VIOLATIONS = 20;

/** The process that ran a check, as the operations page shows it. */
export function processName(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * Names a violation set apart from its amounts (which move as money moves): the sorted, distinct
 * invariant:subject pairs, hashed. Empty for a clean ledger.
 */
export function violationFingerprint(violations: readonly DatabaseLedgerViolation[]): string {
  if (violations.length === 0) return "";
  const pairs = [...new Set(violations.map((v) => `${v.invariant}:${v.subject}`))].sort();
  return createHash("sha256").update(pairs.join("\n")).digest("hex");
}

function toView(row: {
  id: bigint;
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  violationCount: number;
  violations: unknown;
  trigger: string;
  process: string;
  alerted: boolean;
}): LedgerCheckRunView {
  return {
    id: row.id.toString(),
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    ok: row.ok,
    violationCount: row.violationCount,
    violations: Array.isArray(row.violations) ? (row.violations as DatabaseLedgerViolation[]) : [],
    trigger: row.trigger,
    process: row.process,
    alerted: row.alerted,
  };
}

/** The last recorded run, from any process; null before the first. */
export async function latestLedgerCheckRun(db: Db | Tx): Promise<LedgerCheckRunView | null> {
  const row = await db.ledgerCheckRun.findFirst({ orderBy: { id: "desc" } });
  return row ? toView(row) : null;
}

/** Runs the check now, records the result and, for a violation set not seen by the previous run, alerts the moderators. */
export async function runLedgerCheck(
  ctx: EngineContext,
  options: { trigger: LedgerCheckTrigger; process?: string },
): Promise<LedgerCheckRunView> {
  const startedAt = ctx.now();
  const violations = await checkDatabaseLedger(ctx.db);
  const finishedAt = ctx.now();
  const fingerprint = violationFingerprint(violations);
  return inTransaction(ctx.db, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RECORD_LOCK_KEY})`;
    const previous = await tx.ledgerCheckRun.findFirst({ orderBy: { id: "desc" }, select: { fingerprint: true } });
    const alert = violations.length > 0 && previous?.fingerprint !== fingerprint;
    const row = await tx.ledgerCheckRun.create({
      data: {
        startedAt,
        finishedAt,
        ok: violations.length === 0,
        violations: violations.map((v) => ({ invariant: v.invariant, subject: v.subject, message: v.message })),
        violationCount: violations.length,
        fingerprint,
        alerted: alert,
        trigger: options.trigger,
        process: options.process ?? processName(),
      },
    });
    if (alert) await alertModerators(tx, row.id, violations, finishedAt);
    return toView(row);
  });
}

/**
 * The urgent alert: an email to every active moderator through the notification outbox (written in the
 * run's transaction, so it exists exactly when the run does). The console shows the same run at the top
 * of every moderation page (`admin.ledgerAlert`).
 */
async function alertModerators(tx: Tx, runId: bigint, violations: readonly DatabaseLedgerViolation[], now: Date): Promise<void> {
  const moderators = await tx.user.findMany({ where: { role: "admin", status: "active" }, select: { id: true } });
  const listed = violations.slice(0, ALERT_LISTED_VIOLATIONS).map((v) => `- [${v.invariant}] ${v.message}`);
  const more = violations.length - listed.length;
  const body = [
    `The ledger check found ${violations.length} violation(s) at ${now.toISOString()}. Money may have been created, lost or misplaced;`,
    "find the cause before more money moves.",
    "",
    ...listed,
    ...(more > 0 ? [`…and ${more} more.`] : []),
    "",
    `Operations page: ${appUrl("/admin/ops")}`,
  ].join("\n");
  for (const moderator of moderators) {
    await notifyUser(tx, moderator.id, {
      template: "ledger_violation",
      subject: `URGENT: the ledger check found ${violations.length} violation(s)`,
      body,
      dedupeKey: `ledger_check:${runId}:${moderator.id}`,
      now,
    });
  }
}

/**
 * The background worker's round: runs the check unless another process ran it within the interval (every
 * process with workers has this loop; the table is the shared clock). Returns whether it ran.
 */
export async function runScheduledLedgerCheck(ctx: EngineContext, intervalS: number): Promise<boolean> {
  const last = await ctx.db.ledgerCheckRun.findFirst({ orderBy: { id: "desc" }, select: { startedAt: true } });
  // A little slack, so two processes whose loops tick just apart do not skip each other for a whole interval.
  const slackMs = Math.min(5_000, intervalS * 100);
  if (last && ctx.now().getTime() - last.startedAt.getTime() < intervalS * 1000 - slackMs) return false;
  await runLedgerCheck(ctx, { trigger: "schedule" });
  return true;
}
