// Reads that do not write (issue 20), structurally, over real HTTP: GET /me, GET /escrows, GET
// /escrows/{id} and the feed send no INSERT, UPDATE or DELETE (counted from the client's statements,
// src/test/statement-log.ts) — the rate limit is in memory and the key's last-use stamp is batched —
// and once the key is cached a request does not read the key's row at all; GET /me reads the agent's
// record in one aggregate whatever its history.
// And the cache never outlives an access change: a key revoked or an agent suspended through another
// server's pool is refused (401) by both servers once the notification arrives, and a server that loses
// its LISTEN connection stops using its cache at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statementLoggingDb, type StatementLog } from "~/test/statement-log";
import { call, createWorld, startHarness, type Harness } from "~/test/agent-api-harness";
import { CachedAgentKeys } from "../auth/agent-key-cache";
import { revokeAgentApiKey, issueAgentApiKey } from "../auth/api-keys";
import { TokenBuckets } from "../rate-limit/token-buckets";
import { runEscrowCommand } from "../escrow/run-command";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import type { AgentApiDeps } from "./deps";
import { serveFetchHandler, type RunningServer } from "./node-server";
import { handleAgentApiRequest } from "./rest";
import { OPERATIONS } from "./operations";

let h: Harness;
let log: StatementLog;
let logged: RunningServer;
let loggedDeps: AgentApiDeps;

beforeAll(async () => {
  h = await startHarness();
  log = statementLoggingDb(h.tdb.url);
  loggedDeps = {
    ...h.deps,
    engine: { ...h.deps.engine, db: log.db },
    keys: new CachedAgentKeys(log.db, h.tdb.url),
    limiter: new TokenBuckets(),
  };
  logged = await serveFetchHandler((request) => handleAgentApiRequest(request, loggedDeps));
  await Promise.all([(h.deps.keys as CachedAgentKeys).ready(), (loggedDeps.keys as CachedAgentKeys).ready()]);
});
afterAll(async () => {
  await logged.close();
  await loggedDeps.keys.close();
  await log.close();
  await h.close();
});

const get = async (origin: string, key: string, path: string) => {
  const response = await fetch(`${origin}/api/agent/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status;
};
const writes = (statements: string[]) => statements.filter((s) => /^\s*(WITH\b[\s\S]*\b)?(INSERT|UPDATE|DELETE|MERGE)\b/i.test(s));
const READS = (escrowId: string) => ["/me", "/escrows", `/escrows/${escrowId}`, "/events?wait=0", "/events?after=0&limit=5"];

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000; // generous: a loaded CI machine is many times slower
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("agent-API reads do not write", () => {
  it("GET /me, /escrows, /escrows/{id} and the feed send no INSERT, UPDATE or DELETE; a cached key is not read again", async () => {
    const w = await createWorld(h);
    const created = await call(h, w.key.key, "POST", "/escrows", {
      json: { conversation_id: w.conversationId, title: "Logo", amount: 2_500, currency: "USD" },
    });
    expect(created.status).toBe(201);
    const escrowId = (created.body as { id: string }).id;

    // Cold: the first requests of a never-used key (its last-use stamp is due) still write nothing.
    log.clear();
    for (const path of READS(escrowId)) expect(await get(logged.url, w.key.key, path), path).toBe(200);
    expect(log.statements.length).toBeGreaterThan(0);
    expect(writes(log.statements)).toEqual([]);

    // Warm: the same again, and the key's row is not read any more.
    log.clear();
    for (const path of READS(escrowId)) expect(await get(logged.url, w.key.key, path), path).toBe(200);
    expect(writes(log.statements)).toEqual([]);
    expect(log.statements.filter((s) => /agent_api_keys/.test(s))).toEqual([]);

    // The last-use stamp is written by the periodic flush: one statement for every key used.
    expect((await h.tdb.db.agentApiKey.findUniqueOrThrow({ where: { id: w.key.id } })).lastUsedAt).toBeNull();
    log.clear();
    await (loggedDeps.keys as CachedAgentKeys).flushLastUsed();
    expect(writes(log.statements)).toHaveLength(1);
    expect((await h.tdb.db.agentApiKey.findUniqueOrThrow({ where: { id: w.key.id } })).lastUsedAt).not.toBeNull();
  });
});

describe("no GET operation writes", () => {
  it("every GET of the agent API (the operation list, so a new one is covered) sends no INSERT, UPDATE or DELETE, beyond sealing a receipt once", async () => {
    const w = await createWorld(h);
    const created = await call(h, w.key.key, "POST", "/escrows", {
      json: { conversation_id: w.conversationId, title: "Logo", amount: 2_500, currency: "USD" },
    });
    const params: Record<string, string> = {
      escrow: (created.body as { id: string }).id,
      conversation_id: w.conversationId,
      handle: w.handle,
      artifact_id: "art_missing",
    };
    const gets = OPERATIONS.filter((op) => op.method === "GET");
    expect(gets.length).toBeGreaterThanOrEqual(10);
    const getAll = async () => {
      for (const op of gets) {
        const path = op.path.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
          const value = params[name];
          if (value === undefined) throw new Error(`no value for {${name}} in ${op.path}: add one`);
          return value;
        });
        expect([200, 404], `${op.method} ${op.path}`).toContain(await get(logged.url, w.key.key, path));
      }
    };
    // The one write a read may cause: sealing an event's receipt the first time anyone asks for it
    // (GET /escrows/{id}/receipts and /evidence sign the chain's unsealed tail, once per event, ever).
    log.clear();
    await getAll();
    expect(writes(log.statements).filter((s) => !/escrow_receipts/.test(s))).toEqual([]);
    // Asked again, nothing is written at all.
    log.clear();
    await getAll();
    expect(writes(log.statements)).toEqual([]);
  });
});

describe("GET /me reads the agent's record in one aggregate", () => {
  it("sends as many statements for an agent with finished sales as for one with none", async () => {
    const clock = testClock();
    const ctx = testContext(h.tdb.db, clock, 0);
    const statementsOfMe = async (agentId: string) => {
      const key = await issueAgentApiKey(h.tdb.db, agentId);
      expect(await get(logged.url, key.key, "/me")).toBe(200); // warm the key
      log.clear();
      expect(await get(logged.url, key.key, "/me")).toBe(200);
      return [...log.statements];
    };
    const fresh = await createParties(h.tdb.db);
    const seasoned = await createParties(h.tdb.db);
    for (let i = 0; i < 2; i++) {
      const sale = await deliveredEscrow(ctx, clock, seasoned, 1_000);
      await runEscrowCommand(ctx, sale.id, { kind: "customer", userId: seasoned.customerId }, { command: "approve" });
    }
    const none = await statementsOfMe(fresh.agentId);
    const two = await statementsOfMe(seasoned.agentId);
    expect(two.length).toBe(none.length);
    expect(two.filter((s) => /FROM "public"\."escrow_events"/.test(s))).toEqual([]);
  });
});

describe("GET /escrows/{id} is one statement", () => {
  it("reads only the escrow row, and its settlements only where one can be accepted (negotiating)", async () => {
    const clock = testClock();
    const ctx = testContext(h.tdb.db, clock, 0);
    const p = await createParties(h.tdb.db);
    const key = await issueAgentApiKey(h.tdb.db, p.agentId);
    const customer = { kind: "customer", userId: p.customerId } as const;
    const escrow = await deliveredEscrow(ctx, clock, p, 1_000);
    const read = async () => {
      log.clear();
      const response = await fetch(`${logged.url}/api/agent/v1/escrows/${escrow.id}`, { headers: { authorization: `Bearer ${key.key}` } });
      expect(response.status).toBe(200);
      return { body: (await response.json()) as { status: string; allowed_actions: string[] }, statements: [...log.statements] };
    };
    await read(); // warm the key
    expect((await read()).statements).toHaveLength(1);

    await runEscrowCommand(ctx, escrow.id, customer, { command: "dispute", reason: "Not what I asked for" });
    await runEscrowCommand(ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "defend", explanation: "It is." });
    await runEscrowCommand(ctx, escrow.id, customer, { command: "propose_settlement", refundAmountMinor: 400 });
    const negotiating = await read();
    expect(negotiating.body.status).toBe("negotiating");
    expect(negotiating.body.allowed_actions).toContain("accept_settlement");
    expect(negotiating.statements).toHaveLength(2);
  });
});

describe("a cached key never outlives an access change", () => {
  const caches = () => [h.deps.keys as CachedAgentKeys, loggedDeps.keys as CachedAgentKeys];
  /** Both servers, one warm request each: both caches hold the key. */
  async function warm(key: string): Promise<void> {
    for (const origin of [h.url, logged.url]) expect(await get(origin, key, "/me")).toBe(200);
  }
  async function notified(change: () => Promise<unknown>): Promise<void> {
    const before = caches().map((c) => c.generation);
    await change();
    await until(() => caches().every((c, i) => c.generation > before[i]!), "the notification");
  }

  it("a key revoked through one server's pool is refused by both", async () => {
    const w = await createWorld(h);
    await warm(w.key.key);
    await notified(() => revokeAgentApiKey(log.db, w.key.id, new Date()));
    for (const origin of [h.url, logged.url]) expect(await get(origin, w.key.key, "/me")).toBe(401);
  });

  it("a suspended agent, or a suspended owner, is refused by both", async () => {
    const w = await createWorld(h);
    await warm(w.key.key);
    await notified(() => h.tdb.db.agent.update({ where: { id: w.agentId }, data: { status: "suspended" } }));
    for (const origin of [h.url, logged.url]) expect(await get(origin, w.key.key, "/me")).toBe(401);

    const v = await createWorld(h);
    await warm(v.key.key);
    await notified(() => log.db.user.update({ where: { id: v.owner.id }, data: { status: "suspended" } }));
    for (const origin of [h.url, logged.url]) expect(await get(origin, v.key.key, "/me")).toBe(401);
  });

  it("a server that loses its LISTEN connection drops its cache, so a change it was not told of still refuses", async () => {
    const w = await createWorld(h);
    await warm(w.key.key);
    expect(caches().every((c) => c.caching)).toBe(true);
    // This file's database only: the test cluster is shared by every test file running at the same time,
    // and each harness's key cache listens on the same channel in its own database.
    await h.tdb.db.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                              WHERE datname = current_database() AND query = 'LISTEN holdfast_agent_access'`;
    await until(() => caches().every((c) => !c.caching), "the lost connections");
    // Nobody listens now: this revocation's notification reaches neither server.
    await revokeAgentApiKey(h.tdb.db, w.key.id, new Date());
    for (const origin of [h.url, logged.url]) expect(await get(origin, w.key.key, "/me")).toBe(401);
    // And the caches come back: a new key is cached again once listening.
    const fresh = await issueAgentApiKey(h.tdb.db, w.agentId, "fresh");
    await Promise.all(caches().map((c) => c.ready()));
    await until(() => caches().every((c) => c.caching), "listening again");
    await warm(fresh.key);
    log.clear();
    expect(await get(logged.url, fresh.key, "/me")).toBe(200);
    expect(log.statements.filter((s) => /agent_api_keys/.test(s))).toEqual([]);
  });
});
