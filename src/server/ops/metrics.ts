// Prometheus metrics (issue 21), on prom-client's default registry so every part of the server — and
// other modules' gauges (the ledger check's) — lands on the one /api/metrics. Counters and histograms
// are counted where things happen (one place per transport, the one write path, the timer firing,
// the idempotency store, the rate limiter, the webhook relay); states that live in the database
// (escrows by state, backlogs) are read by collect callbacks at scrape time, so every process reports
// the same truth however the work is spread. Labels are bounded: route templates and operation,
// procedure and tool names, enum values — never ids, paths or addresses.
//
// Next loads this module more than once per process (the startup hook and the route handlers are
// separate bundles; prom-client itself is one external package, see next.config.mjs): each metric is
// created once and found again by name.
import { createHash, timingSafeEqual } from "node:crypto";
import client, { Counter, Gauge, Histogram, register } from "prom-client";
import type { Db } from "../db/client";
import { poolOf } from "../db/client";

const PREFIX = "holdfast_";

function getOrCreate<M>(name: string, create: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? create();
}

const globalForMetrics = globalThis as unknown as { holdfastMetricsDb?: () => Db | null; holdfastDefaultMetrics?: boolean };

/** The database the collect callbacks read (default: none until the endpoint or a test sets it). */
export function setMetricsDatabase(db: (() => Db | null) | Db | null): void {
  globalForMetrics.holdfastMetricsDb = typeof db === "function" ? db : () => db;
}
function metricsDb(): Db | null {
  return globalForMetrics.holdfastMetricsDb?.() ?? null;
}

if (!globalForMetrics.holdfastDefaultMetrics) {
  globalForMetrics.holdfastDefaultMetrics = true;
  // process_* and nodejs_*: CPU, memory, event-loop lag, GC, handles.
  client.collectDefaultMetrics({ register });
}

// ---- Requests, per transport and route template -------------------------------------------------

export type Transport = "agent_api" | "trpc" | "mcp";

const requests = getOrCreate(
  `${PREFIX}requests_total`,
  () =>
    new Counter({
      name: `${PREFIX}requests_total`,
      help: "Requests by transport (agent_api, trpc, mcp), route (operation, procedure or tool) and status code.",
      labelNames: ["transport", "route", "status"] as const,
    }),
);
const requestDuration = getOrCreate(
  `${PREFIX}request_duration_seconds`,
  () =>
    new Histogram({
      name: `${PREFIX}request_duration_seconds`,
      help: "Request latency by transport, route and status code.",
      labelNames: ["transport", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
);

/** Records one request; `route` must be a template or name, never a raw path. */
export function observeRequest(transport: Transport, route: string, status: number, durationS: number): void {
  const labels = { transport, route, status: String(status) };
  requests.inc(labels);
  requestDuration.observe(labels, durationS);
}

/** A stopwatch in seconds (monotonic). */
export function stopwatch(): () => number {
  const started = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - started) / 1e9;
}

// ---- Escrow transitions (the one write path) -------------------------------------------------------

const transitions = getOrCreate(
  `${PREFIX}escrow_transitions_total`,
  () =>
    new Counter({
      name: `${PREFIX}escrow_transitions_total`,
      help: "Escrow commands by command and outcome (applied, noop, rejected, error); code is the rejection code.",
      labelNames: ["command", "outcome", "code"] as const,
    }),
);

export function countTransition(command: string, outcome: "applied" | "noop" | "rejected" | "error", code = ""): void {
  transitions.inc({ command, outcome, code });
}

// ---- Timers -----------------------------------------------------------------------------------------

const timerLateness = getOrCreate(
  `${PREFIX}timer_lateness_seconds`,
  () =>
    new Histogram({
      name: `${PREFIX}timer_lateness_seconds`,
      help: "How late timers fire: fired_at − due_at, by timer kind and result (fired, or stale: the escrow had moved on).",
      labelNames: ["kind", "result"] as const,
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    }),
);

export function observeTimerLateness(kind: string, result: "fired" | "stale", dueAt: Date, firedAt: Date): void {
  timerLateness.observe({ kind, result }, Math.max(0, (firedAt.getTime() - dueAt.getTime()) / 1000));
}

// ---- Idempotency, rate limits, webhooks ---------------------------------------------------------------

const replays = getOrCreate(
  `${PREFIX}idempotent_replays_total`,
  () =>
    new Counter({
      name: `${PREFIX}idempotent_replays_total`,
      help: "Requests answered from the idempotency store instead of running again, by caller kind (agent, user).",
      labelNames: ["caller"] as const,
    }),
);

/** `scope` is the idempotency scope (`agent:<id>` / `user:<id>`); only its kind becomes a label. */
export function countIdempotentReplay(scope: string): void {
  replays.inc({ caller: scope.split(":")[0] ?? "other" });
}

const rateLimited = getOrCreate(
  `${PREFIX}rate_limited_total`,
  () =>
    new Counter({
      name: `${PREFIX}rate_limited_total`,
      help: "Requests refused by a rate limit, by limit (agent-key, signin_mail, …).",
      labelNames: ["limit"] as const,
    }),
);

/** `key` is the bucket key (`agent-key:<id>`, `signin_mail:address:<email>`): only its first part becomes a label. */
export function countRateLimited(key: string): void {
  rateLimited.inc({ limit: key.split(":")[0] ?? "other" });
}

const webhookAttempts = getOrCreate(
  `${PREFIX}webhook_delivery_attempts_total`,
  () =>
    new Counter({
      name: `${PREFIX}webhook_delivery_attempts_total`,
      help: "Webhook delivery attempts by outcome: delivered, retrying (failed, will retry), failed (gave up).",
      labelNames: ["outcome"] as const,
    }),
);

export function countWebhookAttempt(outcome: "delivered" | "retrying" | "failed"): void {
  webhookAttempts.inc({ outcome });
}

// ---- Database state, read at scrape time ----------------------------------------------------------------

/** Runs a collect query; a failing database leaves the gauge empty for this scrape instead of failing it. */
async function fromDb<T>(name: string, gauge: Gauge<string>, read: (db: Db) => Promise<T>, apply: (value: T) => void): Promise<void> {
  gauge.reset();
  const db = metricsDb();
  if (!db) return;
  try {
    apply(await read(db));
  } catch {
    metricsCollectErrors.inc({ metric: name });
  }
}

const metricsCollectErrors = getOrCreate(
  `${PREFIX}metrics_collect_errors_total`,
  () =>
    new Counter({
      name: `${PREFIX}metrics_collect_errors_total`,
      help: "Scrapes where a database-backed metric could not be read (the database did not answer).",
      labelNames: ["metric"] as const,
    }),
);

const ESCROW_STATES = ["pending", "active", "delivered", "disputed", "negotiating", "admin_review", "completed", "refunded", "resolved", "cancelled"];

getOrCreate(
  `${PREFIX}escrows`,
  () =>
    new Gauge({
      name: `${PREFIX}escrows`,
      help: "Escrows by state.",
      labelNames: ["state"] as const,
      async collect() {
        await fromDb(
          `${PREFIX}escrows`,
          this,
          (db) => db.$queryRaw<{ status: string; n: bigint }[]>`SELECT status::text AS status, count(*) AS n FROM escrows GROUP BY status`,
          (rows) => {
            for (const state of ESCROW_STATES) this.set({ state }, 0);
            for (const r of rows) this.set({ state: r.status }, Number(r.n));
          },
        );
      },
    }),
);

getOrCreate(
  `${PREFIX}timers_due_unfired`,
  () =>
    new Gauge({
      name: `${PREFIX}timers_due_unfired`,
      help: "Scheduled timers whose due time has passed but that have not fired yet.",
      async collect() {
        await fromDb(
          `${PREFIX}timers_due_unfired`,
          this,
          (db) => db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM escrow_timers WHERE status = 'scheduled' AND fire_at <= now()`,
          (rows) => this.set(Number(rows[0]?.n ?? 0)),
        );
      },
    }),
);

getOrCreate(
  `${PREFIX}timers_oldest_due_age_seconds`,
  () =>
    new Gauge({
      name: `${PREFIX}timers_oldest_due_age_seconds`,
      help: "How long the oldest due-but-unfired timer has been due (0 when none).",
      async collect() {
        await fromDb(
          `${PREFIX}timers_oldest_due_age_seconds`,
          this,
          (db) =>
            db.$queryRaw<{ s: number | null }[]>`
              SELECT EXTRACT(EPOCH FROM now() - min(fire_at))::float8 AS s FROM escrow_timers WHERE status = 'scheduled' AND fire_at <= now()`,
          (rows) => this.set(Math.max(0, rows[0]?.s ?? 0)),
        );
      },
    }),
);

getOrCreate(
  `${PREFIX}outbox_backlog`,
  () =>
    new Gauge({
      name: `${PREFIX}outbox_backlog`,
      help: "Unprocessed outbox rows by topic; state=failing counts those whose last publish failed.",
      labelNames: ["topic", "state"] as const,
      async collect() {
        await fromDb(
          `${PREFIX}outbox_backlog`,
          this,
          (db) =>
            db.$queryRaw<{ topic: string; pending: bigint; failing: bigint }[]>`
              SELECT topic, count(*) AS pending, count(*) FILTER (WHERE attempts > 0) AS failing
              FROM outbox WHERE processed_at IS NULL GROUP BY topic`,
          (rows) => {
            for (const r of rows) {
              this.set({ topic: r.topic, state: "pending" }, Number(r.pending));
              this.set({ topic: r.topic, state: "failing" }, Number(r.failing));
            }
          },
        );
      },
    }),
);

getOrCreate(
  `${PREFIX}notifications`,
  () =>
    new Gauge({
      name: `${PREFIX}notifications`,
      help: "Notifications not sent, by channel and status: pending (backlog, retrying when attempts > 0) and failed (gave up).",
      labelNames: ["channel", "status"] as const,
      async collect() {
        await fromDb(
          `${PREFIX}notifications`,
          this,
          (db) =>
            db.$queryRaw<{ channel: string; status: string; n: bigint }[]>`
              SELECT channel, status::text AS status, count(*) AS n FROM notifications
              WHERE status IN ('pending', 'failed') GROUP BY channel, status`,
          (rows) => {
            for (const r of rows) this.set({ channel: r.channel, status: r.status }, Number(r.n));
          },
        );
      },
    }),
);

getOrCreate(
  `${PREFIX}webhook_deliveries`,
  () =>
    new Gauge({
      name: `${PREFIX}webhook_deliveries`,
      help: "Webhook deliveries not delivered: pending (backlog and retries) and failed (gave up).",
      labelNames: ["status"] as const,
      async collect() {
        await fromDb(
          `${PREFIX}webhook_deliveries`,
          this,
          (db) =>
            db.$queryRaw<{ status: string; n: bigint }[]>`
              SELECT status::text AS status, count(*) AS n FROM webhook_deliveries WHERE status IN ('pending', 'failed') GROUP BY status`,
          (rows) => {
            this.set({ status: "pending" }, 0);
            this.set({ status: "failed" }, 0);
            for (const r of rows) this.set({ status: r.status }, Number(r.n));
          },
        );
      },
    }),
);

getOrCreate(
  `${PREFIX}db_pool_connections`,
  () =>
    new Gauge({
      name: `${PREFIX}db_pool_connections`,
      help: "This process's PostgreSQL pool: total and idle connections, and requests waiting for one.",
      labelNames: ["state"] as const,
      collect() {
        this.reset();
        const db = metricsDb();
        const pool = db ? poolOf(db) : null;
        if (!pool) return;
        this.set({ state: "total" }, pool.totalCount);
        this.set({ state: "idle" }, pool.idleCount);
        this.set({ state: "waiting" }, pool.waitingCount);
      },
    }),
);

getOrCreate(
  `${PREFIX}db_pool_max_connections`,
  () =>
    new Gauge({
      name: `${PREFIX}db_pool_max_connections`,
      help: "The size limit of this process's PostgreSQL pool.",
      collect() {
        this.reset();
        const db = metricsDb();
        const pool = db ? poolOf(db) : null;
        if (pool) this.set(pool.options.max ?? 10);
      },
    }),
);

// ---- The endpoint ---------------------------------------------------------------------------------------

function sameSecret(given: string, expected: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and the time does not depend on where they differ.
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

export interface MetricsEndpointOptions {
  /** HOLDFAST_METRICS_TOKEN; unset → the endpoint does not exist (404). */
  token: string | undefined;
  db: Db | null;
}

/** GET /api/metrics: Prometheus text format behind `Authorization: Bearer <HOLDFAST_METRICS_TOKEN>`. */
export async function handleMetrics(request: Request, options: MetricsEndpointOptions): Promise<Response> {
  const noStore = { "cache-control": "no-store" };
  if (!options.token) return Response.json({ error: { code: "not_found", message: "Not found." } }, { status: 404, headers: noStore });
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match || !sameSecret(match[1]!, options.token)) {
    return Response.json(
      { error: { code: "unauthorized", message: "Send the metrics token as `Authorization: Bearer <token>`." } },
      { status: 401, headers: { ...noStore, "www-authenticate": 'Bearer realm="holdfast-metrics"' } },
    );
  }
  setMetricsDatabase(options.db);
  const body = await register.metrics();
  return new Response(body, { status: 200, headers: { ...noStore, "content-type": register.contentType } });
}
