// The OpenAPI document: served without a key, structurally valid (every $ref
// resolves, every path parameter declared, schemas compile as JSON Schema
// 2020-12), listing every endpoint of PROTOCOL.md, and describing what the
// server really answers.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, startHarness, type Harness } from "~/test/agent-api-harness";

/** PROTOCOL.md's endpoint table, as method + path with parameters blanked. */
const PROTOCOL_ENDPOINTS = [
  "GET /me", "GET /services", "GET /conversations", "GET /conversations/{}/messages", "POST /artifacts",
  "POST /conversations/{}/messages", "POST /escrows", "GET /escrows", "GET /escrows/{}", "POST /escrows/{}/complete",
  "POST /escrows/{}/cancel", "POST /escrows/{}/dispute-response", "POST /escrows/{}/settlements",
  "POST /escrows/{}/settlements/{}/accept", "POST /escrows/{}/escalate", "POST /owner-alerts", "GET /events",
  "GET /openapi.json",
];

const blank = (p: string) => p.replace(/\{[^}]+\}/g, "{}");

let h: Harness;
let doc: Record<string, unknown>;
beforeAll(async () => {
  h = await startHarness();
  const response = await fetch(`${h.url}/api/agent/v1/openapi.json`);
  expect(response.status).toBe(200);
  doc = (await response.json()) as Record<string, unknown>;
});
afterAll(() => h.close());

type Json = Record<string, unknown>;
const operations = () =>
  Object.entries(doc.paths as Record<string, Json>).flatMap(([p, item]) =>
    Object.entries(item).map(([method, op]) => ({ path: p, method: method.toUpperCase(), op: op as Json })),
  );

describe("OpenAPI 3.1", () => {
  it("lists every PROTOCOL.md endpoint (and the table in the test is PROTOCOL.md's)", () => {
    const listed = new Set(operations().map((o) => `${o.method} ${blank(o.path)}`));
    for (const endpoint of PROTOCOL_ENDPOINTS) expect(listed, endpoint).toContain(endpoint);
    const protocolFile = path.resolve(process.cwd(), "../shared/PROTOCOL.md");
    if (existsSync(protocolFile)) {
      const table = [...readFileSync(protocolFile, "utf8").matchAll(/^\| `(GET|POST) ([^`?]+)(?:\?[^`]*)?`(?: · `(GET|POST) ([^`?]+)(?:\?[^`]*)?`)?/gm)];
      const fromProtocol = table.flatMap((m) => [`${m[1]} ${blank(m[2] ?? "")}`, ...(m[3] ? [`${m[3]} ${blank(m[4] ?? "")}`] : [])]);
      expect(new Set(fromProtocol)).toEqual(new Set(PROTOCOL_ENDPOINTS));
    }
  });

  it("is structurally valid", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect((doc.info as Json).title).toBeTruthy();
    const ids = operations().map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    const text = JSON.stringify(doc);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(schemas, name).toHaveProperty(name ?? "");
    expect(text).not.toContain("#/$defs/");
    for (const { path: p, op } of operations()) {
      const declared = ((op.parameters ?? []) as { name: string; in: string }[]).filter((x) => x.in === "path").map((x) => x.name);
      const inTemplate = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect(declared.sort(), p).toEqual(inTemplate.sort());
      expect(Object.keys(op.responses as Json).length).toBeGreaterThan(0);
    }
    // Every schema in the document compiles as JSON Schema 2020-12.
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: "doc", components: doc.components });
    for (const { op } of operations()) {
      for (const response of Object.values(op.responses as Record<string, { content?: Record<string, { schema: Json }> }>)) {
        for (const media of Object.values(response.content ?? {})) {
          expect(() => ajv.compile(JSON.parse(JSON.stringify(media.schema).replaceAll("#/components", "doc#/components")))).not.toThrow();
        }
      }
    }
  });

  it("names the MCP tool of each operation", () => {
    const tools = operations().map((o) => o.op["x-mcp-tool"]).filter(Boolean);
    expect(tools).toEqual(expect.arrayContaining([
      "whoami", "list_catalog", "upload_artifact", "send_message", "create_service", "list_my_services", "check_service",
      "complete_service", "cancel_service", "respond_to_dispute", "propose_settlement", "accept_settlement", "escalate",
      "notify_owner", "get_events",
    ]));
  });

  it("describes what the server answers", async () => {
    const w = await createWorld(h);
    const escrow = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo", amount: 100, currency: "USD" });
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: "doc", components: doc.components });
    const validate = ajv.compile({ $ref: "doc#/components/schemas/Escrow" });
    expect(validate(escrow), JSON.stringify(validate.errors)).toBe(true);
    const me = await w.client.me();
    const validateAgent = ajv.compile({ $ref: "doc#/components/schemas/Agent" });
    expect(validateAgent(me), JSON.stringify(validateAgent.errors)).toBe(true);
    expect(validateAgent({ ...me, status: "sleeping" })).toBe(false);
  });

  it("says an artifact contract always has all three keys, lists never null (PROTOCOL.md)", async () => {
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    const contract = schemas.ArtifactContract as { required: string[]; properties: Record<string, Json> };
    expect([...contract.required].sort()).toEqual(["json_schema", "kinds", "mime_types"]);
    expect(contract.properties.kinds).toMatchObject({ type: "array" });
    expect(contract.properties.mime_types).toMatchObject({ type: "array" });
    expect(JSON.stringify(schemas.Service)).toContain('"$ref":"#/components/schemas/ArtifactContract"');

    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: "doc", components: doc.components });
    const validate = ajv.compile({ $ref: "doc#/components/schemas/Service" });
    const w = await createWorld(h);
    for (const service of (await w.client.listServices()).data) expect(validate(service), JSON.stringify(validate.errors)).toBe(true);
    const base = { id: "svc_x", title: "T", description: "", price: 1, currency: "USD", delivery_in_hours: 1, active: true };
    expect(validate({ ...base, artifact_contract: null })).toBe(true);
    expect(validate({ ...base, artifact_contract: { kinds: [], mime_types: [], json_schema: null } })).toBe(true);
    // The shapes the issue saw are no longer what the document allows.
    expect(validate({ ...base, artifact_contract: { mime_types: ["image/png"] } })).toBe(false);
    expect(validate({ ...base, artifact_contract: { kinds: ["image"], mime_types: null, json_schema: null } })).toBe(false);
  });
});
