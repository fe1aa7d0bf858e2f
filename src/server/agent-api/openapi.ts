// The OpenAPI 3.1 document (GET /api/agent/v1/openapi.json), generated from
// the operation definitions and the protocol's object schemas, so it cannot
// drift from what the server runs.
import { z } from "zod";
import * as objects from "~/client/schemas";
import type { Operation } from "./operation";
import { OPERATIONS } from "./operations";
import { AGENT_API_PATH } from "~/client/schemas";

type Json = Record<string, unknown>;

const COMPONENT_SCHEMAS: Record<string, z.ZodType> = {
  Escrow: objects.EscrowSchema,
  Artifact: objects.ArtifactSchema,
  Message: objects.MessageSchema,
  Event: objects.EventSchema,
  Agent: objects.AgentSchema,
  Service: objects.ServiceSchema,
  ArtifactContract: objects.ArtifactContractSchema,
  Conversation: objects.ConversationSchema,
  PurchaseConversation: objects.PurchaseConversationSchema,
  Seller: objects.SellerSchema,
  Settlement: objects.SettlementSchema,
  Alert: objects.AlertSchema,
  Receipt: objects.ReceiptSchema,
  ReceiptChain: objects.ReceiptChainSchema,
  Attestation: objects.AttestationSchema,
  AttestResult: objects.AttestResultSchema,
  Error: objects.ErrorSchema,
};

const ref = (name: string) => `#/components/schemas/${name}`;

/** JSON Schema for OpenAPI: component refs, no $schema/$id, and open objects (the protocol only grows). */
function clean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(clean);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === "$schema" || key === "$id" || key === "$defs") continue;
    if (key === "additionalProperties" && value === false) continue;
    if (key === "$ref" && typeof value === "string") {
      out.$ref = value.replace(/^#\/\$defs\//, "#/components/schemas/");
      continue;
    }
    out[key] = clean(value);
  }
  return out;
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  return clean(z.toJSONSchema(schema, { io, unrepresentable: "any" })) as Json;
}

function componentSchemas(): Json {
  const out: Json = {};
  for (const [name, schema] of Object.entries(COMPONENT_SCHEMAS)) {
    // Convert without the id so the component is the object itself, not a ref to itself.
    const json = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Json;
    const defs = (json.$defs ?? {}) as Json;
    const self = defs[name] as Json | undefined;
    out[name] = clean(self ?? json);
  }
  return out;
}

function pathParams(op: Operation): string[] {
  return [...op.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] ?? "");
}

function bodyShape(op: Operation): Record<string, z.ZodType> {
  const skip = new Set([...pathParams(op), ...(op.query ?? [])]);
  const shape: Record<string, z.ZodType> = {};
  for (const [name, schema] of Object.entries(op.input.shape)) if (!skip.has(name)) shape[name] = schema as z.ZodType;
  return shape;
}

const ERRORS_BY_METHOD: Record<Operation["method"], number[]> = {
  GET: [400, 401, 404, 429],
  POST: [400, 401, 404, 409, 413, 422, 429],
};

function operationObject(op: Operation): Json {
  const parameters: Json[] = pathParams(op).map((name) => ({
    name,
    in: "path",
    required: true,
    schema: jsonSchema(op.input.shape[name] as z.ZodType, "input"),
  }));
  for (const name of op.query ?? []) {
    const schema = op.input.shape[name] as z.ZodType;
    parameters.push({ name, in: "query", required: !schema.safeParse(undefined).success, schema: jsonSchema(schema, "input") });
  }
  if (op.method === "POST") {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: "Repeat a POST safely: the same key and body replay the first answer (header Idempotent-Replayed: true).",
      schema: { type: "string", minLength: 1, maxLength: 255 },
    });
  }
  const responses: Json = {
    [String(op.response.status)]: op.restOnly
      ? { description: op.response.description, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } }
      : { description: op.response.description, content: { "application/json": { schema: jsonSchema(op.response.schema, "output") } } },
  };
  for (const status of ERRORS_BY_METHOD[op.method]) {
    responses[String(status)] = { description: `Error (${status})`, content: { "application/json": { schema: { $ref: ref("Error") } } } };
  }
  const operation: Json = {
    operationId: op.id,
    summary: op.summary,
    ...(op.tool ? { "x-mcp-tool": op.tool } : {}),
    parameters,
    responses,
  };
  if (op.method === "POST") {
    const body = jsonSchema(z.object(bodyShape(op)), "input");
    const content: Json = { "application/json": { schema: body } };
    if (op.multipart) {
      content["multipart/form-data"] = {
        schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" }, name: { type: "string" } } },
      };
    }
    operation.requestBody = { required: true, content };
  }
  return operation;
}

let cached: Json | null = null;

export function buildOpenApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) {
    const entry = (paths[op.path] ??= {});
    entry[op.method.toLowerCase()] = operationObject(op);
  }
  paths["/openapi.json"] = {
    get: {
      operationId: "getOpenApi",
      summary: "This contract as OpenAPI 3.1 (no auth).",
      security: [],
      responses: { "200": { description: "The OpenAPI document", content: { "application/json": { schema: { type: "object" } } } } },
    },
  };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Holdfast agent API",
      version: "1",
      description:
        "The contract between Holdfast and seller agents (PROTOCOL.md). The same operations are MCP tools at /api/mcp (x-mcp-tool names the tool).",
    },
    servers: [{ url: AGENT_API_PATH }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An agent API key" } },
      schemas: componentSchemas(),
    },
  };
  return cached;
}
