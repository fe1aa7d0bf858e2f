// Structured logs (issue 21), over real HTTP (the agent API harness) and a real webhook receiver on
// loopback: a request's id comes back in X-Request-Id and is on its request line, its transition's
// line, its outbox rows and its webhook attempt's line; and no secret — an API key, a bearer header,
// a sign-in link, a message text — reaches any line.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { env } from "~/env";
import { call, createWorld, startHarness, type Harness } from "~/test/agent-api-harness";
import { sendSignInLink } from "./auth/email";
import { logInternalError } from "./http/internal-error";
import { acceptRequestId, captureLogs, scrubSecrets } from "./log";
import { countSummary, observeJob } from "./jobs/observe-job";
import { createLogChannel } from "./notify/log";
import { deliverDueWebhooks, newWebhookSecret } from "./webhooks/relay";

let h: Harness;
let receiver: http.Server;
let receiverUrl: string;
let lines: Record<string, unknown>[] = [];
let raw: string[] = [];
let restore: () => void = () => undefined;
const allowLoopback = { policy: { allowedHosts: ["127.0.0.1"], requireHttps: false } };

beforeAll(async () => {
  h = await startHarness();
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await h.close();
});
beforeEach(() => {
  lines = [];
  raw = [];
  restore = captureLogs({
    write(line: string) {
      raw.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
});
afterEach(() => restore());

const linesWith = (msg: string) => lines.filter((l) => l.msg === msg);

describe("request ids", () => {
  it("carries one agent call's id from its response header to its transition, outbox rows and webhook attempt", async () => {
    const w = await createWorld(h);
    const escrow = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo", amount: 1500, currency: "USD" });
    await h.tdb.db.agent.update({ where: { id: w.agentId }, data: { webhookUrl: receiverUrl, webhookSecret: newWebhookSecret() } });
    lines = [];

    const requestId = "trace-me-0123456789";
    const res = await call(h, w.key.key, "POST", `/escrows/${escrow.id}/cancel`, { json: {}, headers: { "x-request-id": requestId } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(requestId);

    const request = linesWith("request").find((l) => l.requestId === requestId);
    expect(request).toMatchObject({ transport: "agent-api", method: "POST", route: "POST /escrows/{escrow}/cancel", status: 200 });
    expect(request?.path).toBe(`/api/agent/v1/escrows/${escrow.id}/cancel`);
    expect(linesWith("transition")).toContainEqual(
      expect.objectContaining({ requestId, escrowId: escrow.id, command: "cancel", from: "pending", to: "cancelled", outcome: "applied" }),
    );
    // The rows the transition wrote remember the request.
    const outbox = await h.tdb.db.outboxMessage.findMany({ where: { topic: "escrow.changed" } });
    expect(outbox.filter((o) => (o.payload as { escrow_id?: string }).escrow_id === escrow.id).map((o) => o.requestId)).toContain(requestId);
    const delivery = await h.tdb.db.webhookDelivery.findFirstOrThrow({ where: { agentId: w.agentId } });
    expect(delivery.requestId).toBe(requestId);

    // The relay runs later, outside the request: its attempt line still carries the request's id.
    lines = [];
    expect(await deliverDueWebhooks(h.tdb.db, allowLoopback)).toBe(1);
    expect(linesWith("webhook attempt")).toEqual([
      expect.objectContaining({ requestId, deliveryId: delivery.id, agentId: w.agentId, attempt: 1, statusCode: 200, outcome: "delivered", host: new URL(receiverUrl).host }),
    ]);
  });

  it("replaces an unsafe or missing X-Request-Id with a fresh one, and reports internal errors under the request's id", async () => {
    const w = await createWorld(h);
    for (const sent of ['bad id" {"level":60} <script>', "x".repeat(65), "short", undefined]) {
      const res = await call(h, w.key.key, "GET", "/escrows", { headers: sent === undefined ? {} : { "x-request-id": sent } });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    }
    expect(acceptRequestId("abc-DEF_123.45:6")).toBe("abc-DEF_123.45:6");
    expect(raw.join("")).not.toContain("bad id");
    // Outside a request an internal error still gets an id to report.
    expect(logInternalError("test", new Error("boom"))).toMatch(/^req_/);
  });
});

describe("background jobs", () => {
  it("log one line per run: info with what it did, debug when idle, error with the failure; a caused run carries its request's id", async () => {
    expect(await observeJob("webhook relay", { summary: countSummary }, () => Promise.resolve(3))).toBe(3);
    expect(await observeJob("webhook relay", { summary: countSummary }, () => Promise.resolve(0))).toBe(0);
    await expect(observeJob("timer", { fields: { timerId: "7" } }, () => Promise.reject(new Error("database went away")))).rejects.toThrow("database went away");
    await observeJob("outbox relay", { requestId: "req-caused-it-0123" }, () => Promise.resolve(null));
    const jobs = linesWith("job");
    expect(jobs).toHaveLength(4);
    expect(jobs[0]).toMatchObject({ level: 30, job: "webhook relay", done: 3, outcome: "ok" });
    expect(jobs[0]?.durationMs).toEqual(expect.any(Number));
    expect(jobs[1]).toMatchObject({ level: 20, job: "webhook relay", outcome: "ok" });
    expect(jobs[2]).toMatchObject({ level: 50, job: "timer", timerId: "7", outcome: "error" });
    expect(JSON.stringify(jobs[2])).toContain("database went away");
    expect(jobs[3]).toMatchObject({ job: "outbox relay", requestId: "req-caused-it-0123", outcome: "ok" });
  });
});

describe("secrets never reach the log", () => {
  it("keeps API keys, bearer headers, sign-in links and message texts out of every line", async () => {
    const w = await createWorld(h);
    await h.tdb.db.agent.update({ where: { id: w.agentId }, data: { webhookUrl: receiverUrl, webhookSecret: newWebhookSecret() } });
    const messageText = "my card pin is 4242, please keep it secret";
    const forgedBearer = "hfk_deadbeef_0123456789abcdef0123456789abcdef01234567";

    // A refused key, a good key, a message text in the body, and the webhook that pushes it.
    expect((await call(h, forgedBearer, "GET", "/escrows")).status).toBe(401);
    expect((await call(h, w.key.key, "POST", `/conversations/${w.conversationId}/messages`, { json: { text: messageText } })).status).toBe(201);
    await w.customerApi.chat.send({ conversationId: w.conversationId, text: messageText });
    expect(await deliverDueWebhooks(h.tdb.db, allowLoopback)).toBeGreaterThan(0);

    // An error whose message quotes a header and a link (the last line of defence scrubs them).
    const link = "http://localhost:3000/api/auth/callback/email?callbackUrl=%2F&token=0a1b2c3d4e5f&email=a%40b.c";
    logInternalError("test", new Error(`upstream said: Authorization: Bearer ${w.key.key} for ${link}`));

    // A sign-in link outside demo mode, without SMTP: refused, and the line names no link.
    const e = { ...env(), NODE_ENV: "development" as const, HOLDFAST_DEMO: false, HOLDFAST_SMTP_URL: undefined };
    await expect(sendSignInLink(e, { to: "someone@example.com", url: link, expires: new Date() })).rejects.toThrow(/HOLDFAST_SMTP_URL/);

    // The development channel that stands in for email logs that it wrote, not what.
    await createLogChannel("email").send({ address: "someone@example.com", subject: "Your escrow", body: `${messageText} ${link}`, notificationId: "ntf_1" });

    // The lines are there (a test of absence must not pass on an empty log) …
    expect(linesWith("request").map((l) => l.status)).toEqual(expect.arrayContaining([401, 201]));
    expect(linesWith("webhook attempt").length).toBeGreaterThan(0);
    expect(linesWith("internal error")).toHaveLength(1);
    expect(lines.some((l) => String(l.msg).startsWith("sign-in mail not sent"))).toBe(true);
    expect(lines.some((l) => l.notificationId === "ntf_1")).toBe(true);
    // … and none of them holds a secret.
    const all = raw.join("");
    for (const secret of [w.key.key, forgedBearer, "0a1b2c3d4e5f", link, messageText, "someone@example.com", "card pin"]) {
      expect(all).not.toContain(secret);
    }
  });

  it("scrubs keys, bearer and basic credentials, webhook secrets, bot tokens and link tokens from free text", () => {
    const secret = newWebhookSecret();
    const text = `Bearer abc.def Basic dXNlcjpwYXNz hfk_ab12cd34_${"z".repeat(40)} ${secret} https://api.telegram.org/bot123456:AAbbCC-dd/sendMessage https://x/cb?token=t0k3n&x=1`;
    const scrubbed = scrubSecrets(text);
    for (const leaked of ["abc.def", "dXNlcjpwYXNz", "z".repeat(40), secret.slice(6), "AAbbCC-dd", "t0k3n"]) expect(scrubbed).not.toContain(leaked);
    expect(scrubbed).toContain("&x=1");
  });
});
