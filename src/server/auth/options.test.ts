// The next-auth configuration as the app builds it: database sessions,
// suspended people refused at sign-in, same-origin redirects only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";

let tdb: TestDatabase;
let runtime: typeof import("./options").authRuntime;

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  process.env.NEXTAUTH_SECRET = "o".repeat(40);
  process.env.HOLDFAST_BASE_URL = "http://localhost:3000";
  runtime = (await import("./options")).authRuntime;
});
afterAll(async () => {
  const { getDb } = await import("../db/client");
  await getDb().$disconnect();
  await tdb.drop();
});

describe("next-auth options", () => {
  it("uses database sessions, the configured secret, and plain cookies on http://localhost", () => {
    const { options, secureCookies, baseUrl } = runtime();
    expect(options.session?.strategy).toBe("database");
    expect(options.secret).toBe("o".repeat(40));
    expect(secureCookies).toBe(false);
    expect(baseUrl.origin).toBe("http://localhost:3000");
    expect(process.env.NEXTAUTH_URL).toBe("http://localhost:3000");
  });

  it("refuses suspended people at sign-in", async () => {
    const signIn = runtime().options.callbacks!.signIn!;
    const user = (status: string) => ({ user: { id: "usr_x", email: "x@example.com", status } }) as never;
    expect(await signIn(user("active"))).toBe(true);
    expect(await signIn(user("suspended"))).toBe(false);
  });

  it("redirects only within the site", async () => {
    const redirect = runtime().options.callbacks!.redirect!;
    const base = "http://localhost:3000";
    expect(await redirect({ url: "/wallet", baseUrl: base })).toBe(`${base}/wallet`);
    expect(await redirect({ url: `${base}/c/cnv_1`, baseUrl: base })).toBe(`${base}/c/cnv_1`);
    for (const url of ["https://evil.example/steal", "//evil.example", "/\\evil.test", "/\t/evil.test", "\\\\evil.test", "http://localhost:3000@evil.test", "javascript:alert(1)"]) {
      expect(await redirect({ url, baseUrl: base }), url).toBe(`${base}/`);
    }
  });
});
