// Where the web app lives and how its cookies and tokens are protected.
// Pure functions of the environment, so tests can check each rule.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "~/env";

/** The public URL, by the one base-URL rule of src/env.ts (HOLDFAST_BASE_URL, NEXTAUTH_URL, localhost on PORT). */
export function webBaseUrl(e: Env): URL {
  return new URL(e.HOLDFAST_BASE_URL);
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]" || hostname.endsWith(".localhost");
}

/**
 * Secure (HTTPS-only, `__Secure-`/`__Host-` prefixed) cookies whenever the site is served over HTTPS,
 * and always in production except on a loopback address (where `npm start` serves plain HTTP and
 * browsers would drop Secure cookies). Cookies are always HttpOnly and SameSite=Lax (next-auth).
 */
export function secureCookiesFor(e: Env, baseUrl: URL): boolean {
  return baseUrl.protocol === "https:" || (e.NODE_ENV === "production" && !isLoopback(baseUrl.hostname));
}

/**
 * NEXTAUTH_SECRET when set. Without it, production refuses to start — except a demo (HOLDFAST_DEMO, test money only)
 * and development, which generate a random secret once and keep it beside the embedded database, so sign-in links and
 * CSRF tokens survive restarts and no secret is ever a published constant.
 */
export function authSecret(e: Env, dataDir = process.env.HOLDFAST_DATA_DIR ?? path.join(process.cwd(), ".data")): string {
  if (e.NEXTAUTH_SECRET) return e.NEXTAUTH_SECRET;
  if (e.NODE_ENV === "production" && !e.HOLDFAST_DEMO) {
    throw new Error("NEXTAUTH_SECRET is required in production (at least 32 characters): `openssl rand -hex 32`.");
  }
  const file = path.resolve(dataDir, "auth-secret");
  if (existsSync(file)) {
    const saved = readFileSync(file, "utf8").trim();
    if (saved.length >= 32) return saved;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
