// Issue 16 on the agent API and MCP over real HTTP: JSON nested thousands of levels deep, forged
// cursors the database cannot hold, and unexpected failures were 500s (the last with internal
// text). Each is now a 4xx in PROTOCOL's shape with nothing written, or — for a real failure — a
// generic 500 carrying a request id that the server log holds with the detail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/test/users";
import { knownErrorResult } from "./errors";
import { OPERATIONS } from "./operations";
import { call, createWorld, dataSnapshot, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { captureLogs } from "../log";

let h: Harness;
let w: World;
beforeAll(async () => {
  h = await startHarness();
  w = await createWorld(h);
});
afterAll(() => h.close());

const deep = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
const cursor = (text: string) => Buffer.from(text, "utf8").toString("base64url");

async function mcp(body: string, key = w.key.key) {
  const response = await fetch(`${h.url}/api/mcp`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe("JSON nested too deep", () => {
  it.each(OPERATIONS.filter((op) => op.method === "POST" && !op.public).map((op) => [op.id, op] as const))(
    "%s: a 5,000-level body is 400 validation_error, nothing written",
    async (_id, op) => {
      const before = await dataSnapshot(h);
      const path = op.path.replace(/\{[a-z_]+\}/g, () => w.conversationId);
      for (const body of [`{"text":${deep(5_000)}}`, deep(5_000), `{"a":${"{\"a\":".repeat(3_000)}1${"}".repeat(3_000)}}`]) {
        const response = await call(h, w.key.key, "POST", path, { body, headers: { "content-type": "application/json" } });
        expect(response.status, body.slice(0, 40)).toBeLessThan(500);
        expect([400, 404]).toContain(response.status);
        if (response.status === 400) expect(JSON.stringify(response.body)).toContain("nested deeper than 64");
      }
      expect(await dataSnapshot(h)).toBe(before);
    },
  );

  it("MCP: a deep tools/call is a 400 parse error, not a crash", async () => {
    const args = `{"conversation_id":${deep(5_000)}}`;
    const response = await mcp(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_conversation","arguments":${args}}}`);
    expect(response.status).toBe(400);
    expect(response.text).toContain("nested deeper than 64");
  });
});

describe("cursors the database cannot hold", () => {
  it("forged list cursors (a year PostgreSQL cannot store, a NUL in the id) and 30-digit seq cursors are 400", async () => {
    const forged = [
      cursor("+200000-01-01T00:00:00.000Z|cnv_x"),
      cursor("-100000-01-01T00:00:00.000Z|cnv_x"),
      cursor("2026-01-01T00:00:00.000Z|cnv_\u0000x"),
      cursor(`2026-01-01T00:00:00.000Z|${"x".repeat(400)}`),
    ];
    for (const list of ["/conversations", "/escrows", "/services", "/purchase-conversations"]) {
      for (const after of forged) {
        const response = await call(h, w.key.key, "GET", `${list}?after=${after}`);
        expect(response.status, `${list} ${after}`).toBe(400);
        expect(response.body).toMatchObject({ error: { code: "validation_error" } });
      }
    }
    for (const after of ["9".repeat(30), "9223372036854775808"]) {
      expect((await call(h, w.key.key, "GET", `/events?after=${after}`)).status).toBe(400);
      expect((await call(h, w.key.key, "GET", `/conversations/${w.conversationId}/messages?after=${after}`)).status).toBe(400);
    }
    for (const limit of ["1".repeat(30), "1e400", "-1"]) {
      expect((await call(h, w.key.key, "GET", `/escrows?limit=${limit}`)).status, limit).toBe(400);
    }
  });
});

describe("a unique violation from the database", () => {
  it("maps to 409 conflict with a sentence that names no table or constraint", async () => {
    const user = await createUser(h.tdb.db);
    const duplicate = await h.tdb.db.user
      .create({ data: { id: `${user.id}x`, email: user.email, displayName: "Twin", role: "customer" } })
      .then(() => null, (error: unknown) => error);
    expect(duplicate).not.toBeNull();
    const result = knownErrorResult(duplicate);
    expect(result?.status).toBe(409);
    expect(result?.body).toMatchObject({ error: { code: "conflict" } });
    expect(JSON.stringify(result?.body)).not.toMatch(/users|email|constraint|P2002|prisma/i);
  });
});

// Last: it drops a table.
describe("an unexpected failure", () => {
  it("REST and MCP answer a generic message with a request id; the detail is only in the log", async () => {
    await h.tdb.db.$executeRawUnsafe("DROP TABLE owner_alerts CASCADE");
    const logged: string[] = [];
    const restore = captureLogs({ write: (line: string) => void logged.push(line) }, "error");
    try {
      const alert = { reason: "other", title: "Help", message: "Please look", severity: "info" };
      const rest = await call(h, w.key.key, "POST", "/owner-alerts", { json: alert });
      expect(rest.status).toBe(500);
      const text = JSON.stringify(rest.body);
      expect(text).not.toMatch(/owner_alerts|prisma|does not exist|relation/i);
      const requestId = (rest.body as { error: { code: string; request_id: string; message: string } }).error.request_id;
      expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
      expect((rest.body as { error: { message: string } }).error.message).toContain(requestId);
      expect(rest.headers.get("x-request-id")).toBe(requestId); // one id: header, body and log line
      expect(logged.find((l) => l.includes(requestId))).toMatch(/owner_alerts/);

      const viaMcp = await mcp(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "notify_owner", arguments: alert } }));
      expect(viaMcp.text).not.toMatch(/owner_alerts|prisma|does not exist|relation/i);
      const mcpId = /req_[0-9a-f]{32}/.exec(viaMcp.text)?.[0];
      expect(mcpId).toBeDefined();
      expect(logged.find((l) => l.includes(mcpId!))).toMatch(/owner_alerts/);
    } finally {
      restore();
    }
  });
});

// Round three (issue 16 variants): a repeated query parameter used the first value and answered 200.
describe("repeated query parameters", () => {
  it("are 400 naming the parameter, after ownership (another agent's object is still 404)", async () => {
    for (const path of ["/escrows?status=completed&status=active", "/events?wait=0&wait=1", "/escrows?limit=1&limit=2", `/conversations/${w.conversationId}/messages?after=a&after=b`]) {
      const r = await call(h, w.key.key, "GET", path);
      const name = /\?([a-z_]+)=/.exec(path)![1]!;
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
      expect(r.body).toMatchObject({ error: { code: "validation_error", details: [{ path: name, message: expect.stringContaining("given 2 times") as unknown }] } });
    }
    const other = await createWorld(h);
    const theirs = await call(h, w.key.key, "GET", `/conversations/${other.conversationId}/messages?after=a&after=b`);
    expect(theirs.status).toBe(404);
    expect((await call(h, w.key.key, "GET", "/escrows?status=completed,active")).status).toBe(200);
  });
});

// Round three: 1e21 and 2^53 + 1 are whole numbers, but were refused as "must be a whole number".
describe("amounts beyond 2^53 − 1", () => {
  it("are 400 with a message naming the upper bound", async () => {
    for (const amount of ["1e21", "9007199254740993", "100.5"]) {
      const r = await call(h, w.key.key, "POST", "/escrows", { json: `{"conversation_id":"${w.conversationId}","title":"Big","amount":${amount},"currency":"USD"}` });
      expect({ amount, status: r.status }).toEqual({ amount, status: 400 });
      const details = (r.body as { error: { details: { path: string; message: string }[] } }).error.details;
      expect(details[0]).toEqual({ path: "amount", message: expect.stringContaining(amount === "100.5" ? "whole number" : "at most 2^53 − 1") as unknown });
      expect(details[0]!.message).toContain("at most 2^53 − 1");
    }
  });
});
