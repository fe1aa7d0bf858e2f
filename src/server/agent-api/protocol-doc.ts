// The parts of docs/PROTOCOL.md that the code already knows, rendered as Markdown: the endpoints and
// their MCP tools (from the operation list), the objects (from the OpenAPI document the server
// publishes, itself built from the zod schemas), the error codes with their HTTP status (from the
// domain's rejections and the service errors), and the lifecycle's event types (from the transition
// table). `npm run docs:generate` pastes them between markers; scripts/docs.test.ts fails when stale.
import { REJECTIONS } from "~/domain/escrow/errors";
import { TRANSITIONS } from "~/domain/escrow/transitions";
import { SERVICE_ERROR_STATUS } from "../errors";
import { toolsRunning } from "./mcp";
import { buildOpenApiDocument } from "./openapi";
import { OPERATIONS } from "./operations";

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  $ref?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
};

/** A table row; pipes inside cells are escaped so a summary cannot break the table. */
function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll("|", "\\|").replaceAll("\n", " ")).join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly string[][]): string {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n") + "\n";
}

export function endpointsMarkdown(): string {
  const rows = OPERATIONS.map((op) => {
    const tools = toolsRunning(op);
    return [`\`${op.method} ${op.path}\``, tools.length > 0 ? tools.map((t) => `\`${t}\``).join(", ") : "—", op.summary];
  });
  rows.push(["`GET /openapi.json`", "—", "This contract as OpenAPI 3.1 (no auth)."]);
  return table(["method and path", "tool name (MCP)", "what it does"], rows);
}

function typeOf(schema: JsonSchema): string {
  if (schema.$ref) return schema.$ref.split("/").pop() ?? "object";
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(" | ");
  if (schema.enum) return schema.enum.map((value) => (value === null ? "null" : `\`${String(value)}\``)).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return "any";
  return types
    .map((type) => {
      if (type === "array") {
        const item = schema.items ? typeOf(schema.items) : "any";
        return item.includes(" | ") ? `(${item})[]` : `${item}[]`;
      }
      if (type === "object" && schema.properties) return `{ ${Object.keys(schema.properties).join(", ")} }`;
      return type;
    })
    .join(" | ");
}

export function objectsMarkdown(): string {
  const components = (buildOpenApiDocument().components as { schemas: Record<string, JsonSchema> }).schemas;
  return Object.entries(components)
    .map(([name, schema]) => {
      const required = new Set(schema.required ?? []);
      const rows = Object.entries(schema.properties ?? {}).map(([field, property]) => [
        `\`${field}\``,
        typeOf(property),
        [required.has(field) ? "" : "optional", property.description ?? ""].filter(Boolean).join("; "),
      ]);
      return `**${name}**\n\n${table(["field", "type", "notes"], rows)}`;
    })
    .join("\n");
}

export function errorCodesMarkdown(): string {
  const byStatus = new Map<number, Set<string>>();
  const add = (status: number, code: string) => byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  for (const [code, status] of Object.entries(SERVICE_ERROR_STATUS)) add(status, code);
  for (const [code, { status }] of Object.entries(REJECTIONS)) add(status, code);
  const rows = [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, codes]) => [String(status), [...codes].map((code) => `\`${code}\``).join(", ")]);
  return table(["status", "codes"], rows);
}

export function lifecycleEventsMarkdown(): string {
  const events = new Map<string, { causes: string[]; vias: Set<string> }>();
  for (const rule of TRANSITIONS) {
    const entry = events.get(rule.event) ?? { causes: [], vias: new Set<string>() };
    entry.causes.push(`\`${rule.command}\` (${rule.actors.join(", ")}): \`${rule.from}\` → \`${rule.to}\``);
    if (rule.via !== undefined) entry.vias.add(rule.via);
    events.set(rule.event, entry);
  }
  const rows = [...events].map(([event, { causes, vias }]) => [
    `\`${event}\``,
    causes.join("; "),
    vias.size > 0 ? [...vias].map((via) => `\`${via}\``).join(", ") : "—",
  ]);
  return table(["event type", "written when (command, actor: from → to)", "`data.via`"], rows);
}

/** Each generated section of docs/PROTOCOL.md, by the name its markers carry. */
export const PROTOCOL_SECTIONS: Record<string, () => string> = {
  endpoints: endpointsMarkdown,
  objects: objectsMarkdown,
  errors: errorCodesMarkdown,
  "lifecycle-events": lifecycleEventsMarkdown,
};
