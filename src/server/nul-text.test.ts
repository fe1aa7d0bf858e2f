// Regression (issue 10 fuzzing): a NUL character in any input was a 500 from
// PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00"); now it is a
// validation error on both transports and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createWorld, dataSnapshot, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { firstNulPath, nulTextError } from "./nul-text";

let h: Harness;
let w: World;
beforeAll(async () => {
  h = await startHarness();
  w = await createWorld(h);
});
afterAll(() => h.close());

describe("NUL characters", () => {
  it("finds the first NUL in values and keys", () => {
    expect(firstNulPath({ a: "ok", b: ["x", "y\u0000"] })).toBe("b.1");
    expect(firstNulPath({ "k\u0000": 1 })).toBe("k\u0000");
    expect(firstNulPath("\u0000")).toBe("(body)");
    expect(firstNulPath({ a: 1, b: null, c: { d: "fine" } })).toBeNull();
  });

  it("agent API: 400 validation_error naming the field, nothing written", async () => {
    const before = await dataSnapshot(h);
    const message = await call(h, w.key.key, "POST", `/conversations/${w.conversationId}/messages`, { json: { text: "a\u0000b" } });
    expect(message.status).toBe(400);
    expect(message.body).toMatchObject({ error: { code: "validation_error", details: [{ path: "text" }] } });
    const data = await call(h, w.key.key, "POST", "/artifacts", { json: { kind: "data", name: "x", data: { k: "v\u0000" } } });
    expect(data.body).toMatchObject({ error: { code: "validation_error", details: [{ path: "data.k" }] } });
    const read = await call(h, w.key.key, "GET", "/escrows/a%00b");
    expect(read.status).toBe(400);
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("web (tRPC): BAD_REQUEST with appCode validation_error, nothing written", async () => {
    const before = await dataSnapshot(h);
    await expect(w.customerApi.chat.send({ conversationId: w.conversationId, text: "x\u0000y" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("NUL") as unknown,
    });
    expect(await dataSnapshot(h)).toBe(before);
  });
});

// Round three (issue 16 variants): JSON "\ud800" is a lone UTF-16 surrogate, not a character. In a
// data artifact or a customer's chat message it reached jsonb (a 500); in a text column it was silently
// stored as U+FFFD (a 201 for text that was not what the caller sent). Now it is refused like a NUL.
describe("lone surrogates", () => {
  it("finds a lone surrogate in values and keys, and lets a pair (an emoji) through", () => {
    expect(nulTextError({ a: "🙂 ok", b: ["x", "y\ud800"] })).toMatchObject({ status: 400, details: [{ path: "b.1" }] });
    expect(nulTextError({ a: "\udfff" })).toMatchObject({ details: [{ path: "a" }] });
    expect(nulTextError({ "k\udc00": 1 })).toMatchObject({ details: [{ path: "k\udc00" }] });
    expect(nulTextError({ a: "🙂👩‍👩‍👧", b: "\ud83d\ude42" })).toBeNull();
  });

  it("agent API: 400 validation_error naming the field, nothing written (a data artifact was a 500)", async () => {
    const before = await dataSnapshot(h);
    const attempts = [
      ["POST", "/artifacts", { kind: "data", name: "x", data: { k: "v\ud800" } }, "data.k"],
      ["POST", `/conversations/${w.conversationId}/messages`, { text: "hi \ud800" }, "text"],
      ["POST", "/escrows", { conversation_id: w.conversationId, title: "T \udc00", description: "d", amount: 100, currency: "USD" }, "title"],
      ["POST", "/owner-alerts", { reason: "other", title: "x", message: "m\ud800", severity: "info" }, "message"],
    ] as const;
    for (const [method, path, json, field] of attempts) {
      const response = await call(h, w.key.key, method, path, { json });
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body).toMatchObject({ error: { code: "validation_error", details: [{ path: field, message: expect.stringContaining("lone surrogate") as unknown }] } });
    }
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("web (tRPC): BAD_REQUEST, nothing written (a chat message was a 500)", async () => {
    const before = await dataSnapshot(h);
    await expect(w.customerApi.chat.send({ conversationId: w.conversationId, text: "hi \ud800" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("lone surrogate") as unknown,
    });
    expect(await dataSnapshot(h)).toBe(before);
  });
});

// Round three: `{"__proto__": …}` in a data artifact was stored without that key and answered 201.
describe("the key __proto__", () => {
  it("is refused wherever it appears, as a key only", () => {
    expect(nulTextError(JSON.parse('{"data":{"a":{"__proto__":{"x":1}}}}'))).toMatchObject({ details: [{ path: "data.a.__proto__" }] });
    expect(nulTextError({ data: { note: "__proto__", constructor: { prototype: 1 } } })).toBeNull();
  });

  it("agent API: a data artifact holding it is 400 naming the key, nothing written", async () => {
    const before = await dataSnapshot(h);
    const r = await call(h, w.key.key, "POST", "/artifacts", { json: '{"kind":"data","name":"x","data":{"ok":1,"__proto__":{"polluted":true}}}' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: "validation_error", details: [{ path: "data.__proto__", message: expect.stringContaining("__proto__") as unknown }] } });
    expect(await dataSnapshot(h)).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// Round three: a BEL, an ESC sequence or a C1 control in a message or a reason was stored and shown.
describe("control characters in text", () => {
  it("are refused in text fields but tab, LF and CR pass, and a data document keeps its own", () => {
    expect(nulTextError({ text: "ring\u0007" })).toMatchObject({ details: [{ path: "text", message: expect.stringContaining("control characters") as unknown }] });
    expect(nulTextError({ reason: "\u001b[2Jcleared" })).toMatchObject({ details: [{ path: "reason" }] });
    expect(nulTextError({ note: "c1\u0085" })).toMatchObject({ details: [{ path: "note" }] });
    expect(nulTextError({ list: ["ok", "del\u007f"] })).toMatchObject({ details: [{ path: "list.1" }] });
    expect(nulTextError({ "k\u0007": 1 })).toMatchObject({ details: [{ path: "k\u0007" }] });
    expect(nulTextError({ text: "line one\r\nline two\tcolumn" })).toBeNull();
    expect(nulTextError({ data: { raw: "\u0007\u001b" }, artifactContract: { json_schema: { pattern: "\u0001" } } })).toBeNull();
    expect(nulTextError({ data: { raw: "\u0000" } })).toMatchObject({ details: [{ path: "data.raw" }] });
    expect(nulTextError({ nested: { data: "\u0007" } })).toMatchObject({ details: [{ path: "nested.data" }] });
  });

  it("agent API and tRPC: 400 naming the field, nothing written; a data artifact may hold them", async () => {
    const before = await dataSnapshot(h);
    const message = await call(h, w.key.key, "POST", `/conversations/${w.conversationId}/messages`, { json: { text: "ring\u0007" } });
    expect(message.status).toBe(400);
    expect(message.body).toMatchObject({ error: { code: "validation_error", details: [{ path: "text" }] } });
    const alert = await call(h, w.key.key, "POST", "/owner-alerts", { json: { reason: "other", title: "t", message: "\u001b[31mred", severity: "info" } });
    expect(alert.status).toBe(400);
    await expect(w.customerApi.chat.send({ conversationId: w.conversationId, text: "back\u0008space" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await dataSnapshot(h)).toBe(before);
    const data = await call(h, w.key.key, "POST", "/artifacts", { json: { kind: "data", name: "raw.json", data: { bytes: "\u0007\u001b" } } });
    expect(data.status).toBe(201);
  });
});
