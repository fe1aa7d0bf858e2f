// The same lifecycles through an MCP client (the official SDK's Client over
// Streamable HTTP) against the running server; the customer side via tRPC.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Escrow, Settlement } from "~/client";
import { checkDatabaseLedger } from "../ledger/check";
import { createWorld, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { MCP_MAX_BATCH_REQUESTS } from "./mcp";

let h: Harness;
const clients: Client[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const c of clients) await c.close();
  expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  await h.close();
});

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: "holdfast-test-agent", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${h.url}/api/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

interface ToolOutcome<T> {
  ok: boolean;
  body: T;
}

async function tool<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolOutcome<T>> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text: string }[];
  return { ok: !result.isError, body: JSON.parse(content[0]?.text ?? "null") as T };
}

async function expectToolError(client: Client, name: string, args: Record<string, unknown>, code: string) {
  const outcome = await tool<{ error: { code: string; message: string } }>(client, name, args);
  expect(outcome.ok).toBe(false);
  expect(outcome.body.error.code).toBe(code);
  return outcome.body.error;
}

async function deliverViaMcp(mcp: Client, w: World, escrowId: string) {
  const art = await tool<{ id: string; kind: string }>(mcp, "upload_artifact", {
    name: "logo.png",
    content_base64: Buffer.from(PNG_BYTES).toString("base64"),
  });
  expect(art.body.kind).toBe("image");
  const sent = await tool(mcp, "send_message", { conversation_id: w.conversationId, text: "Delivered", artifact_ids: [art.body.id], escrow_id: escrowId });
  expect(sent.ok).toBe(true);
  return tool<Escrow>(mcp, "complete_service", { escrow: escrowId });
}

async function fundedOffer(mcp: Client, w: World, amount = 2_500) {
  const offer = await tool<Escrow>(mcp, "create_service", {
    conversation_id: w.conversationId, title: "Logo design", amount, currency: "USD", service_id: w.serviceId,
  });
  expect(offer.body.status).toBe("pending");
  await w.customerApi.escrow.accept({ escrowId: offer.body.id });
  return offer.body;
}

describe("MCP", () => {
  it("lists PROTOCOL.md's tools", async () => {
    const w = await createWorld(h);
    const mcp = await connect(w.key.key);
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "accept_settlement", "add_statement", "cancel_service", "check_service", "complete_service", "create_service", "escalate", "get_events",
      "list_catalog", "list_my_services", "notify_owner", "propose_settlement", "read_conversation", "respond_to_dispute",
      "send_message", "upload_artifact", "whoami",
      // Agent-to-agent purchases, the buyer's side (additive).
      "accept_purchase", "accept_purchase_settlement", "approve_purchase", "cancel_overdue_purchase", "check_purchase",
      "decline_purchase", "dispute_purchase", "escalate_purchase", "extend_purchase_review", "list_purchase_conversations",
      "list_purchases", "propose_purchase_settlement", "read_purchase_conversation", "send_purchase_message",
      "start_purchase_conversation", "view_seller",
      // Signed receipts (additive, issue 18).
      "get_receipts",
      // The evaluator role (additive).
      "attest",
      // A buying agent withdraws the dispute the evaluator opened for it (additive, issue 18).
      "withdraw_purchase_dispute",
    ].sort());
    const create = tools.find((t) => t.name === "create_service");
    expect(create?.inputSchema.required).toEqual(expect.arrayContaining(["conversation_id", "title", "amount", "currency"]));
  });

  it("refuses a bad key with 401 before any tool runs", async () => {
    await expect(connect("hfk_nope_nope")).rejects.toThrow();
  });

  it("offer → accept → artifact → complete → approve, with the precondition errors", async () => {
    const w = await createWorld(h);
    const mcp = await connect(w.key.key);
    expect((await tool(mcp, "whoami")).body).toMatchObject({ id: w.agentId, risk_tier: "new" });
    expect(((await tool<{ data: unknown[] }>(mcp, "list_catalog")).body.data)).toHaveLength(1);

    const offer = await tool<Escrow>(mcp, "create_service", { conversation_id: w.conversationId, title: "Logo", amount: 2_500, currency: "USD" });
    const notFunded = await expectToolError(mcp, "complete_service", { escrow: offer.body.reference_code }, "escrow_not_funded");
    expect(notFunded.message).toContain("escrow.funded");
    await w.customerApi.escrow.accept({ escrowId: offer.body.id });
    await expectToolError(mcp, "complete_service", { escrow: offer.body.id }, "no_artifact_since_last_status_change");
    await expectToolError(mcp, "create_service", { conversation_id: w.conversationId, title: "x", amount: -1, currency: "USD" }, "validation_error");

    const delivered = await deliverViaMcp(mcp, w, offer.body.id);
    expect(delivered.body.status).toBe("delivered");
    await w.customerApi.escrow.approve({ escrowId: offer.body.id });
    expect((await tool<Escrow>(mcp, "check_service", { escrow: offer.body.id })).body.status).toBe("completed");

    const feed = await tool<{ events: { type: string; trusted: boolean }[] }>(mcp, "get_events", { wait: 0 });
    expect(feed.body.events.map((e) => e.type)).toEqual(["escrow.funded", "escrow.delivered", "escrow.completed"]);
    const conversations = await tool<{ data: { id: string }[] }>(mcp, "read_conversation", {});
    expect(conversations.body.data.map((c) => c.id)).toEqual([w.conversationId]);
    const messages = await tool<{ data: { role: string; artifacts: unknown[] }[] }>(mcp, "read_conversation", { conversation_id: w.conversationId });
    expect(messages.body.data.some((m) => m.role === "agent" && m.artifacts.length === 1)).toBe(true);
    expect((await tool<{ data: unknown[] }>(mcp, "list_my_services", { status: "all" })).body.data).toHaveLength(1);
  });

  it("dispute → defend → settlement → resolved, and dispute → agree_refund", async () => {
    const w = await createWorld(h);
    const mcp = await connect(w.key.key);
    const first = await fundedOffer(mcp, w, 3_000);
    await deliverViaMcp(mcp, w, first.id);
    await w.customerApi.escrow.dispute({ escrowId: first.id, reason: "Wrong colour" });
    await expectToolError(mcp, "respond_to_dispute", { escrow: first.id, action: "defend" }, "explanation_required");
    const negotiating = await tool<Escrow>(mcp, "respond_to_dispute", { escrow: first.id, action: "defend", message: "It matches the brief." });
    expect(negotiating.body.status).toBe("negotiating");
    await expectToolError(mcp, "propose_settlement", { escrow: first.id, refund_amount: 3_000 }, "amount_out_of_range");
    const mine = await tool<Settlement>(mcp, "propose_settlement", { escrow: first.id, refund_amount: 1_000 });
    expect(mine.body).toMatchObject({ status: "open", proposed_by: "agent" });
    await w.customerApi.escrow.proposeSettlement({ escrowId: first.id, refundAmount: 1_200 });
    const open = await h.tdb.db.settlement.findFirstOrThrow({ where: { escrowId: first.id, status: "open" } });
    const resolved = await tool<Escrow>(mcp, "accept_settlement", { escrow: first.id, settlement_id: open.id });
    expect(resolved.body).toMatchObject({ status: "resolved", outcome: "split", refund_amount: 1_200 });

    const second = await fundedOffer(mcp, w);
    await deliverViaMcp(mcp, w, second.id);
    await w.customerApi.escrow.dispute({ escrowId: second.id, reason: "Late" });
    const refunded = await tool<Escrow>(mcp, "respond_to_dispute", { escrow: second.id, action: "agree_refund" });
    expect(refunded.body.status).toBe("refunded");

    const third = await fundedOffer(mcp, w);
    await deliverViaMcp(mcp, w, third.id);
    await w.customerApi.escrow.dispute({ escrowId: third.id, reason: "Hmm" });
    await tool(mcp, "respond_to_dispute", { escrow: third.id, action: "defend", message: "Fine as is." });
    expect((await tool<Escrow>(mcp, "escalate", { escrow: third.id })).body.status).toBe("admin_review");

    const alert = await tool(mcp, "notify_owner", { reason: "dispute", title: "Escalated", message: "Please look", severity: "warning", escrow_id: third.reference_code });
    expect(alert.body).toMatchObject({ reason: "dispute", escrow_id: third.id, conversation_id: w.conversationId, status: "open" });
  });

  it("cancel paths, another agent's escrow, and idempotent replays", async () => {
    const w = await createWorld(h);
    const other = await createWorld(h);
    const mcp = await connect(w.key.key);
    const otherMcp = await connect(other.key.key);
    const pending = await tool<Escrow>(mcp, "create_service", { conversation_id: w.conversationId, title: "x", amount: 500, currency: "USD" });
    await expectToolError(otherMcp, "cancel_service", { escrow: pending.body.id }, "not_found");
    expect((await tool<Escrow>(mcp, "cancel_service", { escrow: pending.body.id, reason: "changed" })).body.status).toBe("cancelled");
    await expectToolError(mcp, "cancel_service", { escrow: pending.body.id }, "invalid_transition");
    const active = await fundedOffer(mcp, w);
    expect((await tool<Escrow>(mcp, "cancel_service", { escrow: active.id })).body.status).toBe("refunded");

    const args = { conversation_id: w.conversationId, title: "once", amount: 600, currency: "USD", idempotency_key: "mcp-1" };
    const a = await tool<Escrow>(mcp, "create_service", args);
    const b = await tool<Escrow>(mcp, "create_service", args);
    expect(b.body).toEqual(a.body);
    await expectToolError(mcp, "create_service", { ...args, amount: 601 }, "idempotency_key_reused");
    expect(await h.tdb.db.escrow.count({ where: { agentId: w.agentId, title: "once" } })).toBe(1);
  });
});

// Round three (issue 16 variants): params of the wrong shape were -32603 "Internal error" with zod's
// issue list as the message, and an empty batch was 202 with no body.
describe("MCP requests with params of the wrong shape", () => {
  async function rpc(key: string, body: string) {
    const response = await fetch(`${h.url}/api/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, json: text ? (JSON.parse(text) as unknown) : null };
  }

  it("answers -32602 Invalid params naming the field, runs nothing, and keeps valid calls working", async () => {
    const w = await createWorld(h);
    const cases = [
      ['{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":[]}}', "params.arguments"],
      ['{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":5}}', "params.name"],
      ['{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{}}', "params.name"],
      ['{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"cursor":5}}', "params.cursor"],
      ['{"jsonrpc":"2.0","id":5,"method":"initialize","params":{}}', "params.protocolVersion"],
    ] as const;
    for (const [body, field] of cases) {
      const answer = await rpc(w.key.key, body);
      const context = `${body} → ${answer.status} ${answer.text}`;
      expect(answer.json, context).toMatchObject({ jsonrpc: "2.0", error: { code: -32602, message: expect.stringContaining(field) as unknown } });
      expect(answer.text, context).not.toMatch(/invalid_type|"expected"|\\n/);
    }
    const offers = await h.tdb.db.escrow.count();
    const batch = await rpc(
      w.key.key,
      JSON.stringify([
        { jsonrpc: "2.0", id: "a", method: "tools/call", params: { name: "create_service", arguments: { conversation_id: w.conversationId, title: "T", amount: 100, currency: "USD" } } },
        { jsonrpc: "2.0", id: "b", method: "tools/call", params: { name: "whoami", arguments: "x" } },
      ]),
    );
    expect(batch.json).toEqual([
      { jsonrpc: "2.0", id: "a", error: { code: -32600, message: expect.stringContaining("Not run") as unknown } },
      { jsonrpc: "2.0", id: "b", error: { code: -32602, message: expect.stringContaining("params.arguments") as unknown } },
    ]);
    expect(await h.tdb.db.escrow.count()).toBe(offers);
    const ok = await rpc(w.key.key, '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"whoami","arguments":{}}}');
    expect(ok.json).toMatchObject({ id: 9, result: { content: [{ type: "text" }] } });
  });

  it("answers an empty batch -32600 instead of an empty 202", async () => {
    const w = await createWorld(h);
    const answer = await rpc(w.key.key, "[]");
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: -32600, message: expect.stringContaining("empty batch") as unknown } });
  });
});

// Round three: the MCP idempotency_key skipped the text walk. A NUL in it was a 500 (internal_error) from
// PostgreSQL; "k\ud800" and "k\udc00" were both stored as "k\uFFFD", so the second was a "reuse".
describe("MCP idempotency_key text", () => {
  it("a NUL, a lone surrogate or a control character in it is 400 validation_error, nothing written", async () => {
    const w = await createWorld(h);
    const mcp = await connect(w.key.key);
    const alerts = await h.tdb.db.ownerAlert.count();
    const keys = await h.tdb.db.idempotencyKey.count();
    for (const key of ["a\u0000b", "k\ud800", "k\udc00", "bell\u0007"]) {
      const outcome = await tool<{ error?: { code: string; message: string } }>(mcp, "notify_owner", { reason: "other", title: "t", message: "m", idempotency_key: key });
      expect({ key, ok: outcome.ok, code: outcome.body.error?.code }).toEqual({ key, ok: false, code: "validation_error" });
      const error = outcome.body.error!;
      expect(error.message).toContain("idempotency_key");
    }
    expect(await h.tdb.db.ownerAlert.count()).toBe(alerts);
    expect(await h.tdb.db.idempotencyKey.count()).toBe(keys);
  });
});

// Round three: a JSON-RPC batch took one token from the key's rate limit however many calls it held
// (one POST of 100 notify_owner calls wrote 100 alerts).
describe("MCP batches and the rate limit", () => {
  it("a batch over MCP_MAX_BATCH_REQUESTS is -32600 with nothing run; each call in a batch takes a token", async () => {
    const limited = await startHarness({ rateLimit: { limit: 5, windowS: 60 } });
    try {
      const w = await createWorld(limited);
      const post = async (body: unknown) => {
        const response = await fetch(`${limited.url}/api/mcp`, {
          method: "POST",
          headers: { authorization: `Bearer ${w.key.key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
          body: JSON.stringify(body),
        });
        return { status: response.status, text: await response.text() };
      };
      const alert = (i: number) => ({ jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "notify_owner", arguments: { reason: "other", title: `b${i}`, message: "m", severity: "info" } } });
      const before = await limited.tdb.db.ownerAlert.count();
      const tooMany = await post(Array.from({ length: MCP_MAX_BATCH_REQUESTS + 1 }, (_, i) => alert(i)));
      expect(tooMany.status).toBe(400);
      expect(tooMany.text).toContain(`at most ${MCP_MAX_BATCH_REQUESTS} requests`);
      const overLimit = await post(Array.from({ length: 6 }, (_, i) => alert(i)));
      expect(overLimit.status).toBe(429);
      expect(await limited.tdb.db.ownerAlert.count()).toBe(before);
    } finally {
      await limited.close();
    }
  });
});

