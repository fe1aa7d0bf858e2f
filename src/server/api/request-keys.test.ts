// A person's message or reply sent again — a double submit, a retry after a lost answer, the same request
// from two tabs — is written once when it carries its request key (src/server/api/request-key.ts), over
// the tRPC endpoint as a browser reaches it. Without a key each request is its own, as before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTrpcRoute, SAME_ORIGIN_HEADERS, TRPC_BASE_URL, type TrpcRoute } from "~/test/trpc-route";
import { createParties, type Parties } from "~/test/engine-fixtures";

let route: TrpcRoute;
let p: Parties;
let customerToken: string;
let ownerToken: string;

beforeAll(async () => {
  route = await openTrpcRoute();
  p = await createParties(route.tdb.db);
  customerToken = await route.createSession(p.customerId);
  ownerToken = await route.createSession(p.ownerId);
});
afterAll(() => route.close());

async function mutate(path: string, token: string, input: unknown): Promise<{ status: number; json: unknown; message?: string }> {
  const response = await route.POST(
    new Request(`${TRPC_BASE_URL}/api/trpc/${path}`, {
      method: "POST",
      headers: { ...SAME_ORIGIN_HEADERS, cookie: `next-auth.session-token=${token}` },
      body: JSON.stringify({ json: input }),
    }),
  );
  const body = (await response.json()) as { result?: { data: { json: unknown } }; error?: { json: { message: string } } };
  return { status: response.status, json: body.result?.data.json, message: body.error?.json.message };
}

const customerMessages = (text: string) => route.tdb.db.message.count({ where: { conversationId: p.conversationId, role: "customer", text } });
const agentEvents = (type: string) => route.tdb.db.agentEvent.count({ where: { agentId: p.agentId, type } });

describe("chat.send with a request key", () => {
  it("6 identical sends at once: one message, one event for the agent, every answer names it", async () => {
    const input = { conversationId: p.conversationId, text: "Can you do it in blue?", requestKey: "msg-5d21c0" };
    const events = await agentEvents("message.received");
    const answers = await Promise.all(Array.from({ length: 6 }, () => mutate("chat.send", customerToken, input)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(new Set(answers.map((a) => (a.json as { messageId: string }).messageId)).size).toBe(1);
    expect(await customerMessages(input.text)).toBe(1);
    expect(await agentEvents("message.received")).toBe(events + 1);
    // A retry later replays the answer; nothing more is written.
    expect((await mutate("chat.send", customerToken, input)).json).toEqual(answers[0]!.json);
    expect(await customerMessages(input.text)).toBe(1);
  });

  it("the same words under a new key are a new message; without a key each send is one", async () => {
    const text = "Thanks!";
    await mutate("chat.send", customerToken, { conversationId: p.conversationId, text, requestKey: "msg-a" });
    await mutate("chat.send", customerToken, { conversationId: p.conversationId, text, requestKey: "msg-b" });
    await mutate("chat.send", customerToken, { conversationId: p.conversationId, text });
    expect(await customerMessages(text)).toBe(3);
  });

  it("a key reused for other words is refused with nothing written; a refused send leaves its key free", async () => {
    await mutate("chat.send", customerToken, { conversationId: p.conversationId, text: "First words", requestKey: "msg-reuse" });
    const reused = await mutate("chat.send", customerToken, { conversationId: p.conversationId, text: "Other words", requestKey: "msg-reuse" });
    expect(reused.status).toBe(409);
    expect(reused.message).toMatch(/request key was already used with a different request/);
    expect(await customerMessages("Other words")).toBe(0);

    const blank = await mutate("chat.send", customerToken, { conversationId: p.conversationId, text: "\u200b", requestKey: "msg-blank" });
    expect(blank.status).toBe(400);
    expect(await route.tdb.db.idempotencyKey.count({ where: { key: "msg-blank" } })).toBe(0);
  });

  it("refuses a key that is not an identifier, before anything is written", async () => {
    const before = await route.tdb.db.message.count();
    for (const requestKey of ["", "two words", "k".repeat(256), "nul\u0000key", "é"]) {
      const answer = await mutate("chat.send", customerToken, { conversationId: p.conversationId, text: "hello", requestKey });
      expect(answer.status).toBe(400);
    }
    expect(await route.tdb.db.message.count()).toBe(before);
  });

  it("keys are each person's own: the owner's identical key does not replay the customer's answer", async () => {
    const alert = await route.tdb.db.ownerAlert.create({
      data: { id: "alr_keys_scope", ownerId: p.ownerId, agentId: p.agentId, reason: "other", title: "t", message: "m", severity: "info", conversationId: p.conversationId },
    });
    await mutate("chat.send", customerToken, { conversationId: p.conversationId, text: "Scoped", requestKey: "shared-key" });
    const reply = await mutate("owner.reply", ownerToken, { alertId: alert.id, text: "Go ahead.", requestKey: "shared-key" });
    expect(reply.status).toBe(200);
    expect(await route.tdb.db.ownerReply.count({ where: { alertId: alert.id } })).toBe(1);
  });
});

describe("owner.reply with a request key", () => {
  it("5 identical replies at once: one reply, one instruction to the agent, one owner line in the chat", async () => {
    const alert = await route.tdb.db.ownerAlert.create({
      data: { id: "alr_keys_reply", ownerId: p.ownerId, agentId: p.agentId, reason: "other", title: "t", message: "m", severity: "info", conversationId: p.conversationId },
    });
    const instructions = await agentEvents("owner.instruction");
    const input = { alertId: alert.id, text: "Offer 10% off.", requestKey: "reply-91ab" };
    const answers = await Promise.all(Array.from({ length: 5 }, () => mutate("owner.reply", ownerToken, input)));
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.json))).size).toBe(1);
    expect(await route.tdb.db.ownerReply.count({ where: { alertId: alert.id } })).toBe(1);
    expect(await agentEvents("owner.instruction")).toBe(instructions + 1);
    expect(await route.tdb.db.message.count({ where: { conversationId: p.conversationId, role: "owner", text: input.text } })).toBe(1);
  });
});
