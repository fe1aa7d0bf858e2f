// Sign-in storage and session resolution on a real database: what a cookie
// resolves to, and every way it must resolve to nobody.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createUser } from "~/test/users";
import { DEMO_ACCOUNTS } from "../../../prisma/seed";
import { holdfastAdapter } from "./adapter";
import { DEMO_SIGN_IN_ACCOUNTS, demoSignInUrl, nextAuthTokenHash } from "./demo";
import { cookieFromHeader, hashSessionToken, resolveSessionUser } from "./session";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

const HOUR_MS = 3_600_000;
const token = () => `tok_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}padding`;

describe("session resolution", () => {
  it("resolves a live session to its user, and stores only the token's hash", async () => {
    const adapter = holdfastAdapter(tdb.db);
    const user = await createUser(tdb.db, "customer", "Casey");
    const sessionToken = token();
    const now = new Date();
    await adapter.createSession!({ sessionToken, userId: user.id, expires: new Date(now.getTime() + HOUR_MS) });

    expect(await resolveSessionUser(tdb.db, sessionToken, now)).toEqual(user);
    const rows = await tdb.db.session.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashSessionToken(sessionToken));
    expect(JSON.stringify(rows)).not.toContain(sessionToken);
  });

  it("refuses an expired session", async () => {
    const adapter = holdfastAdapter(tdb.db);
    const user = await createUser(tdb.db);
    const sessionToken = token();
    const now = new Date();
    await adapter.createSession!({ sessionToken, userId: user.id, expires: new Date(now.getTime() - 1) });
    expect(await resolveSessionUser(tdb.db, sessionToken, now)).toBeNull();
    // …and one that expires while in use.
    const later = token();
    await adapter.createSession!({ sessionToken: later, userId: user.id, expires: new Date(now.getTime() + HOUR_MS) });
    expect(await resolveSessionUser(tdb.db, later, now)).not.toBeNull();
    expect(await resolveSessionUser(tdb.db, later, new Date(now.getTime() + HOUR_MS))).toBeNull();
  });

  it("refuses a suspended user's sessions at once, in our resolver and in next-auth's", async () => {
    const adapter = holdfastAdapter(tdb.db);
    const user = await createUser(tdb.db);
    const sessionToken = token();
    const now = new Date();
    await adapter.createSession!({ sessionToken, userId: user.id, expires: new Date(now.getTime() + HOUR_MS) });
    expect(await adapter.getSessionAndUser!(sessionToken)).not.toBeNull();

    await tdb.db.user.update({ where: { id: user.id }, data: { status: "suspended" } });
    expect(await resolveSessionUser(tdb.db, sessionToken, now)).toBeNull();
    expect(await adapter.getSessionAndUser!(sessionToken)).toBeNull();
  });

  it("refuses unknown, deleted, missing and malformed tokens", async () => {
    const adapter = holdfastAdapter(tdb.db);
    const user = await createUser(tdb.db);
    const sessionToken = token();
    const now = new Date();
    await adapter.createSession!({ sessionToken, userId: user.id, expires: new Date(now.getTime() + HOUR_MS) });
    await adapter.deleteSession!(sessionToken);
    expect(await resolveSessionUser(tdb.db, sessionToken, now)).toBeNull();
    expect(await resolveSessionUser(tdb.db, token(), now)).toBeNull();
    expect(await resolveSessionUser(tdb.db, null, now)).toBeNull();
    expect(await resolveSessionUser(tdb.db, "short", now)).toBeNull();
    expect(await resolveSessionUser(tdb.db, "x".repeat(20) + "'; DROP TABLE users; --", now)).toBeNull();
  });

  it("reads the session cookie from a Cookie header", () => {
    expect(cookieFromHeader("a=1; next-auth.session-token=abc%2D1; b=2", "next-auth.session-token")).toBe("abc-1");
    expect(cookieFromHeader("a=1", "next-auth.session-token")).toBeNull();
    expect(cookieFromHeader(null, "x")).toBeNull();
  });
});

describe("the next-auth adapter", () => {
  it("creates people who sign up by email as customers named after their address", async () => {
    const adapter = holdfastAdapter(tdb.db);
    const created = await adapter.createUser!({ email: "New.Person@Example.com", emailVerified: new Date() } as never);
    expect(created).toMatchObject({ email: "new.person@example.com", name: "new.person", role: "customer", status: "active" });
    expect((await adapter.getUserByEmail!("NEW.person@example.com"))?.id).toBe(created.id);
    expect(created.id).toMatch(/^usr_/);
  });

  it("uses a verification token exactly once", async () => {
    const adapter = holdfastAdapter(tdb.db);
    const expires = new Date(Date.now() + HOUR_MS);
    const hash = "a".repeat(64);
    await adapter.createVerificationToken!({ identifier: "once@example.com", token: hash, expires });
    const [first, second] = await Promise.all([
      adapter.useVerificationToken!({ identifier: "once@example.com", token: hash }),
      adapter.useVerificationToken!({ identifier: "once@example.com", token: hash }),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(first ?? second).toMatchObject({ identifier: "once@example.com", token: hash });
    expect(await adapter.useVerificationToken!({ identifier: "once@example.com", token: hash })).toBeNull();
  });

  it("extends a session only through updateSession and refuses to update a missing one", async () => {
    const adapter = holdfastAdapter(tdb.db);
    const user = await createUser(tdb.db);
    const sessionToken = token();
    await adapter.createSession!({ sessionToken, userId: user.id, expires: new Date(Date.now() + HOUR_MS) });
    const later = new Date(Date.now() + 5 * HOUR_MS);
    expect(await adapter.updateSession!({ sessionToken, expires: later })).toMatchObject({ userId: user.id, expires: later });
    expect(await adapter.updateSession!({ sessionToken: token(), expires: later })).toBeNull();
  });
});

describe("demo sign-in", () => {
  it("offers exactly the seeded demo accounts", () => {
    expect(Object.fromEntries(Object.entries(DEMO_SIGN_IN_ACCOUNTS).map(([k, v]) => [k, v.email]))).toEqual(
      Object.fromEntries(Object.entries(DEMO_ACCOUNTS).map(([k, v]) => [k, v.email])),
    );
  });

  it("issues a one-time next-auth email link whose token hashes like next-auth's", async () => {
    const secret = "s".repeat(40);
    const url = new URL(
      await demoSignInUrl(tdb.db, {
        account: "customer",
        secret,
        baseUrl: new URL("http://localhost:3000"),
        callbackUrl: "/wallet",
        now: new Date(),
      }),
    );
    expect(url.pathname).toBe("/api/auth/callback/email");
    expect(url.searchParams.get("email")).toBe("customer@demo.holdfast.dev");
    expect(url.searchParams.get("callbackUrl")).toBe("/wallet");
    const stored = await tdb.db.verificationToken.findMany({ where: { identifier: "customer@demo.holdfast.dev" } });
    expect(stored.map((t) => t.tokenHash)).toEqual([nextAuthTokenHash(url.searchParams.get("token")!, secret)]);
    expect(stored[0]!.expires.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
  });
});
