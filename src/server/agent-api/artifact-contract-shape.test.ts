// Issue 16 item 21: `artifact_contract` has one shape wherever it is shown (PROTOCOL.md "Service"):
// null, or all three keys — `kinds` and `mime_types` always lists (empty = no constraint), `json_schema`
// an object or null — whether the contract was saved from the owner console, by the seed, or stored
// by older code with missing keys or null lists. Read raw over HTTP, and through MCP.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../../prisma/seed";
import { callerFor } from "../api/root";
import { issueAgentApiKey } from "../auth/api-keys";
import { newId } from "../ids";
import { call, createWorld, startHarness, type Harness, type World } from "~/test/agent-api-harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.close());

type ServiceJson = { id: string; artifact_contract: unknown };

async function rawServices(key: string): Promise<ServiceJson[]> {
  const response = await call(h, key, "GET", "/services?limit=200");
  expect(response.status).toBe(200);
  return (response.body as { data: ServiceJson[] }).data;
}

async function contractOf(w: World, serviceId: string): Promise<unknown> {
  return (await rawServices(w.key.key)).find((s) => s.id === serviceId)?.artifact_contract;
}

/** Every contract is null or exactly the three keys with the documented types. */
function expectProtocolShape(contract: unknown) {
  if (contract === null) return;
  expect(Object.keys(contract as object).sort()).toEqual(["json_schema", "kinds", "mime_types"]);
  const c = contract as Record<string, unknown>;
  expect(Array.isArray(c.kinds)).toBe(true);
  expect(Array.isArray(c.mime_types)).toBe(true);
  expect(c.json_schema === null || (typeof c.json_schema === "object" && !Array.isArray(c.json_schema))).toBe(true);
}

async function saveFromConsole(w: World, artifactContract: unknown): Promise<string> {
  const owner = callerFor(h.deps.engine, w.owner);
  const { serviceId } = await owner.owner.saveService({ agentId: w.agentId, title: "Console service", price: 900, deliveryInHours: 12, artifactContract });
  return serviceId;
}

describe("artifact_contract in GET /services", () => {
  it("gives all three keys for contracts saved from the owner console, however partial the form was", async () => {
    const w = await createWorld(h, { contract: null });
    const cases: [unknown, unknown][] = [
      [{ mime_types: ["image/png"] }, { kinds: [], mime_types: ["image/png"], json_schema: null }],
      [{ kinds: ["image"], mime_types: null, json_schema: null }, { kinds: ["image"], mime_types: [], json_schema: null }],
      [
        { kinds: ["data"], json_schema: { type: "object", required: ["summary"] } },
        { kinds: ["data"], mime_types: [], json_schema: { type: "object", required: ["summary"] } },
      ],
      [null, null],
    ];
    for (const [saved, shown] of cases) {
      const serviceId = await saveFromConsole(w, saved);
      expect(await contractOf(w, serviceId)).toStrictEqual(shown);
      // Stored in the same shape it is shown in.
      expect((await h.tdb.db.service.findUniqueOrThrow({ where: { id: serviceId } })).artifactContract).toStrictEqual(shown);
    }
  });

  it("gives the same shape for the seeded demo catalogs", async () => {
    await seedDemoData(h.tdb.url);
    const key = await issueAgentApiKey(h.tdb.db, "agt_demopixelforge", "test");
    const services = await rawServices(key.key);
    expect(services.length).toBeGreaterThan(0);
    for (const service of services) expectProtocolShape(service.artifact_contract);
    expect(services.find((s) => s.id === "svc_demoicons")?.artifact_contract).toStrictEqual({ kinds: ["image"], mime_types: [], json_schema: null });
    expect(services.find((s) => s.id === "svc_demologo")?.artifact_contract).toStrictEqual({
      kinds: ["image"],
      mime_types: ["image/png", "image/svg+xml"],
      json_schema: null,
    });
  });

  it("normalizes contracts stored by older code (missing keys, null lists)", async () => {
    const w = await createWorld(h, { contract: null });
    const stored: [unknown, unknown][] = [
      [{ kinds: ["image"], mime_types: null, json_schema: null }, { kinds: ["image"], mime_types: [], json_schema: null }],
      [{ mime_types: ["image/png"] }, { kinds: [], mime_types: ["image/png"], json_schema: null }],
      [{}, { kinds: [], mime_types: [], json_schema: null }],
    ];
    for (const [raw, shown] of stored) {
      const serviceId = newId("svc");
      await h.tdb.db.service.create({
        data: { id: serviceId, agentId: w.agentId, title: "Old", priceMinor: 100n, currency: "USD", deliveryInHours: 1, artifactContract: raw as object },
      });
      expect(await contractOf(w, serviceId)).toStrictEqual(shown);
    }
  });

  it("answers the same shape through MCP's list_catalog", async () => {
    const w = await createWorld(h, { contract: null });
    const serviceId = await saveFromConsole(w, { mime_types: ["audio/*"] });
    const client = new Client({ name: "shape-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${h.url}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${w.key.key}` } } }),
    );
    try {
      const result = await client.callTool({ name: "list_catalog", arguments: {} });
      const body = JSON.parse((result.content as { text: string }[])[0]?.text ?? "null") as { data: ServiceJson[] };
      expect(body.data.find((s) => s.id === serviceId)?.artifact_contract).toStrictEqual({ kinds: [], mime_types: ["audio/*"], json_schema: null });
    } finally {
      await client.close();
    }
  });
});
