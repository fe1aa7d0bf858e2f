// Issue 16 item 1: an owner's JSON Schema cannot freeze the server. Contracts are saved through the
// owner console's procedure (the real save path), deliveries go through the agent API's `complete`
// over real HTTP on a real database. Patterns run on a linear-time engine, so the ReDoS
// example answers at once; what that engine cannot run, and schemas too big or too deep, are refused
// at save time with the path named and nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_SCHEMA_BYTES, MAX_JSON_SCHEMA_DEPTH } from "~/domain/escrow/json-schema-rules";
import { newId } from "../ids";
import { callerFor } from "../api/root";
import { createWorld, expectApiError, startHarness, type Harness, type World } from "~/test/agent-api-harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.close());

async function saveDataService(w: World, jsonSchema: unknown) {
  const owner = callerFor(h.deps.engine, w.owner);
  return owner.owner.saveService({
    agentId: w.agentId,
    title: "Structured answer",
    price: 1_000,
    deliveryInHours: 24,
    artifactContract: { kinds: ["data"], json_schema: jsonSchema },
  });
}

/** Offer the service, fund it, send one data artifact; returns the escrow id. */
async function fundAndSend(w: World, serviceId: string, data: Record<string, unknown>): Promise<string> {
  const offer = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Answer", amount: 1_000, currency: "USD", service_id: serviceId });
  await w.customerApi.escrow.accept({ escrowId: offer.id });
  const artifact = await w.client.uploadData({ name: "answer.json", data });
  await w.client.sendMessage(w.conversationId, { text: "Here it is.", artifact_ids: [artifact.id], escrow_id: offer.id });
  return offer.id;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

describe("ReDoS through an owner's JSON Schema", () => {
  it("answers the issue's example (^(a|a)+$ against 30+ a's and a '!') at once, and still enforces the pattern", async () => {
    const w = await createWorld(h);
    const { serviceId } = await saveDataService(w, { type: "object", properties: { x: { type: "string", pattern: "^(a|a)+$" } } });

    const escrowId = await fundAndSend(w, serviceId, { x: `${"a".repeat(34)}!` });
    const { value: error, ms } = await timed(() => expectApiError(w.client.complete(escrowId), 422, "artifact_contract_unmet"));
    expect(error.message).toMatch(/must match pattern/);
    expect(ms).toBeLessThan(2_000);
    // The server stayed responsive, and a matching delivery completes.
    const artifact = await w.client.uploadData({ name: "ok.json", data: { x: "a".repeat(34) } });
    await w.client.sendMessage(w.conversationId, { text: "Fixed.", artifact_ids: [artifact.id], escrow_id: escrowId });
    expect((await w.client.complete(escrowId)).status).toBe("delivered");
  });

  it("answers nested-quantifier patterns in patternProperties and deep in the schema at once", async () => {
    const w = await createWorld(h);
    const { serviceId } = await saveDataService(w, {
      type: "object",
      patternProperties: { "^(a+)+$": { type: "number" } },
      properties: { items: { type: "array", items: { anyOf: [{ type: "string", pattern: "^(\\w+\\s?)*$" }] } } },
    });
    const hostile = `${"a".repeat(40)}!`;
    const escrowId = await fundAndSend(w, serviceId, { [hostile]: 1, items: [`${"word ".repeat(20)}!`] });
    const { ms } = await timed(() => expectApiError(w.client.complete(escrowId), 422, "artifact_contract_unmet"));
    expect(ms).toBeLessThan(2_000);
  });

  it("refuses at once data that would cost too much to check against a wide schema (no long validation)", async () => {
    const w = await createWorld(h);
    const branches = [...Array.from({ length: 899 }, () => ({ type: "string" })), { type: "number" }];
    const { serviceId } = await saveDataService(w, { type: "object", properties: { n: { type: "array", items: { anyOf: branches } } } });
    const escrowId = await fundAndSend(w, serviceId, { n: Array.from({ length: 15_000 }, () => 0) });
    const { value: error, ms } = await timed(() => expectApiError(w.client.complete(escrowId), 422, "artifact_contract_unmet"));
    expect(error.message).toMatch(/too large to check/);
    expect(ms).toBeLessThan(2_000);
  });

  it("treats a hostile schema stored before these rules as unusable (notify the owner), at once", async () => {
    const w = await createWorld(h);
    const serviceId = newId("svc");
    await h.tdb.db.service.create({
      data: {
        id: serviceId,
        agentId: w.agentId,
        title: "Old contract",
        priceMinor: 1_000n,
        currency: "USD",
        deliveryInHours: 24,
        artifactContract: { kinds: ["data"], json_schema: { properties: { x: { pattern: "^(a|a)+(?=!)" } } } },
      },
    });
    const escrowId = await fundAndSend(w, serviceId, { x: `${"a".repeat(34)}!` });
    const { value: error, ms } = await timed(() => expectApiError(w.client.complete(escrowId), 422, "artifact_contract_unmet"));
    expect(error.message).toMatch(/notify your owner/);
    expect(ms).toBeLessThan(2_000);
  });
});

describe("saving a schema the engine could not bound", () => {
  const deep = (levels: number) => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < levels; i++) schema = { type: "object", properties: { x: schema } };
    return schema;
  };
  const chain: Record<string, unknown> = { d0: { type: "string" } };
  for (let i = 1; i <= 25; i++) chain[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };

  it.each([
    ["a backreference", { properties: { code: { type: "string", pattern: "^(a+)\\1$" } } }, /json_schema\/properties\/code\/pattern .*backreferences/],
    ["a named backreference", { properties: { code: { pattern: "^(?<x>a+)\\k<x>$" } } }, /json_schema\/properties\/code\/pattern .*backreferences/],
    ["a lookahead in patternProperties", { patternProperties: { "^(?=a)": {} } }, /json_schema\/patternProperties\/\^\(\?=a\).*lookahead/],
    // deep(n) is 2n + 1 JSON levels: one past the schema bound, well inside the transport's JSON depth
    // limit (64), so the schema rule itself answers.
    ["a schema nested too deep", deep(MAX_JSON_SCHEMA_DEPTH / 2), new RegExp(`json_schema is nested more than ${MAX_JSON_SCHEMA_DEPTH} levels`)],
    // Far deeper, the transport's JSON depth limit refuses the request before any rule runs.
    ["a schema nested far too deep", deep(MAX_JSON_SCHEMA_DEPTH * 2), /nested/],
    ["a schema too large", { description: "x".repeat(MAX_JSON_SCHEMA_BYTES) }, new RegExp(`at most ${MAX_JSON_SCHEMA_BYTES} bytes`)],
    ["an exponential $ref chain", { $defs: chain, $ref: "#/$defs/d25" }, /subschemas once its \$refs are followed/],
    ["a recursive $ref", { properties: { child: { $ref: "#" } } }, /recursive \$ref/],
    ["uniqueItems without maxItems", { type: "array", uniqueItems: true }, /uniqueItems needs "maxItems"/],
  ])("refuses %s with the path named and nothing written", async (_, schema, message) => {
    const w = await createWorld(h);
    const before = await h.tdb.db.service.count();
    await expect(saveDataService(w, schema)).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(message) });
    expect(await h.tdb.db.service.count()).toBe(before);
  });

  it("refuses an edit to a hostile schema and keeps the stored contract", async () => {
    const w = await createWorld(h);
    const { serviceId } = await saveDataService(w, { properties: { x: { pattern: "^a+$" } } });
    const stored = await h.tdb.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    const owner = callerFor(h.deps.engine, w.owner);
    await expect(
      owner.owner.saveService({
        agentId: w.agentId,
        serviceId,
        title: "Changed",
        price: 1_000,
        deliveryInHours: 24,
        artifactContract: { kinds: ["data"], json_schema: { properties: { x: { pattern: "(a)\\1" } } } },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await h.tdb.db.service.findUniqueOrThrow({ where: { id: serviceId } })).toEqual(stored);
  });
});

describe("other patterns over what strangers send", () => {
  it("reads an upload of repeated XML comments at once (the SVG sniffing no longer backtracks)", async () => {
    const w = await createWorld(h);
    const text = `${"<!---->".repeat(200)}x`;
    const { value: artifact, ms } = await timed(() =>
      w.client.uploadFile({ name: "comments.svg", bytes: new TextEncoder().encode(text), contentType: "image/svg+xml" }),
    );
    expect(artifact).toMatchObject({ kind: "file", mime_type: "text/plain" });
    expect(ms).toBeLessThan(2_000);
  });
});
