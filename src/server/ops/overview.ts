// What /admin/ops shows (issue 21 item 6): the machinery's state read from the database, which every
// process shares — timer lag and backlog, the notification, webhook and Inngest outboxes with their
// failing items, webhook endpoints failing per agent, the last ledger check and the worker heartbeats
// of every process. Read-only; the
// moderator's actions on an item are in deliveries.ts.
import { timerEngine } from "../config";
import { Prisma } from "../db/generated/client";
import type { EngineContext } from "../context";
import { listWorkerHeartbeats } from "./heartbeats";
import { latestLedgerCheckRun, type LedgerCheckRunView } from "./ledger-check-runs";

/** Failing items listed per queue; the counts cover all of them. */
const FAILING_ITEMS_LISTED = 50;

export type DeliveryKind = "webhook" | "notification" | "outbox";

export interface FailingItem {
  kind: DeliveryKind;
  id: string;
  /** "retrying" (attempts failed, another is scheduled) or "failed" (no more attempts). */
  state: "retrying" | "failed";
  /** Who or what it goes to: the agent's handle and URL, the channel and address, the outbox topic. */
  target: string;
  /** What it is: the event type, the notification template, the escrow. */
  what: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

export interface QueueBacklog {
  /** Waiting to be sent (not given up, not done). */
  pending: number;
  /** Of those, due now or earlier. */
  due: number;
  /** How late the most overdue pending item is, in seconds (0 when none is due). */
  oldestDueLatenessS: number;
  retrying: number;
  failed: number;
  failing: FailingItem[];
}

export interface FailingWebhookEndpoint {
  agentId: string;
  handle: string;
  url: string | null;
  failed: number;
  retrying: number;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDeliveredAt: Date | null;
}

/** A process whose newest beat is older than this has stopped (the webhook relay alone beats every few seconds). */
export const PROCESS_SILENT_AFTER_S = 120;

export interface ProcessHeartbeats {
  processId: string;
  host: string;
  pid: number;
  startedAt: Date;
  lastBeatAt: Date;
  /** No worker of the process has beaten for PROCESS_SILENT_AFTER_S: it stopped, or hangs. */
  silent: boolean;
  workers: { worker: string; beatAt: Date }[];
}

export interface OperationsOverview {
  at: Date;
  timerEngine: "embedded" | "inngest";
  timers: {
    scheduled: number;
    /** Scheduled timers whose fire time has passed (the scheduler has not fired them yet). */
    dueUnfired: number;
    oldestDueLatenessS: number;
    /** Timers fired in the last hour, and the latest of them relative to its fire time. */
    firedLastHour: number;
    maxLatenessLastHourS: number;
  };
  notifications: QueueBacklog;
  webhooks: QueueBacklog & { failingEndpoints: FailingWebhookEndpoint[] };
  /** The Inngest outbox (escrow.changed); null with the embedded timer engine, which does not relay it. */
  outbox: QueueBacklog | null;
  ledgerCheck: LedgerCheckRunView | null;
  /** Worker heartbeats per server process (src/server/ops/heartbeats.ts), newest process first. */
  processes: ProcessHeartbeats[];
}

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

async function timerLag(ctx: EngineContext, now: Date): Promise<OperationsOverview["timers"]> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const [row] = await ctx.db.$queryRaw<
    { scheduled: number; due: number; oldest_due: Date | null; fired: number; max_lateness_s: number | null }[]
  >`
    SELECT
      (SELECT count(*)::int FROM escrow_timers WHERE status = 'scheduled') AS scheduled,
      (SELECT count(*)::int FROM escrow_timers WHERE status = 'scheduled' AND fire_at <= ${now}) AS due,
      (SELECT min(fire_at) FROM escrow_timers WHERE status = 'scheduled' AND fire_at <= ${now}) AS oldest_due,
      (SELECT count(*)::int FROM escrow_timers WHERE status <> 'scheduled' AND fired_at >= ${hourAgo}) AS fired,
      (SELECT max(extract(epoch FROM fired_at - fire_at))::float8 FROM escrow_timers
        WHERE status <> 'scheduled' AND fired_at >= ${hourAgo}) AS max_lateness_s`;
  return {
    scheduled: row?.scheduled ?? 0,
    dueUnfired: row?.due ?? 0,
    oldestDueLatenessS: row?.oldest_due ? seconds(now.getTime() - row.oldest_due.getTime()) : 0,
    firedLastHour: row?.fired ?? 0,
    maxLatenessLastHourS: Math.max(0, Math.round(row?.max_lateness_s ?? 0)),
  };
}

/**
 * The counts of a queue sent with retries (notifications, webhook deliveries: both keep status,
 * next_attempt_at, attempts and given_up_at), over `rows` — its table and the filter leaving out
 * what is done.
 */
async function retriedQueueCounts(ctx: EngineContext, rows: Prisma.Sql, now: Date): Promise<Omit<QueueBacklog, "failing">> {
  const [counts] = await ctx.db.$queryRaw<{ pending: number; due: number; oldest_due: Date | null; retrying: number; failed: number }[]>`
    SELECT
      count(*) FILTER (WHERE status = 'pending')::int AS pending,
      count(*) FILTER (WHERE status = 'pending' AND next_attempt_at <= ${now})::int AS due,
      min(next_attempt_at) FILTER (WHERE status = 'pending' AND next_attempt_at <= ${now}) AS oldest_due,
      count(*) FILTER (WHERE status = 'pending' AND attempts > 0)::int AS retrying,
      count(*) FILTER (WHERE status = 'failed' AND given_up_at IS NULL)::int AS failed
    FROM ${rows}`;
  return {
    pending: counts?.pending ?? 0,
    due: counts?.due ?? 0,
    oldestDueLatenessS: counts?.oldest_due ? seconds(now.getTime() - counts.oldest_due.getTime()) : 0,
    retrying: counts?.retrying ?? 0,
    failed: counts?.failed ?? 0,
  };
}

async function notificationBacklog(ctx: EngineContext, now: Date): Promise<QueueBacklog> {
  const counts = await retriedQueueCounts(ctx, Prisma.sql`notifications WHERE status <> 'sent'`, now);
  const rows = await ctx.db.notification.findMany({
    where: { OR: [{ status: "pending", attempts: { gt: 0 } }, { status: "failed", givenUpAt: null }] },
    orderBy: { createdAt: "desc" },
    take: FAILING_ITEMS_LISTED,
    select: { id: true, status: true, channel: true, address: true, template: true, escrowId: true, attempts: true, lastError: true, nextAttemptAt: true, createdAt: true },
  });
  return {
    ...counts,
    // The text is never shown: it may hold a verification code.
    failing: rows.map((n) => ({
      kind: "notification",
      id: n.id,
      state: n.status === "failed" ? "failed" : "retrying",
      target: `${n.channel} ${n.address}`,
      what: n.escrowId ? `${n.template} (escrow ${n.escrowId})` : n.template,
      attempts: n.attempts,
      lastError: n.lastError,
      nextAttemptAt: n.status === "pending" ? n.nextAttemptAt : null,
      createdAt: n.createdAt,
    })),
  };
}

async function webhookBacklog(ctx: EngineContext, now: Date): Promise<OperationsOverview["webhooks"]> {
  const counts = await retriedQueueCounts(ctx, Prisma.sql`webhook_deliveries WHERE status <> 'delivered'`, now);
  const rows = await ctx.db.webhookDelivery.findMany({
    where: { OR: [{ status: "pending", attempts: { gt: 0 } }, { status: "failed", givenUpAt: null }] },
    orderBy: { createdAt: "desc" },
    take: FAILING_ITEMS_LISTED,
    include: { agent: { select: { handle: true, webhookUrl: true } } },
  });
  const events = await ctx.db.agentEvent.findMany({ where: { id: { in: rows.map((r) => r.eventId) } }, select: { id: true, type: true } });
  const eventType = new Map(events.map((e) => [e.id, e.type]));
  const endpoints = await ctx.db.$queryRaw<
    {
      agent_id: string;
      handle: string;
      url: string | null;
      failed: number;
      retrying: number;
      last_attempt_at: Date | null;
      last_status_code: number | null;
      last_error: string | null;
      last_delivered_at: Date | null;
    }[]
  >`
    SELECT a.id AS agent_id, a.handle, a.webhook_url AS url, f.failed, f.retrying,
           last.created_at AS last_attempt_at, last.status_code AS last_status_code, last.error AS last_error,
           (SELECT max(delivered_at) FROM webhook_deliveries d WHERE d.agent_id = a.id AND d.status = 'delivered') AS last_delivered_at
      FROM (SELECT agent_id,
                   count(*) FILTER (WHERE status = 'failed')::int AS failed,
                   count(*) FILTER (WHERE status = 'pending')::int AS retrying
              FROM webhook_deliveries
             WHERE (status = 'pending' AND attempts > 0) OR (status = 'failed' AND given_up_at IS NULL)
             GROUP BY agent_id) f
      JOIN agents a ON a.id = f.agent_id
      LEFT JOIN LATERAL (
        SELECT wa.created_at, wa.status_code, wa.error FROM webhook_attempts wa
          JOIN webhook_deliveries d ON d.id = wa.delivery_id
         WHERE d.agent_id = a.id ORDER BY wa.id DESC LIMIT 1) last ON true
     ORDER BY f.failed + f.retrying DESC, a.handle
     LIMIT ${FAILING_ITEMS_LISTED}`;
  return {
    ...counts,
    failing: rows.map((d) => ({
      kind: "webhook",
      id: d.id,
      state: d.status === "failed" ? "failed" : "retrying",
      target: `@${d.agent.handle} ${d.agent.webhookUrl ?? "(no webhook URL)"}`,
      what: eventType.get(d.eventId) ?? `event ${d.eventId}`,
      attempts: d.attempts,
      lastError: d.lastError ?? (d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : null),
      nextAttemptAt: d.status === "pending" ? d.nextAttemptAt : null,
      createdAt: d.createdAt,
    })),
    failingEndpoints: endpoints.map((e) => ({
      agentId: e.agent_id,
      handle: e.handle,
      url: e.url,
      failed: e.failed,
      retrying: e.retrying,
      lastAttemptAt: e.last_attempt_at,
      lastStatusCode: e.last_status_code,
      lastError: e.last_error,
      lastDeliveredAt: e.last_delivered_at,
    })),
  };
}

async function outboxBacklog(ctx: EngineContext, now: Date): Promise<QueueBacklog> {
  const [counts] = await ctx.db.$queryRaw<{ pending: number; due: number; oldest_due: Date | null; retrying: number }[]>`
    SELECT count(*)::int AS pending,
           count(*) FILTER (WHERE available_at <= ${now})::int AS due,
           min(available_at) FILTER (WHERE available_at <= ${now}) AS oldest_due,
           count(*) FILTER (WHERE attempts > 0)::int AS retrying
      FROM outbox WHERE processed_at IS NULL`;
  const rows = await ctx.db.outboxMessage.findMany({
    where: { processedAt: null, attempts: { gt: 0 } },
    orderBy: { id: "desc" },
    take: FAILING_ITEMS_LISTED,
  });
  return {
    pending: counts?.pending ?? 0,
    due: counts?.due ?? 0,
    oldestDueLatenessS: counts?.oldest_due ? seconds(now.getTime() - counts.oldest_due.getTime()) : 0,
    retrying: counts?.retrying ?? 0,
    // The Inngest relay retries without end: nothing in the outbox is ever "failed".
    failed: 0,
    failing: rows.map((r) => {
      const payload = (r.payload ?? {}) as { escrow_id?: string; version?: number };
      return {
        kind: "outbox",
        id: r.id.toString(),
        state: "retrying",
        target: `Inngest (${r.topic})`,
        what: payload.escrow_id ? `escrow ${payload.escrow_id} v${payload.version ?? "?"}` : r.topic,
        attempts: r.attempts,
        lastError: r.lastError,
        nextAttemptAt: r.availableAt,
        createdAt: r.createdAt,
      };
    }),
  };
}

async function processHeartbeats(ctx: EngineContext, now: Date): Promise<ProcessHeartbeats[]> {
  const byProcess = new Map<string, ProcessHeartbeats>();
  for (const row of await listWorkerHeartbeats(ctx.db)) {
    let p = byProcess.get(row.processId);
    if (!p) {
      p = { processId: row.processId, host: row.host, pid: row.pid, startedAt: row.startedAt, lastBeatAt: row.beatAt, silent: false, workers: [] };
      byProcess.set(row.processId, p);
    }
    p.workers.push({ worker: row.worker, beatAt: row.beatAt });
    if (row.beatAt > p.lastBeatAt) p.lastBeatAt = row.beatAt;
  }
  const processes = [...byProcess.values()];
  for (const p of processes) p.silent = now.getTime() - p.lastBeatAt.getTime() > PROCESS_SILENT_AFTER_S * 1000;
  // Running processes first, then the most recently heard from.
  return processes.sort((a, b) => Number(a.silent) - Number(b.silent) || b.lastBeatAt.getTime() - a.lastBeatAt.getTime());
}

export async function operationsOverview(
  ctx: EngineContext,
  options: { timerEngine?: "embedded" | "inngest" } = {},
): Promise<OperationsOverview> {
  const now = ctx.now();
  const engine = options.timerEngine ?? timerEngine();
  const [timers, notifications, webhooks, outbox, ledgerCheck, processes] = await Promise.all([
    timerLag(ctx, now),
    notificationBacklog(ctx, now),
    webhookBacklog(ctx, now),
    engine === "inngest" ? outboxBacklog(ctx, now) : Promise.resolve(null),
    latestLedgerCheckRun(ctx.db),
    processHeartbeats(ctx, now),
  ]);
  return { at: now, timerEngine: engine, timers, notifications, webhooks, outbox, ledgerCheck, processes };
}
