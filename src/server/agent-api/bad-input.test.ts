// Hostile and malformed input over real HTTP: every endpoint answers a clear
// 4xx with PROTOCOL's error shape, never a 5xx, and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createWorld, dataSnapshot, ELF_BYTES, PNG_BYTES, startHarness, TEST_SETTINGS, type Harness, type World } from "~/test/agent-api-harness";

let h: Harness;
let w: World;
let activeEscrowId: string;
let negotiatingEscrowId: string;

beforeAll(async () => {
  h = await startHarness();
  w = await createWorld(h);
  const active = await w.client.createEscrow({ conversation_id: w.conversationId, title: "A", amount: 2_000, currency: "USD" });
  await w.customerApi.escrow.accept({ escrowId: active.id });
  activeEscrowId = active.id;
  const n = await w.client.createEscrow({ conversation_id: w.conversationId, title: "N", amount: 2_000, currency: "USD" });
  await w.customerApi.escrow.accept({ escrowId: n.id });
  const art = await w.client.uploadFile({ name: "a.png", bytes: PNG_BYTES });
  await w.client.sendMessage(w.conversationId, { text: "done", artifact_ids: [art.id], escrow_id: n.id });
  await w.client.complete(n.id);
  await w.customerApi.escrow.dispute({ escrowId: n.id, reason: "no" });
  await w.client.defend(n.id, "yes");
  negotiatingEscrowId = n.id;
});
afterAll(() => h.close());

interface Case {
  name: string;
  method: "GET" | "POST";
  path: () => string;
  json?: unknown | (() => unknown);
  body?: () => BodyInit;
  headers?: Record<string, string>;
  status: number;
  code: string;
  detailPath?: string;
}

const offer = (overrides: Record<string, unknown>) => ({
  conversation_id: w.conversationId, title: "Logo", amount: 100, currency: "USD", ...overrides,
});

function multipart(name: string, bytes: Uint8Array, type = "image/png"): FormData {
  const form = new FormData();
  form.set("file", new Blob([Buffer.from(bytes)], { type }), name);
  return form;
}

const CASES: Case[] = [
  // POST /escrows
  { name: "offer: empty body", method: "POST", path: () => "/escrows", json: {}, status: 400, code: "validation_error", detailPath: "title" },
  { name: "offer: not JSON", method: "POST", path: () => "/escrows", json: "{not json", status: 400, code: "validation_error" },
  { name: "offer: a JSON array", method: "POST", path: () => "/escrows", json: [1, 2], status: 400, code: "validation_error" },
  { name: "offer: amount as a string", method: "POST", path: () => "/escrows", json: () => offer({ amount: "100" }), status: 400, code: "validation_error", detailPath: "amount" },
  { name: "offer: negative amount", method: "POST", path: () => "/escrows", json: () => offer({ amount: -100 }), status: 400, code: "validation_error", detailPath: "amount" },
  { name: "offer: zero amount", method: "POST", path: () => "/escrows", json: () => offer({ amount: 0 }), status: 400, code: "validation_error", detailPath: "amount" },
  { name: "offer: fractional amount", method: "POST", path: () => "/escrows", json: () => offer({ amount: 10.5 }), status: 400, code: "validation_error", detailPath: "amount" },
  { name: "offer: amount above 2^53 − 1", method: "POST", path: () => "/escrows", json: () => offer({ amount: 2 ** 53 }), status: 400, code: "validation_error", detailPath: "amount" },
  { name: "offer: huge amount as a bare number", method: "POST", path: () => "/escrows", json: `{"conversation_id":"x","title":"t","amount":1e400,"currency":"USD"}`, status: 404, code: "not_found" },
  { name: "offer: 1e400 in the JSON text", method: "POST", path: () => "/escrows", json: () => `{"conversation_id":"${w.conversationId}","title":"t","amount":1e400,"currency":"USD"}`, status: 400, code: "validation_error", detailPath: "amount" },
  { name: "offer: lower-case currency", method: "POST", path: () => "/escrows", json: () => offer({ currency: "usd" }), status: 400, code: "validation_error", detailPath: "currency" },
  { name: "offer: currency not enabled (EUR on a USD-only deployment)", method: "POST", path: () => "/escrows", json: () => offer({ currency: "EUR" }), status: 400, code: "validation_error", detailPath: "currency" },
  { name: "offer: three letters that are no currency", method: "POST", path: () => "/escrows", json: () => offer({ currency: "ZZZ" }), status: 400, code: "validation_error", detailPath: "currency" },
  { name: "offer: a metal, not money (XAU)", method: "POST", path: () => "/escrows", json: () => offer({ currency: "XAU" }), status: 400, code: "validation_error", detailPath: "currency" },
  { name: "offer: blank title", method: "POST", path: () => "/escrows", json: () => offer({ title: "   " }), status: 400, code: "validation_error", detailPath: "title" },
  { name: "offer: delivery_in_hours 0", method: "POST", path: () => "/escrows", json: () => offer({ delivery_in_hours: 0 }), status: 400, code: "validation_error", detailPath: "delivery_in_hours" },
  { name: "offer: valid but above the tier limit", method: "POST", path: () => "/escrows", json: () => offer({ amount: 9_000_000 }), status: 422, code: "amount_out_of_range" },
  { name: "offer: oversized body", method: "POST", path: () => "/escrows", json: () => offer({ description: "x".repeat(TEST_SETTINGS.maxJsonBodyBytes + 10) }), status: 413, code: "payload_too_large" },
  { name: "offer: Idempotency-Key too long", method: "POST", path: () => "/escrows", json: () => offer({}), headers: { "idempotency-key": "k".repeat(256) }, status: 400, code: "validation_error" },
  // POST messages
  { name: "message: text is a number", method: "POST", path: () => `/conversations/${w.conversationId}/messages`, json: { text: 5 }, status: 400, code: "validation_error", detailPath: "text" },
  { name: "message: empty", method: "POST", path: () => `/conversations/${w.conversationId}/messages`, json: {}, status: 400, code: "validation_error" },
  { name: "message: artifact_ids not a list", method: "POST", path: () => `/conversations/${w.conversationId}/messages`, json: { text: "x", artifact_ids: "art_1" }, status: 400, code: "validation_error", detailPath: "artifact_ids" },
  { name: "message: text too long", method: "POST", path: () => `/conversations/${w.conversationId}/messages`, json: { text: "x".repeat(20_001) }, status: 400, code: "validation_error", detailPath: "text" },
  // POST /artifacts
  { name: "artifact: empty body", method: "POST", path: () => "/artifacts", json: {}, status: 400, code: "validation_error", detailPath: "name" },
  { name: "artifact: data without data", method: "POST", path: () => "/artifacts", json: { kind: "data", name: "r.json" }, status: 400, code: "validation_error", detailPath: "data" },
  { name: "artifact: data is a string", method: "POST", path: () => "/artifacts", json: { kind: "data", name: "r.json", data: "text" }, status: 400, code: "validation_error", detailPath: "data" },
  { name: "artifact: bad base64", method: "POST", path: () => "/artifacts", json: { name: "x.png", content_base64: "!!!!" }, status: 400, code: "validation_error", detailPath: "content_base64" },
  { name: "artifact: executable renamed .png (multipart)", method: "POST", path: () => "/artifacts", body: () => multipart("logo.png", ELF_BYTES), status: 400, code: "validation_error", detailPath: "file" },
  { name: "artifact: executable renamed .png (base64)", method: "POST", path: () => "/artifacts", json: { name: "logo.png", content_base64: Buffer.from(ELF_BYTES).toString("base64") }, status: 400, code: "validation_error", detailPath: "file" },
  { name: "artifact: a script renamed .png", method: "POST", path: () => "/artifacts", body: () => multipart("logo.png", new TextEncoder().encode("#!/bin/sh\nrm -rf /\n")), status: 400, code: "validation_error", detailPath: "file" },
  { name: "artifact: empty file", method: "POST", path: () => "/artifacts", body: () => multipart("logo.png", new Uint8Array()), status: 400, code: "validation_error", detailPath: "file" },
  { name: "artifact: multipart without a file part", method: "POST", path: () => "/artifacts", body: () => { const f = new FormData(); f.set("name", "x"); return f; }, status: 400, code: "validation_error" },
  { name: "artifact: file over the limit", method: "POST", path: () => "/artifacts", body: () => multipart("big.png", new Uint8Array(TEST_SETTINGS.maxArtifactBytes + 1).fill(7)), status: 413, code: "payload_too_large" },
  { name: "artifact: data over the limit", method: "POST", path: () => "/artifacts", json: { kind: "data", name: "big.json", data: { x: "y".repeat(TEST_SETTINGS.maxArtifactBytes) } }, status: 413, code: "payload_too_large" },
  // Escrow commands
  { name: "settlement: negative refund (any state)", method: "POST", path: () => `/escrows/${activeEscrowId}/settlements`, json: { refund_amount: -1 }, status: 400, code: "validation_error", detailPath: "refund_amount" },
  { name: "settlement: refund as a string", method: "POST", path: () => `/escrows/${negotiatingEscrowId}/settlements`, json: { refund_amount: "5" }, status: 400, code: "validation_error", detailPath: "refund_amount" },
  { name: "settlement: missing refund", method: "POST", path: () => `/escrows/${negotiatingEscrowId}/settlements`, json: {}, status: 400, code: "validation_error", detailPath: "refund_amount" },
  { name: "settlement: huge refund", method: "POST", path: () => `/escrows/${negotiatingEscrowId}/settlements`, json: { refund_amount: 2 ** 60 }, status: 400, code: "validation_error", detailPath: "refund_amount" },
  { name: "settlement: in range but not in negotiating", method: "POST", path: () => `/escrows/${activeEscrowId}/settlements`, json: { refund_amount: 100 }, status: 409, code: "invalid_transition" },
  { name: "settlement: well-formed, out of range, negotiating", method: "POST", path: () => `/escrows/${negotiatingEscrowId}/settlements`, json: { refund_amount: 2_000 }, status: 422, code: "amount_out_of_range" },
  { name: "accept settlement: unknown id", method: "POST", path: () => `/escrows/${negotiatingEscrowId}/settlements/stl_nope/accept`, json: {}, status: 404, code: "not_found" },
  { name: "dispute response: no action", method: "POST", path: () => `/escrows/${negotiatingEscrowId}/dispute-response`, json: {}, status: 400, code: "validation_error", detailPath: "action" },
  { name: "dispute response: unknown action", method: "POST", path: () => `/escrows/${negotiatingEscrowId}/dispute-response`, json: { action: "maybe" }, status: 400, code: "validation_error", detailPath: "action" },
  { name: "dispute response: message not text", method: "POST", path: () => `/escrows/${negotiatingEscrowId}/dispute-response`, json: { action: "defend", message: 42 }, status: 400, code: "validation_error", detailPath: "message" },
  { name: "cancel: reason not text", method: "POST", path: () => `/escrows/${activeEscrowId}/cancel`, json: { reason: ["no"] }, status: 400, code: "validation_error", detailPath: "reason" },
  { name: "complete: unknown escrow", method: "POST", path: () => "/escrows/ZZZZZZ/complete", json: {}, status: 404, code: "not_found" },
  { name: "escalate: not negotiating", method: "POST", path: () => `/escrows/${activeEscrowId}/escalate`, json: {}, status: 409, code: "invalid_transition" },
  // Owner alerts
  { name: "alert: unknown reason", method: "POST", path: () => "/owner-alerts", json: { reason: "bored", title: "t", message: "m" }, status: 400, code: "validation_error", detailPath: "reason" },
  { name: "alert: missing title", method: "POST", path: () => "/owner-alerts", json: { reason: "other", message: "m" }, status: 400, code: "validation_error", detailPath: "title" },
  { name: "alert: bad severity", method: "POST", path: () => "/owner-alerts", json: { reason: "other", title: "t", message: "m", severity: "panic" }, status: 400, code: "validation_error", detailPath: "severity" },
  // Reads
  { name: "events: wait above 30", method: "GET", path: () => "/events?wait=31", status: 400, code: "validation_error", detailPath: "wait" },
  { name: "events: wait not a number", method: "GET", path: () => "/events?wait=soon", status: 400, code: "validation_error", detailPath: "wait" },
  { name: "events: bad cursor", method: "GET", path: () => "/events?after=abc", status: 400, code: "validation_error", detailPath: "after" },
  { name: "escrows: unknown status", method: "GET", path: () => "/escrows?status=lost", status: 400, code: "validation_error", detailPath: "status" },
  { name: "escrows: limit 0", method: "GET", path: () => "/escrows?limit=0", status: 400, code: "validation_error", detailPath: "limit" },
  { name: "escrows: limit 201", method: "GET", path: () => "/escrows?limit=201", status: 400, code: "validation_error", detailPath: "limit" },
  { name: "conversations: forged cursor", method: "GET", path: () => "/conversations?after=Zm9v", status: 400, code: "validation_error", detailPath: "after" },
  { name: "messages: bad cursor", method: "GET", path: () => `/conversations/${w.conversationId}/messages?after=x1`, status: 400, code: "validation_error", detailPath: "after" },
  { name: "unknown endpoint", method: "GET", path: () => "/nothing-here", status: 404, code: "not_found" },
  { name: "wrong method", method: "POST", path: () => "/me", json: {}, status: 405, code: "method_not_allowed" },
];

describe("bad input", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s → a clear 4xx, nothing written", async (_name, c) => {
    const before = await dataSnapshot(h);
    const response = await call(h, w.key.key, c.method, c.path(), {
      ...(c.json !== undefined ? { json: typeof c.json === "function" ? (c.json as () => unknown)() : c.json } : {}),
      ...(c.body ? { body: c.body() } : {}),
      ...(c.headers ? { headers: c.headers } : {}),
    });
    const error = (response.body as { error?: { code: string; message: string; details?: { path: string }[] } }).error;
    expect({ status: response.status, code: error?.code }).toEqual({ status: c.status, code: c.code });
    expect(error?.message.length).toBeGreaterThan(10);
    if (c.detailPath) expect(error?.details?.map((d) => d.path)).toContain(c.detailPath);
    expect(await dataSnapshot(h)).toBe(before);
  });
});
