// /api/metrics over real HTTP (issue 21): after a scripted lifecycle through the agent API (REST and
// MCP, on the test harness's real port) and tRPC, the scraped Prometheus text shows it — requests per
// route and status, transitions by command and outcome with a rejection's code, an idempotent replay,
// a rate-limited request, timer lateness, escrows by state, due-but-unfired timers, backlogs and pool
// use. The endpoint is 404 without a token configured and 401 without the right one.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testClock } from "~/test/engine-fixtures";
import { serveFetchHandler, type RunningServer } from "../agent-api/node-server";
import { call, createWorld, expectApiError, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { createDb } from "../db/client";
import { drainDueTimers } from "../jobs/scheduler";
import { freePort } from "~/test/free-port";
import { handleMetrics } from "./metrics";

const TOKEN = "metrics-token-for-tests-0123456789";
const clock = testClock(new Date());
let h: Harness;
let withToken: RunningServer;
let withoutToken: RunningServer;

beforeAll(async () => {
  h = await startHarness({ rateLimit: { limit: 40, windowS: 3600 } }, clock);
  withToken = await serveFetchHandler((request) => handleMetrics(request, { token: TOKEN, db: h.tdb.db }));
  withoutToken = await serveFetchHandler((request) => handleMetrics(request, { token: undefined, db: h.tdb.db }));
});
afterAll(async () => {
  await withToken?.close();
  await withoutToken?.close();
  await h?.close();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A small parser of the Prometheus text format (samples only; comments and types skipped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, "$1");
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`${withToken.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return parse(await res.text());
}

/** The value of one sample (0 when absent); `labels` must match those given. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function offer(w: World, idempotencyKey?: string) {
  return w.client.createEscrow(
    { conversation_id: w.conversationId, title: "Logo design", amount: 2_500, currency: "USD", service_id: w.serviceId },
    idempotencyKey ? { idempotencyKey } : undefined,
  );
}

async function deliver(w: World, escrowId: string) {
  clock.advanceSeconds(1); // the test clock stands still: the artifact must come after the funding
  const artifact = await w.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES, contentType: "image/png" });
  await w.client.sendMessage(w.conversationId, { text: "Here it is.", artifact_ids: [artifact.id], escrow_id: escrowId });
  return w.client.complete(escrowId);
}

describe("/api/metrics", () => {
  it("is 404 while no token is configured, 401 without the right bearer token", async () => {
    expect((await fetch(`${withoutToken.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect((await fetch(`${withToken.url}/api/metrics`)).status).toBe(401);
    const wrong = await fetch(`${withToken.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain("Bearer");
    expect(await wrong.text()).not.toContain("holdfast_");
    expect((await fetch(`${withToken.url}/api/metrics`, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
  });

  it("shows a scripted lifecycle: requests, transitions and a rejection by code, a replay, a rate limit, timers, states", async () => {
    const before = await scrape();
    const w = await createWorld(h);

    // Escrow A: offered (then replayed with the same key), refused completion, funded over tRPC, delivered, approved.
    const a = await offer(w, "offer-a");
    const replay = await call(h, w.key.key, "POST", "/escrows", {
      json: { conversation_id: w.conversationId, title: "Logo design", amount: 2_500, currency: "USD", service_id: w.serviceId },
      headers: { "idempotency-key": "offer-a" },
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    await expectApiError(w.client.complete(a.id), 422, "escrow_not_funded");
    await w.customerApi.escrow.accept({ escrowId: a.id });
    await deliver(w, a.id);
    await w.customerApi.escrow.approve({ escrowId: a.id });
    await expect(w.customerApi.escrow.approve({ escrowId: a.id })).rejects.toThrow(); // invalid_transition over tRPC

    // Escrow B: delivered, then auto-released 90 s after its deadline by the timer engine.
    const b = await offer(w);
    await w.customerApi.escrow.accept({ escrowId: b.id });
    await deliver(w, b.id);
    const { deadline } = await h.tdb.db.escrow.findUniqueOrThrow({ where: { id: b.id }, select: { deadline: true } });
    clock.set(new Date(deadline!.getTime() + 90_000));
    const drained = await drainDueTimers(h.deps.engine, 2);
    expect(drained.applied).toBeGreaterThanOrEqual(1);
    clock.set(new Date());

    // One tool over MCP.
    const mcp = new Client({ name: "metrics-test", version: "1.0.0" });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`${h.url}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${w.key.key}` } } }),
    );
    await mcp.callTool({ name: "whoami", arguments: {} });
    await mcp.close();

    // Past the key's limit: 429.
    let limited = 0;
    for (let i = 0; i < 45 && limited === 0; i++) if ((await call(h, w.key.key, "GET", "/me")).status === 429) limited++;
    expect(limited).toBe(1);

    // A timer due but not fired.
    await h.tdb.db.$executeRaw`
      UPDATE escrow_timers SET fire_at = now() - interval '1 minute'
      WHERE id = (SELECT id FROM escrow_timers WHERE status = 'scheduled' ORDER BY id LIMIT 1)`;

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);

    // Requests per transport, route and status.
    expect(delta("holdfast_requests_total", { transport: "agent_api", route: "createEscrow", status: "201" })).toBe(3);
    expect(delta("holdfast_requests_total", { transport: "agent_api", route: "completeEscrow", status: "422" })).toBe(1);
    expect(delta("holdfast_requests_total", { transport: "agent_api", route: "completeEscrow", status: "200" })).toBe(2);
    expect(delta("holdfast_requests_total", { transport: "agent_api", status: "429" })).toBe(1);
    expect(delta("holdfast_requests_total", { transport: "trpc", route: "escrow.accept", status: "200" })).toBe(2);
    expect(delta("holdfast_requests_total", { transport: "trpc", route: "escrow.approve", status: "200" })).toBe(1);
    expect(delta("holdfast_requests_total", { transport: "trpc", route: "escrow.approve", status: "409" })).toBe(1);
    expect(delta("holdfast_requests_total", { transport: "mcp", route: "whoami", status: "200" })).toBe(1);
    expect(delta("holdfast_request_duration_seconds_count", { transport: "agent_api", route: "createEscrow", status: "201" })).toBe(3);
    expect(delta("holdfast_request_duration_seconds_bucket", { transport: "agent_api", route: "createEscrow", status: "201", le: "+Inf" })).toBe(3);
    expect(after.some((s) => s.name === "holdfast_requests_total" && s.labels.route?.includes("/"))).toBe(false); // no raw paths

    // Transitions by command and outcome, the rejection by its code.
    expect(delta("holdfast_escrow_transitions_total", { command: "accept", outcome: "applied" })).toBe(2);
    expect(delta("holdfast_escrow_transitions_total", { command: "complete", outcome: "applied" })).toBe(2);
    expect(delta("holdfast_escrow_transitions_total", { command: "complete", outcome: "rejected", code: "escrow_not_funded" })).toBe(1);
    expect(delta("holdfast_escrow_transitions_total", { command: "approve", outcome: "rejected", code: "invalid_transition" })).toBe(1);
    expect(delta("holdfast_escrow_transitions_total", { command: "auto_release", outcome: "applied" })).toBe(1);

    // The replay, the rate limit, the timer's lateness (90 s: above the 60 s bucket, within 120 s).
    expect(delta("holdfast_idempotent_replays_total", { caller: "agent" })).toBe(1);
    expect(delta("holdfast_rate_limited_total", { limit: "agent-key" })).toBe(1);
    expect(delta("holdfast_timer_lateness_seconds_count", { kind: "deadline", result: "fired" })).toBe(1);
    expect(delta("holdfast_timer_lateness_seconds_bucket", { kind: "deadline", result: "fired", le: "60" })).toBe(0);
    expect(delta("holdfast_timer_lateness_seconds_bucket", { kind: "deadline", result: "fired", le: "120" })).toBe(1);

    // Database state at scrape time.
    expect(value(after, "holdfast_escrows", { state: "completed" })).toBe(2);
    expect(value(after, "holdfast_escrows", { state: "pending" })).toBe(0);
    expect(value(after, "holdfast_timers_due_unfired")).toBe(1);
    expect(value(after, "holdfast_timers_oldest_due_age_seconds")).toBeGreaterThanOrEqual(55);
    expect(after.some((s) => s.name === "holdfast_webhook_deliveries" && s.labels.status === "pending")).toBe(true);
    expect(value(after, "holdfast_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
    expect(after.some((s) => s.name === "holdfast_db_pool_connections" && s.labels.state === "waiting")).toBe(true);
    // Process default metrics.
    expect(after.some((s) => s.name === "process_cpu_user_seconds_total")).toBe(true);
    expect(after.some((s) => s.name === "nodejs_eventloop_lag_seconds")).toBe(true);
  });

  it("reports backlogs and failures by channel from the database", async () => {
    const db = h.tdb.db;
    const now = new Date();
    await db.notification.createMany({
      data: [
        { id: "ntf_m1", channel: "email", address: "a@example.com", template: "t", subject: "s", body: "b", dedupeKey: "m1", nextAttemptAt: now },
        { id: "ntf_m2", channel: "telegram", address: "1", template: "t", subject: "s", body: "b", dedupeKey: "m2", nextAttemptAt: now, status: "failed", attempts: 8 },
      ],
    });
    await db.outboxMessage.create({ data: { topic: "escrow.changed", payload: {}, attempts: 2, lastError: "down" } });
    const s = await scrape();
    expect(value(s, "holdfast_notifications", { channel: "email", status: "pending" })).toBeGreaterThanOrEqual(1);
    expect(value(s, "holdfast_notifications", { channel: "telegram", status: "failed" })).toBe(1);
    expect(value(s, "holdfast_outbox_backlog", { topic: "escrow.changed", state: "failing" })).toBe(1);
    expect(value(s, "holdfast_outbox_backlog", { topic: "escrow.changed", state: "pending" })).toBeGreaterThanOrEqual(1);
  });

  it("still answers when the database does not: the database-backed gauges are left out and the failure counted", async () => {
    const dead = createDb(`postgresql://nobody@127.0.0.1:${await freePort()}/nothing`);
    const server = await serveFetchHandler((request) => handleMetrics(request, { token: TOKEN, db: dead }));
    try {
      const startedAt = Date.now();
      const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(Date.now() - startedAt).toBeLessThan(8_000);
      expect(parse(await res.text()).some((x) => x.name === "holdfast_escrows")).toBe(false);
      // The failures are counted during the scrape, so they show from the next one on.
      const again = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const s = parse(await again.text());
      expect(s.some((x) => x.name === "holdfast_escrows")).toBe(false);
      expect(value(s, "holdfast_metrics_collect_errors_total", { metric: "holdfast_escrows" })).toBeGreaterThanOrEqual(1);
      expect(s.some((x) => x.name === "process_cpu_user_seconds_total")).toBe(true);
    } finally {
      await server.close();
      await dead.$disconnect();
    }
  });
});
