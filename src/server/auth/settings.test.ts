// The rules for cookies, the secret and cross-site requests.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env";
import { CSRF_HEADER, isSameOrigin, isTrustedMutation } from "./csrf";
import { authSecret, secureCookiesFor, webBaseUrl } from "./settings";

describe("secure cookies", () => {
  it("are Secure over HTTPS and in production on a public host; not on plain-HTTP localhost", () => {
    const prod = parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32) });
    const dev = parseEnv({ NODE_ENV: "development" });
    expect(secureCookiesFor(prod, new URL("https://holdfast.example"))).toBe(true);
    expect(secureCookiesFor(prod, new URL("http://holdfast.example"))).toBe(true);
    expect(secureCookiesFor(prod, new URL("http://localhost:3000"))).toBe(false);
    expect(secureCookiesFor(dev, new URL("https://localhost:3000"))).toBe(true);
    expect(secureCookiesFor(dev, new URL("http://localhost:3000"))).toBe(false);
  });

  it("take the base URL from HOLDFAST_BASE_URL, else NEXTAUTH_URL, else from PORT", () => {
    expect(webBaseUrl(parseEnv({ PORT: "3100" })).origin).toBe("http://localhost:3100");
    expect(webBaseUrl(parseEnv({ HOLDFAST_BASE_URL: "https://h.example", PORT: "3100" })).origin).toBe("https://h.example");
    expect(webBaseUrl(parseEnv({ NEXTAUTH_URL: "https://n.example", PORT: "3100" })).origin).toBe("https://n.example");
    expect(webBaseUrl(parseEnv({})).origin).toBe("http://localhost:3000");
  });
});

describe("the auth secret", () => {
  it("is NEXTAUTH_SECRET when set", () => {
    const secret = "x".repeat(32);
    expect(authSecret(parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: secret }))).toBe(secret);
  });

  it("is required in production outside a demo", () => {
    // parseEnv already refuses this environment (src/env.test.ts); authSecret holds the line on its own too.
    const withoutSecret = { ...parseEnv({ NODE_ENV: "production" }, { building: true }), NEXTAUTH_SECRET: undefined };
    expect(() => authSecret(withoutSecret, "/nonexistent")).toThrow(/NEXTAUTH_SECRET is required/);
  });

  it("is generated once per data directory in development and demos, readable only by its owner", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "holdfast-secret-"));
    try {
      const first = authSecret(parseEnv({ NODE_ENV: "production", HOLDFAST_DEMO: "1" }), dir);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(authSecret(parseEnv({ NODE_ENV: "development" }), dir)).toBe(first);
      expect(readFileSync(path.join(dir, "auth-secret"), "utf8").trim()).toBe(first);
      expect(statSync(path.join(dir, "auth-secret")).mode & 0o077).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("cross-site request protection", () => {
  const base = new URL("http://localhost:3000");
  const post = (headers: Record<string, string>) =>
    new Request("http://localhost:3000/api/trpc/escrow.approve", { method: "POST", headers });

  it("accepts the web app's own requests", () => {
    expect(isTrustedMutation(post({ [CSRF_HEADER]: "1", origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }), base)).toBe(true);
    expect(isTrustedMutation(post({ [CSRF_HEADER]: "1" }), base)).toBe(true);
  });

  it("refuses requests from other sites or without the header", () => {
    expect(isTrustedMutation(post({ origin: "http://localhost:3000" }), base)).toBe(false);
    expect(isTrustedMutation(post({ [CSRF_HEADER]: "1", origin: "https://evil.example" }), base)).toBe(false);
    expect(isTrustedMutation(post({ [CSRF_HEADER]: "1", "sec-fetch-site": "cross-site" }), base)).toBe(false);
    expect(isSameOrigin(post({ origin: "null" }), base)).toBe(false);
    expect(isSameOrigin(post({ "sec-fetch-site": "same-site" }), base)).toBe(false);
  });

  // Next.js gives route handlers a request URL on the base host, whatever Host the browser sent.
  const postTo = (host: string, headers: Record<string, string>) =>
    new Request("http://localhost:3000/api/demo-sign-in", { method: "POST", headers: { host, ...headers } });

  it("accepts a page opened at the address the browser used (127.0.0.1, [::1], a LAN address)", () => {
    expect(isSameOrigin(postTo("127.0.0.1:3000", { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }), base)).toBe(true);
    expect(isSameOrigin(postTo("[::1]:3000", { origin: "http://[::1]:3000" }), base)).toBe(true);
    expect(isSameOrigin(postTo("192.168.1.20:3000", { origin: "http://192.168.1.20:3000" }), base)).toBe(true);
  });

  it("still refuses every other origin, whatever the Host header", () => {
    // Another site posting to the address the victim uses.
    expect(isSameOrigin(postTo("127.0.0.1:3000", { origin: "https://evil.example" }), base)).toBe(false);
    expect(isSameOrigin(postTo("127.0.0.1:3000", { origin: "http://127.0.0.1:3001" }), base)).toBe(false);
    expect(isSameOrigin(postTo("127.0.0.1:3000", { origin: "http://127.0.0.1:3000", "sec-fetch-site": "cross-site" }), base)).toBe(false);
    // DNS rebinding: an attacker's name pointed at this server matches its own Host header, and is still refused.
    expect(isSameOrigin(postTo("evil.example:3000", { origin: "http://evil.example:3000" }), base)).toBe(false);
    expect(isSameOrigin(postTo("127.0.0.1.evil.example:3000", { origin: "http://127.0.0.1.evil.example:3000" }), base)).toBe(false);
    // Not bare origins.
    expect(isSameOrigin(postTo("127.0.0.1:3000", { origin: "http://127.0.0.1:3000/x" }), base)).toBe(false);
    expect(isSameOrigin(postTo("127.0.0.1:3000", { origin: "null" }), base)).toBe(false);
    expect(isSameOrigin(postTo("127.0.0.1:3000", { origin: "javascript://127.0.0.1:3000" }), base)).toBe(false);
  });
});
