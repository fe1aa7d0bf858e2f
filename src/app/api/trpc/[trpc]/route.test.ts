// The tRPC endpoint as a browser reaches it: the session cookie is resolved
// on every request, mutations need the same-origin header, and a suspended
// person is signed out everywhere at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "~/test/db";
import { openTrpcRoute, type TrpcRoute } from "~/test/trpc-route";
import { createUser } from "~/test/users";

let tdb: TestDatabase;
let handler: (request: Request) => Promise<Response> | Response;
let createSession: (userId: string, expires: Date) => Promise<string>;
let route: TrpcRoute;

beforeAll(async () => {
  route = await openTrpcRoute();
  ({ tdb, POST: handler, createSession } = route);
});
afterAll(() => route.close());

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
