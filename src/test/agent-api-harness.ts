// Test harness: the agent API and MCP server on a real node:http port over a
// fresh database, plus a world (owner, agent with a key, customer with a
// tRPC caller, conversation) to drive lifecycles from both sides.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { HoldfastApiError, HoldfastClient } from "~/client";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { testContext, type TestClock } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { callerFor } from "~/server/api/root";
import { issueAgentApiKey } from "~/server/auth/api-keys";
import { LocalDiskStorage } from "~/server/artifacts/storage";
import { PgFeedNotifier } from "~/server/events/feed";
import { CachedAgentKeys } from "~/server/auth/agent-key-cache";
import { TokenBuckets } from "~/server/rate-limit/token-buckets";
import { newId } from "~/server/ids";
import type { AgentApiDeps, AgentApiSettings } from "~/server/agent-api/deps";
import { handleMcpRequest } from "~/server/agent-api/mcp";
import { serveFetchHandler } from "~/server/agent-api/node-server";
import { handleAgentApiRequest } from "~/server/agent-api/rest";

export const realClock: TestClock = { now: () => new Date(), advanceSeconds() {}, set() {} };

export const TEST_SETTINGS: AgentApiSettings = {
  maxArtifactBytes: 256 * 1024,
  maxJsonBodyBytes: 64 * 1024,
  rateLimit: { limit: 100_000, windowS: 60 },
  maxWaitS: 30,
};

export interface Harness {
  tdb: TestDatabase;
  deps: AgentApiDeps;
  url: string;
  close(): Promise<void>;
}

export async function startHarness(settings: Partial<AgentApiSettings> = {}, clock: TestClock = realClock): Promise<Harness> {
  const tdb = await createTestDatabase();
  const artifactDir = mkdtempSync(path.join(os.tmpdir(), "holdfast-artifacts-"));
  const deps: AgentApiDeps = {
    engine: testContext(tdb.db, clock, 0),
    storage: new LocalDiskStorage(artifactDir),
    feed: new PgFeedNotifier(tdb.url, 5_000),
    settings: { ...TEST_SETTINGS, ...settings },
    keys: new CachedAgentKeys(tdb.db, tdb.url),
    limiter: new TokenBuckets(),
  };
  const server = await serveFetchHandler((request) =>
    new URL(request.url).pathname.startsWith("/api/mcp") ? handleMcpRequest(request, deps) : handleAgentApiRequest(request, deps),
  );
  return {
    tdb,
    deps,
    url: server.url,
    async close() {
      await server.close();
      await deps.feed.close();
      await deps.keys.close();
      await tdb.drop();
      rmSync(artifactDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a change of access (a key revoked, an agent or owner suspended or restored) and waits until the
 * harness server's key cache has heard of it (its LISTEN notification): the guarantee is "refused once the
 * notification arrives", and the notification is asynchronous to the writer's commit.
 */
export async function accessChange<T>(h: Harness, change: () => Promise<T>): Promise<T> {
  const keys = h.deps.keys as CachedAgentKeys;
  await keys.ready();
  const before = keys.generation;
  const result = await change();
  const deadline = Date.now() + 30_000; // a loaded CI machine is many times slower than one alone
  while (keys.caching && keys.generation === before) {
    if (Date.now() > deadline) throw new Error("the access-change notification did not arrive within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return result;
}

export const IMAGE_CONTRACT = { kinds: ["image"], mime_types: ["image/png"], json_schema: null };

/** A seller (owner + agent + key + catalog) and a customer in a conversation with it, with funds. */
export async function createWorld(h: Harness, options: { funds?: number; contract?: object | null } = {}) {
  const db = h.tdb.db;
  const owner = await createUser(db, "owner", "Olivia Owner");
  const agentId = newId("agt");
  const handle = `seller-${agentId.slice(4, 14)}`;
  await db.agent.create({ data: { id: agentId, ownerId: owner.id, handle, displayName: "Seller Agent" } });
  const serviceId = newId("svc");
  await db.service.create({
    data: {
      id: serviceId,
      agentId,
      title: "Logo design",
      priceMinor: 2_500n,
      currency: "USD",
      deliveryInHours: 24,
      ...(options.contract !== null ? { artifactContract: options.contract ?? IMAGE_CONTRACT } : {}),
    },
  });
  const key = await issueAgentApiKey(db, agentId, "test");
  const customer = await createUser(db, "customer", "Casey Customer");
  const customerApi = callerFor(h.deps.engine, customer);
  const { conversationId } = await customerApi.chat.open({ agentHandle: handle });
  if ((options.funds ?? 100_000) > 0) await customerApi.wallet.addTestFunds({ amount: options.funds ?? 100_000, currency: "USD" });
  const client = new HoldfastClient({ baseUrl: h.url, apiKey: key.key, validate: true });
  return { owner, agentId, handle, serviceId, key, customer, customerApi, conversationId, client };
}

export type World = Awaited<ReturnType<typeof createWorld>>;

/** A tiny valid PNG (1×1). */
export const PNG_BYTES = new Uint8Array(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
);

/** The start of an ELF executable: what a renamed program looks like. */
export const ELF_BYTES = new Uint8Array([
  0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x3e, 0x00, 0x01, 0, 0, 0,
  ...new Array<number>(100).fill(0),
]);

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** One raw HTTP call to the agent API (no client conveniences: no Idempotency-Key unless given). */
export async function call(
  h: Harness,
  key: string | null,
  method: string,
  path: string,
  init: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = typeof init.json === "string" ? init.json : JSON.stringify(init.json);
  }
  const response = await fetch(`${h.url}/api/agent/v1${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (downloads)
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Everything an agent request could change, as one comparable value (rate-limit counters aside). */
export async function dataSnapshot(h: Harness): Promise<string> {
  const db = h.tdb.db;
  const [escrows, messages, artifacts, settlements, events, alerts, transfers, conversations, deliveries] = await Promise.all([
    db.escrow.findMany({ orderBy: { id: "asc" } }),
    db.message.findMany({ orderBy: { id: "asc" } }),
    db.artifact.findMany({ orderBy: { id: "asc" } }),
    db.settlement.findMany({ orderBy: { id: "asc" } }),
    db.agentEvent.findMany({ orderBy: { id: "asc" } }),
    db.ownerAlert.findMany({ orderBy: { id: "asc" } }),
    db.ledgerTransfer.findMany({ orderBy: { id: "asc" } }),
    db.conversation.findMany({ orderBy: { id: "asc" } }),
    db.webhookDelivery.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ escrows, messages, artifacts, settlements, events, alerts, transfers, conversations, deliveries }, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}

/** Awaits a call that must be refused with this HTTP status and error code; returns the error. */
export async function expectApiError(promise: Promise<unknown>, status: number, code: string): Promise<HoldfastApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HoldfastApiError);
  expect({ status: (error as HoldfastApiError).status, code: (error as HoldfastApiError).code }).toEqual({ status, code });
  return error as HoldfastApiError;
}
