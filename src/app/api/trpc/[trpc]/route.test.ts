// The tRPC endpoint as a browser reaches it: the session cookie is resolved
// on every request, mutations need the same-origin header, and a suspended
// person is signed out everywhere at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createUser } from "~/test/users";

let tdb: TestDatabase;
let handler: (request: Request) => Promise<Response> | Response;
let createSession: (userId: string, expires: Date) => Promise<string>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  process.env.NEXTAUTH_SECRET = "t".repeat(40);
  process.env.HOLDFAST_BASE_URL = "http://localhost:3000";
  const route = await import("./route");
  handler = route.POST as never;
  const { holdfastAdapter } = await import("~/server/auth/adapter");
  const adapter = holdfastAdapter(tdb.db);
  createSession = async (userId, expires) => {
    const sessionToken = `tok${Math.random().toString(36).slice(2)}${"x".repeat(20)}`;
    await adapter.createSession!({ sessionToken, userId, expires });
    return sessionToken;
  };
});
afterAll(async () => {
  const { getDb } = await import("~/server/db/client");
  await getDb().$disconnect();
  await tdb.drop();
});

const SAME_ORIGIN = { origin: "http://localhost:3000", "x-holdfast-csrf": "1", "content-type": "application/json" };

function call(path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; token?: string }) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.cookie = `next-auth.session-token=${init.token}`;
  return handler(
    new Request(`http://localhost:3000/api/trpc/${path}`, {
      method: init.method ?? "GET",
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify({ json: init.body }) } : {}),
    }),
  );
}

describe("/api/trpc", () => {
  it("answers 401 without a session and the person's data with one", async () => {
    const user = await createUser(tdb.db, "customer", "Casey");
    const token = await createSession(user.id, new Date(Date.now() + 3_600_000));
    expect((await call("wallet.balance", {})).status).toBe(401);
    const ok = await call("wallet.balance", { token });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: { data: { json: unknown } } }).result.data.json).toMatchObject({ balances: [] });
  });

  it("refuses mutations without the same-origin header or from another site", async () => {
    const user = await createUser(tdb.db);
    const token = await createSession(user.id, new Date(Date.now() + 3_600_000));
    const body = { amount: 1_000, currency: "USD" };
    const noHeader = await call("wallet.addTestFunds", { method: "POST", token, body, headers: { "content-type": "application/json" } });
    expect(noHeader.status).toBe(403);
    const crossSite = await call("wallet.addTestFunds", {
      method: "POST",
      token,
      body,
      headers: { ...SAME_ORIGIN, origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    expect(await tdb.db.ledgerTransfer.count({ where: { toAccount: { userId: user.id } } })).toBe(0);

    const ok = await call("wallet.addTestFunds", { method: "POST", token, body, headers: SAME_ORIGIN });
    expect(ok.status).toBe(200);
    expect(await tdb.db.ledgerTransfer.count({ where: { toAccount: { userId: user.id } } })).toBe(1);
  });

  it("signs out expired sessions and suspended people on their next request", async () => {
    const user = await createUser(tdb.db);
    const expired = await createSession(user.id, new Date(Date.now() - 1_000));
    expect((await call("wallet.balance", { token: expired })).status).toBe(401);
    const live = await createSession(user.id, new Date(Date.now() + 3_600_000));
    expect((await call("wallet.balance", { token: live })).status).toBe(200);
    await tdb.db.user.update({ where: { id: user.id }, data: { status: "suspended" } });
    expect((await call("wallet.balance", { token: live })).status).toBe(401);
  });
});
