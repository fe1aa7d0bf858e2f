// Issue 16 on the tRPC endpoint, through the route handler as a browser reaches it: input shapes that
// were 500s (JSON nested thousands deep, cursors beyond bigint, two requests creating one handle or
// address at once) are 4xx with a sentence, and an unexpected failure answers a generic message with
// a request id while its detail (Prisma's message, the table's name) goes only to the server log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "~/test/db";
import { openTrpcRoute, type TrpcRoute } from "~/test/trpc-route";
import { createUser } from "~/test/users";
import type { SessionUser } from "~/server/auth/session-user";
import { nulTextError } from "~/server/nul-text";
import { captureLogs } from "~/server/log";
import { TRPC_MAX_BATCH_CALLS } from "~/server/http/trpc-batch";

let tdb: TestDatabase;
let handler: (request: Request) => Promise<Response>;
let createSession: (userId: string) => Promise<string>;
let route: TrpcRoute;

beforeAll(async () => {
  route = await openTrpcRoute();
  ({ tdb, handle: handler, createSession } = route);
});
afterAll(() => route.close());

const SAME_ORIGIN = { origin: "http://localhost:3000", "x-holdfast-csrf": "1", "content-type": "application/json" };

interface TrpcAnswer {
  status: number;
  text: string;
  error: { message: string; data: { code: string; appCode: string | null; requestId: string | null } } | null;
}

async function answer(response: Response): Promise<TrpcAnswer> {
  const text = await response.text();
  const body = JSON.parse(text) as { error?: { json: TrpcAnswer["error"] } };
  return { status: response.status, text, error: body.error?.json ?? null };
}

async function mutate(path: string, body: string, token?: string) {
  return answer(
    await handler(
      new Request(`http://localhost:3000/api/trpc/${path}`, {
        method: "POST",
        headers: { ...SAME_ORIGIN, ...(token ? { cookie: `next-auth.session-token=${token}` } : {}) },
        body,
      }),
    ),
  );
}

async function query(path: string, input: string, token?: string) {
  return answer(
    await handler(
      new Request(`http://localhost:3000/api/trpc/${path}?input=${encodeURIComponent(input)}`, {
        headers: token ? { cookie: `next-auth.session-token=${token}` } : {},
      }),
    ),
  );
}

const deep = (levels: number, inner = "1") => `${"[".repeat(levels)}${inner}${"]".repeat(levels)}`;
const json = (value: unknown) => JSON.stringify({ json: value });

describe("JSON nested too deep", () => {
  it("is 400 on every tRPC call, unauthenticated ones included (query and mutation)", async () => {
    const body = `{"json":{"amount":${deep(5_000)}}}`; // ≈10 KB
    const post = await mutate("wallet.addTestFunds", body);
    expect(post.status).toBe(400);
    expect(post.text).toContain("nested deeper than 64");
    const get = await query("market.agents", `{"json":{"query":${deep(5_000, '"x"')}}}`);
    expect(get.status).toBe(400);
    // Brackets inside strings are text, not nesting.
    const text = await query("market.agents", json({ query: "[".repeat(150) }));
    expect(text.status).toBe(200);
  });

  it("the NUL walk itself neither recurses nor overflows on a value built in memory (server-side callers)", () => {
    let value: unknown = "x";
    for (let i = 0; i < 100_000; i++) value = { a: value };
    expect(nulTextError(value)?.message).toContain("nested deeper than 64");
    let shallow: unknown = "a\u0000";
    for (let i = 0; i < 10; i++) shallow = [shallow];
    expect(nulTextError(shallow)?.details?.[0]?.path).toBe("0.0.0.0.0.0.0.0.0.0");
  });
});

describe("numbers beyond bigint in cursors", () => {
  it("chat.messages `after` and admin.auditLog `before`: 400, not the database's out-of-range 500", async () => {
    const customer = await createUser(tdb.db, "customer");
    const admin = await createUser(tdb.db, "admin");
    const customerToken = await createSession(customer.id);
    const adminToken = await createSession(admin.id);
    for (const cursor of ["9".repeat(30), "9223372036854775808", "00000000000000000000001"]) {
      const messages = await query("chat.messages", json({ conversationId: "cnv_x", after: cursor }), customerToken);
      expect(messages.status, cursor).toBe(400);
      const log = await query("admin.auditLog", json({ before: cursor }), adminToken);
      expect(log.status, cursor).toBe(400);
    }
    // The largest bigint is a cursor like any other.
    expect((await query("admin.auditLog", json({ before: "9223372036854775807" }), adminToken)).status).toBe(200);
    expect((await query("chat.messages", json({ conversationId: "cnv_x", after: "9223372036854775807" }), customerToken)).status).toBe(404);
  });
});

describe("two requests creating one unique thing at once", () => {
  const settle = async (calls: Promise<TrpcAnswer>[]) => {
    const results = await Promise.all(calls);
    for (const r of results) expect(r.status, r.text.slice(0, 300)).toBeLessThan(500);
    return results;
  };

  it("20 concurrent owner.createAgent with one handle: one agent, the others 400/409 with a sentence", async () => {
    const owner = await createUser(tdb.db, "owner");
    const token = await createSession(owner.id);
    const results = await settle(
      Array.from({ length: 20 }, () => mutate("owner.createAgent", json({ handle: "twin-handle", displayName: "Twin" }), token)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect([400, 409, 429]).toContain(r.status);
      expect(r.text).not.toMatch(/prisma|constraint|agents_handle|P2002/i);
    }
    expect(await tdb.db.agent.count({ where: { handle: "twin-handle" } })).toBe(1);
  });

  it("20 concurrent owner.saveChannel with one address, by one owner and by two: never a 500", async () => {
    const [first, second] = [await createUser(tdb.db, "owner"), await createUser(tdb.db, "owner")];
    const tokens = [await createSession(first!.id), await createSession(second!.id)];
    const results = await settle(
      Array.from({ length: 20 }, (_, i) =>
        mutate("owner.saveChannel", json({ channel: "whatsapp", address: "+1 555 010 2030" }), tokens[i % 2]),
      ),
    );
    for (const r of results.filter((x) => x.status !== 200)) {
      expect([400, 409, 429]).toContain(r.status);
      expect(r.text).not.toMatch(/prisma|constraint|owner_channels|P2002/i);
    }
    // At most one row per owner: an unverified address may be typed by two owners (neither learns of
    // the other, owner/channels.ts); only a verified one is unique. Codes to one address are capped
    // whoever asks, so the slower owner may have been answered 429 with nothing stored.
    const rows = await Promise.all(
      [first!, second!].map((owner) => tdb.db.ownerChannel.count({ where: { channel: "whatsapp", address: "15550102030", ownerId: owner.id } })),
    );
    for (const n of rows) expect(n).toBeLessThanOrEqual(1);
    expect(rows.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(1);
  });
});

describe("an unexpected failure", () => {
  it("answers a generic message with a request id; Prisma's detail goes only to the log, under that id", async () => {
    const owner: SessionUser = await createUser(tdb.db, "owner");
    const token = await createSession(owner.id);
    await tdb.db.$executeRawUnsafe("DROP TABLE owner_settings CASCADE");
    const logged: string[] = [];
    const restore = captureLogs({ write: (line: string) => void logged.push(line) }, "error");
    try {
      const result = await mutate("owner.setThreshold", json({ amount: 5_000, currency: "USD" }), token);
      expect(result.status).toBe(500);
      expect(result.text).not.toMatch(/owner_settings|prisma|does not exist|relation|stack/i);
      expect(result.error?.data.code).toBe("INTERNAL_SERVER_ERROR");
      const requestId = result.error?.data.requestId;
      expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
      expect(result.error?.message).toContain(requestId);
      const line = logged.find((l) => l.includes(requestId!));
      expect(line).toBeDefined();
      expect(line).toMatch(/owner_settings/);
    } finally {
      restore();
    }
  });
});

// Round three (issue 16 variants): one-line labels took line breaks, control characters and bidi
// overrides ("Evil\u202Eetis" shows as "Evilsite" in the market and in every alert).
describe("one-line labels", () => {
  const HOSTILE_LINES = ["Logo\nHoldfast: payment verified", "Evil\u202Eetis", "a\u2066b", "tab\there", "bell\u0007", "x\u2028y", "c1\u0085"];

  it("owner.createAgent displayName and owner.saveService title: 400 naming the rule, nothing written", async () => {
    const owner = await createUser(tdb.db, "owner", "Label Owner");
    const token = await createSession(owner.id);
    const made = await mutate("owner.createAgent", json({ handle: "label-seller", displayName: "Label Seller" }), token);
    expect(made.status).toBe(200);
    const agent = await tdb.db.agent.findUniqueOrThrow({ where: { handle: "label-seller" } });
    const agentsBefore = await tdb.db.agent.count();
    const servicesBefore = await tdb.db.service.count();
    for (const [i, text] of HOSTILE_LINES.entries()) {
      const created = await mutate("owner.createAgent", json({ handle: `label-${i}`, displayName: text }), token);
      expect({ text, status: created.status }).toEqual({ text, status: 400 });
      expect(created.error?.message).toMatch(/one line of plain text|control characters/);
      const saved = await mutate("owner.saveService", json({ agentId: agent.id, title: text, price: 500, deliveryInHours: 24 }), token);
      expect({ text, status: saved.status }).toEqual({ text, status: 400 });
      expect(saved.error?.message).toMatch(/one line of plain text|control characters/);
    }
    expect(await tdb.db.agent.count()).toBe(agentsBefore);
    expect(await tdb.db.service.count()).toBe(servicesBefore);
    // Right-to-left text and the direction marks are words, not overrides.
    const rtl = await mutate("owner.saveService", json({ agentId: agent.id, title: "تصميم شعار \u200F(RTL)", price: 500, deliveryInHours: 24 }), token);
    expect(rtl.status).toBe(200);
  });
});

// Round three: a zod refusal's message was the issue list as pretty-printed JSON (`[\n  {\n    "origin"…`).
describe("validation messages", () => {
  it("are one sentence naming the field and what it must be, with the issues still in data.zodIssues", async () => {
    const customer = await createUser(tdb.db, "customer", "Message Reader");
    const token = await createSession(customer.id);
    const cases = [
      ["wallet.addTestFunds", { amount: 1.5, currency: "USD" }, "amount"],
      ["wallet.addTestFunds", { amount: 1e21, currency: "USD" }, "amount"],
      ["wallet.addTestFunds", { amount: 100, currency: "usd" }, "currency"],
      ["chat.send", { conversationId: ["cnv_x"], text: "x" }, "conversationId"],
    ] as const;
    for (const [path, input, field] of cases) {
      const refused = await mutate(path, json(input), token);
      const context = `${path} ${JSON.stringify(input)} → ${refused.text}`;
      expect(refused.status, context).toBe(400);
      expect(refused.error?.message, context).toMatch(new RegExp(`^The request is invalid \\(${field}: [^\\n{}]+\\)\\.$`));
      expect(refused.error?.message, context).not.toContain("pattern");
      expect(refused.error?.data.appCode, context).toBe("validation_error");
      expect(refused.text, context).toContain('"zodIssues":[{"path"');
    }
  });
});

// Round three: one request batched any number of calls (300 chat.send in one POST wrote 300 messages).
describe("batch size", () => {
  it("a batch of more than TRPC_MAX_BATCH_CALLS calls is 400 before any runs; a batch at the limit runs", async () => {
    const owner = await createUser(tdb.db, "owner", "Batch Owner");
    const token = await createSession(owner.id);
    const over = TRPC_MAX_BATCH_CALLS + 1;
    const body = (n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { json: { handle: `batch-${n}-${i}`, displayName: "Batch" } }])));
    const agents = await tdb.db.agent.count();
    for (const path of [Array(over).fill("owner.createAgent").join(","), Array(over).fill("owner.createAgent").join("%2C")]) {
      const refused = await handler(
        new Request(`http://localhost:3000/api/trpc/${path}?batch=1`, { method: "POST", headers: { ...SAME_ORIGIN, cookie: `next-auth.session-token=${token}` }, body: body(over) }),
      );
      expect(refused.status).toBe(400);
      expect(await refused.text()).toMatch(/at most 16 calls|exceeds maximum size/);
    }
    expect(await tdb.db.agent.count()).toBe(agents);
    const atLimit = await handler(
      new Request(`http://localhost:3000/api/trpc/${Array(TRPC_MAX_BATCH_CALLS).fill("wallet.balance").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`, {
        headers: { cookie: `next-auth.session-token=${token}` },
      }),
    );
    expect(atLimit.status, await atLimit.clone().text()).toBe(200);
    expect((await atLimit.json()) as unknown[]).toHaveLength(TRPC_MAX_BATCH_CALLS);
  });
});
