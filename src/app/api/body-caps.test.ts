// Issue 16, item 2: every route under src/app/api caps its body before parsing it or checking a
// signature. Each route handler is called as Next calls it, with a Request whose body is a stream
// that counts the bytes pulled from it: a chunked body (no Content-Length) far over the cap is 413
// and is read no further than the cap (plus the chunk that crossed it); a declared Content-Length
// over the cap is 413 with nothing read at all. One more case goes over real HTTP (node:http).
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createUser } from "~/test/users";
import { issueAgentApiKey } from "~/server/auth/api-keys";
import { BODY_LIMIT_BYTES } from "~/server/http/read-body";
import { serveFetchHandler } from "~/server/agent-api/node-server";
import { newId } from "~/server/ids";
import { holdfastAdapter } from "~/server/auth/adapter";

const BASE = "http://localhost:3000";
const CHUNK_BYTES = 16 * 1024;
const MAX_ARTIFACT_BYTES = 512 * 1024;
const MAX_JSON_BODY_BYTES = 64 * 1024;

let tdb: TestDatabase;
let agentKey: string;
let customerSession: string;
type Handler = (request: Request, context?: unknown) => Promise<Response> | Response;
const routes: Record<string, Handler> = {};

beforeAll(async () => {
  tdb = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: tdb.url,
    NEXTAUTH_SECRET: "t".repeat(40),
    HOLDFAST_BASE_URL: BASE,
    HOLDFAST_DEMO: "1",
    HOLDFAST_WHATSAPP_APP_SECRET: "whatsapp-app-secret",
    HOLDFAST_TELEGRAM_WEBHOOK_SECRET: "telegram-secret-token",
    HOLDFAST_TIMERS: "inngest",
    INNGEST_EVENT_KEY: "test-event-key",
    INNGEST_SIGNING_KEY: "signkey-test-0123456789abcdef",
    HOLDFAST_MAX_ARTIFACT_BYTES: String(MAX_ARTIFACT_BYTES),
    HOLDFAST_MAX_JSON_BODY_BYTES: String(MAX_JSON_BODY_BYTES),
    // Stripe's webhook exists only with a key; nothing here reaches Stripe (every body is refused first).
    STRIPE_SECRET_KEY: "sk_test_bodycaps0123456789",
    STRIPE_WEBHOOK_SECRET: "whsec_bodycaps0123456789",
  });
  const owner = await createUser(tdb.db, "owner");
  const agentId = newId("agt");
  await tdb.db.agent.create({ data: { id: agentId, ownerId: owner.id, handle: `caps-${agentId.slice(4, 12)}`, displayName: "Caps" } });
  agentKey = (await issueAgentApiKey(tdb.db, agentId, "test")).key;
  const customer = await createUser(tdb.db, "customer");
  customerSession = `tok${customer.id}${"x".repeat(20)}`;
  await holdfastAdapter(tdb.db).createSession!({ sessionToken: customerSession, userId: customer.id, expires: new Date(Date.now() + 3_600_000) });

  routes.whatsapp = (await import("./whatsapp/webhook/route")).POST as Handler;
  routes.telegram = (await import("./telegram/webhook/route")).POST as Handler;
  routes.trpc = (await import("./trpc/[trpc]/route")).POST as Handler;
  routes.auth = (await import("./auth/[...nextauth]/route")).POST as Handler;
  routes.demo = (await import("./demo-sign-in/route")).POST as Handler;
  routes.mcp = (await import("./mcp/route")).POST as Handler;
  routes.inngest = (await import("./inngest/route")).PUT as Handler;
  routes.agent = (await import("./agent/v1/[[...path]]/route")).POST as Handler;
  routes["case-files"] = (await import("./case-files/route")).POST as Handler;
  routes.stripe = (await import("./stripe/webhook/route")).POST as Handler;
});
afterAll(async () => {
  const { getDb } = await import("~/server/db/client");
  await getDb().$disconnect();
  await tdb.drop();
});

/** A body of `totalBytes` that is produced only as it is pulled, counting what was pulled. */
function countingBody(totalBytes: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= totalBytes) return controller.close();
        const n = Math.min(CHUNK_BYTES, totalBytes - pulled);
        pulled += n;
        controller.enqueue(new Uint8Array(n).fill(0x7b)); // "{{{{…": JSON-ish, deep if ever parsed
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

interface RouteCase {
  name: string;
  path: string;
  capBytes: number;
  headers: () => Record<string, string>;
  context?: unknown;
}

const SAME_ORIGIN = { origin: BASE, "x-holdfast-csrf": "1", "content-type": "application/json" };
const bearer = () => ({ authorization: `Bearer ${agentKey}`, "content-type": "application/json" });

const CASES: RouteCase[] = [
  { name: "whatsapp", path: "/api/whatsapp/webhook", capBytes: BODY_LIMIT_BYTES.webhook, headers: () => ({ "content-type": "application/json" }) },
  {
    name: "telegram",
    path: "/api/telegram/webhook",
    capBytes: BODY_LIMIT_BYTES.webhook,
    headers: () => ({ "content-type": "application/json", "x-telegram-bot-api-secret-token": "telegram-secret-token" }),
  },
  { name: "trpc", path: "/api/trpc/wallet.addTestFunds", capBytes: BODY_LIMIT_BYTES.trpc, headers: () => SAME_ORIGIN },
  {
    name: "auth",
    path: "/api/auth/signin/email",
    capBytes: BODY_LIMIT_BYTES.form,
    headers: () => ({ "content-type": "application/x-www-form-urlencoded" }),
    context: { params: Promise.resolve({ nextauth: ["signin", "email"] }) },
  },
  { name: "demo", path: "/api/demo-sign-in", capBytes: BODY_LIMIT_BYTES.form, headers: () => ({ origin: BASE, "content-type": "application/x-www-form-urlencoded" }) },
  // upload_artifact carries a file in base64: the MCP cap is the artifact limit's base64 size.
  { name: "mcp", path: "/api/mcp", capBytes: Math.ceil((MAX_ARTIFACT_BYTES * 4) / 3) + 64 * 1024, headers: () => ({ ...bearer(), accept: "application/json, text/event-stream" }) },
  { name: "inngest", path: "/api/inngest", capBytes: BODY_LIMIT_BYTES.inngest, headers: () => ({ "content-type": "application/json" }) },
  { name: "agent", path: "/api/agent/v1/escrows", capBytes: MAX_JSON_BODY_BYTES, headers: bearer },
  // A customer's file for the moderator: the artifact limit plus the multipart framing, read after the session check.
  {
    name: "case-files",
    path: "/api/case-files",
    capBytes: MAX_ARTIFACT_BYTES + 16 * 1024,
    headers: () => ({ ...SAME_ORIGIN, "content-type": "multipart/form-data; boundary=x", cookie: `next-auth.session-token=${customerSession}` }),
  },
  // Stripe's signed events: the body is read under the cap before the signature is checked.
  { name: "stripe", path: "/api/stripe/webhook", capBytes: BODY_LIMIT_BYTES.webhook, headers: () => ({ "content-type": "application/json", "stripe-signature": "t=1,v1=00" }) },
];

/** Every route file under src/app/api that exports a handler for a method with a body, as its URL path. */
function routesTakingBodies(): string[] {
  const root = path.resolve(__dirname);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts" && /\b(POST|PUT|PATCH|DELETE)\b/.test(readFileSync(full, "utf8"))) {
        found.push(`/api/${path.relative(root, dir).split(path.sep).join("/")}`);
      }
    }
  };
  walk(root);
  return found.sort();
}

/** The case that covers a route directory ("[id]" and "[[...path]]" segments match any segment below them). */
const covers = (routeDir: string, c: RouteCase) => {
  const pattern = routeDir.replace(/\/\[\[\.\.\.[^\]]+\]\]$/, "(/.*)?").replace(/\[\.\.\.[^\]]+\]/g, ".+").replace(/\[[^\]]+\]/g, "[^/]+");
  return new RegExp(`^${pattern}$`).test(c.path);
};

it("every route under src/app/api that takes a body is among the cases below (a new route must be capped and listed)", () => {
  const uncovered = routesTakingBodies().filter((dir) => !CASES.some((c) => covers(dir, c)));
  expect(uncovered).toEqual([]);
});

async function send(c: RouteCase, body: ReadableStream<Uint8Array>, extraHeaders: Record<string, string> = {}) {
  const request = new Request(`${BASE}${c.path}`, {
    method: c.name === "inngest" ? "PUT" : "POST",
    headers: { ...c.headers(), ...extraHeaders },
    body,
    duplex: "half",
  } as RequestInit);
  return routes[c.name]!(request, c.context ?? { params: Promise.resolve({}) });
}

describe("every route caps its body before reading it all", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s: a chunked body over the cap is 413, read no further than the cap", async (_name, c) => {
    const body = countingBody(c.capBytes * 4 + 10 * CHUNK_BYTES);
    const response = await send(c, body.stream);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(body.pulled()).toBeGreaterThan(c.capBytes);
    expect(body.pulled()).toBeLessThanOrEqual(c.capBytes + 2 * CHUNK_BYTES);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s: a Content-Length over the cap is 413 with nothing read", async (_name, c) => {
    const body = countingBody(4 * CHUNK_BYTES);
    const response = await send(c, body.stream, { "content-length": String(300 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(CHUNK_BYTES); // nothing consumed (at most a stream's first prefetch)
  });

  it("a body cut short of its Content-Length (a proxy's limit) is 400, not acted on", async () => {
    const c = CASES.find((x) => x.name === "trpc")!;
    const response = await send(c, countingBody(1_000).stream, { "content-length": "5000" });
    expect(response.status).toBe(400);
  });

  it("over real HTTP: a chunked 20 MB post to the WhatsApp webhook is 413 and the server stops reading", async () => {
    const server = await serveFetchHandler((request) => routes.whatsapp!(request) as Promise<Response>);
    try {
      const url = new URL(`${server.url}/api/whatsapp/webhook`);
      const result = await new Promise<{ status: number; sentBytes: number }>((resolve, reject) => {
        let sentBytes = 0;
        const req = http.request(url, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } });
        req.on("response", (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, sentBytes });
          req.destroy();
        });
        req.on("error", (error) => (sentBytes > BODY_LIMIT_BYTES.webhook ? undefined : reject(error)));
        const chunk = Buffer.alloc(CHUNK_BYTES, 0x61);
        const pump = () => {
          while (sentBytes < 20 * 1024 * 1024 && !req.destroyed) {
            sentBytes += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (!req.destroyed) req.end();
        };
        pump();
      });
      expect(result.status).toBe(413);
      // The answer came long before the 20 MB were sent (socket buffers hold a few MB at most).
      expect(result.sentBytes).toBeLessThan(20 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });
});
