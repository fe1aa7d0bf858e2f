// Sign-in mail flood (issue 16 item 9): next-auth's own request handler with the app's options, a real
// database and a real SMTP server on loopback. Many sign-ins for one address, or from one client, send
// only a few mails; every request still gets the same "check your email" answer. And who the client is:
// the connection's peer, never a header the client can forge unless a trusted proxy wrote it.
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { AuthOptions } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { Mailbox } from "~/test/mailbox";
import { clientAddress, PEER_HEADER, stampPeerAddresses } from "../client-address";
import { clientKey, mailboxKey } from "./sign-in-throttle";

// next-auth's request core (what its App Router handler calls after reading next/headers), which the
// package does not export by name.
interface AuthResponse {
  redirect?: string;
  body?: unknown;
  cookies?: { name: string; value: string }[];
}
const { AuthHandler } = createRequire(import.meta.url)(path.resolve("node_modules/next-auth/core/index.js")) as {
  AuthHandler(params: { req: Record<string, unknown>; options: AuthOptions }): Promise<AuthResponse>;
};

const PER_ADDRESS = 3;
const PER_CLIENT = 10;
let tdb: TestDatabase;
const mailbox = new Mailbox();
let options: AuthOptions;
let signInClient: typeof import("./sign-in-throttle").signInClient;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await mailbox.listen();
  process.env.DATABASE_URL = tdb.url;
  process.env.NEXTAUTH_SECRET = "s".repeat(40);
  process.env.HOLDFAST_BASE_URL = "http://localhost:3000";
  process.env.HOLDFAST_SMTP_URL = mailbox.smtpUrl;
  process.env.HOLDFAST_SIGN_IN_MAILS_PER_ADDRESS = String(PER_ADDRESS);
  process.env.HOLDFAST_SIGN_IN_MAILS_PER_CLIENT = String(PER_CLIENT);
  // The limits count in fixed windows of the real clock (rate-limit.ts: aligned to multiples of the window).
  // With the default 15 minutes, a burst below that crossed a window's end about once in 900 seconds of
  // bursts, and the next window's allowance made the exact counts wrong. A window of decades never ends
  // during a test.
  process.env.HOLDFAST_SIGN_IN_MAIL_WINDOW_S = String(1_000_000_000);
  options = (await import("./options")).authRuntime().options;
  signInClient = (await import("./sign-in-throttle")).signInClient;
});
afterAll(async () => {
  const { getDb } = await import("../db/client");
  await getDb().$disconnect();
  await mailbox.close();
  await tdb.drop();
});

/** One email sign-in as the browser form posts it (CSRF cookie and token first), from `client`. */
async function signInByEmail(email: string, client: string): Promise<string | undefined> {
  const csrf = await AuthHandler({ req: { action: "csrf", method: "GET", origin: "http://localhost:3000" }, options });
  const cookies = Object.fromEntries((csrf.cookies ?? []).map((c) => [c.name, c.value]));
  const response = await signInClient.run({ clientAddress: client }, () =>
    AuthHandler({
      req: { action: "signin", providerId: "email", method: "POST", origin: "http://localhost:3000", cookies, body: { email, csrfToken: (csrf.body as { csrfToken: string }).csrfToken, json: "true" } },
      options,
    }),
  );
  return response.redirect;
}

async function settledMails(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

describe("sign-in mail throttle", () => {
  it("sends at most a few links to one address, with the same answer every time", async () => {
    const redirects: (string | undefined)[] = [];
    for (let i = 0; i < 20; i++) redirects.push(await signInByEmail("flooded@example.test", `198.51.100.${i}`));
    await settledMails();
    // Throttled or not, the same answer: on to "check your email" (next-auth's verify-request, which is /sign-in/check-email).
    expect(new Set(redirects)).toEqual(new Set(["http://localhost:3000/api/auth/verify-request?provider=email&type=email"]));
    expect(mailbox.received.filter((m) => m.to.includes("flooded@example.test"))).toHaveLength(PER_ADDRESS);
  });

  it("sends at most a few links from one client, whatever the addresses", async () => {
    const before = mailbox.received.length;
    for (let i = 0; i < 20; i++) await signInByEmail(`victim-${i}@example.test`, "203.0.113.7");
    await settledMails();
    expect(mailbox.received.length - before).toBe(PER_CLIENT);
    // Another client is not held back by that one.
    await signInByEmail("someone-else@example.test", "203.0.113.8");
    await settledMails();
    expect(mailbox.received.filter((m) => m.to.includes("someone-else@example.test"))).toHaveLength(1);
  });

  it("counts spellings of one inbox as one address (sub-address tags, Gmail's dots)", async () => {
    for (let i = 0; i < 20; i++) await signInByEmail(`tagged+${i}@example.test`, `198.51.101.${i}`);
    for (let i = 0; i < 10; i++) await signInByEmail(`${"dotted".slice(0, (i % 5) + 1)}.${"dotted".slice((i % 5) + 1)}@gmail.com`, `198.51.102.${i}`);
    await settledMails();
    expect(mailbox.received.filter((m) => m.to.some((to) => /tagged(\+\d+)?@example\.test/.test(to)))).toHaveLength(PER_ADDRESS);
    expect(mailbox.received.filter((m) => m.to.some((to) => to.replaceAll(".", "").startsWith("dotted@gmail")))).toHaveLength(PER_ADDRESS);
  });

  it("counts the addresses of one IPv6 /64 as one client", async () => {
    const before = mailbox.received.length;
    for (let i = 0; i < 20; i++) await signInByEmail(`v6-victim-${i}@example.test`, `2001:db8:1:2::${(i + 1).toString(16)}`);
    await settledMails();
    expect(mailbox.received.length - before).toBe(PER_CLIENT);
  });
});

describe("throttle keys", () => {
  it("an inbox's key drops a sub-address tag and Gmail's dots, nothing else", () => {
    expect(mailboxKey("Victim+promo@Example.TEST")).toBe("victim@example.test");
    expect(mailboxKey("v.i.c.t.i.m@gmail.com")).toBe("victim@gmail.com");
    expect(mailboxKey("v.ictim@example.test")).toBe("v.ictim@example.test");
    expect(mailboxKey("+only@example.test")).toBe("+only@example.test");
  });

  it("a client's key is its IPv4 address or its IPv6 /64", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("2001:db8:1:2::a")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0db8:0001:0002:1111:2222:3333:4444")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
  });
});

describe("client address", () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it("ignores X-Forwarded-For unless proxies are trusted, and then takes what the outermost one saw", () => {
    expect(clientAddress(headers({ [PEER_HEADER]: "192.0.2.10", "x-forwarded-for": "1.2.3.4" }), 0)).toBe("192.0.2.10");
    expect(clientAddress(headers({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "1.2.3.4, 198.51.100.9" }), 1)).toBe("198.51.100.9");
    expect(clientAddress(headers({ [PEER_HEADER]: "10.0.0.3", "x-forwarded-for": "1.2.3.4, 198.51.100.9, 10.0.0.2" }), 2)).toBe("198.51.100.9");
    expect(clientAddress(headers({ [PEER_HEADER]: "10.0.0.2" }), 1)).toBe("10.0.0.2");
  });

  it("stamps the connection's peer on every request, over anything the client sent", async () => {
    stampPeerAddresses();
    stampPeerAddresses(); // idempotent
    const server = http.createServer((req, res) => res.end(JSON.stringify({ peer: req.headers[PEER_HEADER] })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" } });
      expect(await res.json()).toEqual({ peer: "127.0.0.1" });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
