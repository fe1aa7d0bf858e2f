// One definition per agent operation (zod input + handler), shared by the REST
// routes, the MCP tools and the OpenAPI document. Inputs are flat objects:
// path parameters, query parameters and body fields side by side, so an MCP
// tool call and an HTTP request feed the same schema.
import type { z } from "zod";
import type { AuthenticatedAgent } from "../auth/api-keys";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import type { AgentApiDeps } from "./deps";

export interface OperationContext {
  /** A transaction for POST operations; the plain client (typed as Tx) for reads. */
  tx: Tx;
  engine: EngineContext;
  agent: AuthenticatedAgent;
  deps: AgentApiDeps;
  /** Aborted when the caller goes away (long polls stop waiting). */
  signal?: AbortSignal;
}

export interface OperationResult {
  status: number;
  body: unknown;
  /** A non-JSON answer (artifact download); REST only. */
  raw?: { bytes: Uint8Array; contentType: string; fileName: string };
}

export interface OperationDoc {
  /** The success status and the zod schema of its body (for OpenAPI). */
  status: number;
  schema: z.ZodType;
  description: string;
}

export interface Operation<Input = unknown> {
  /** operationId in OpenAPI. */
  id: string;
  /** The MCP tool name of PROTOCOL.md, when this operation is a tool on its own. */
  tool?: string;
  method: "GET" | "POST";
  /** Path under /api/agent/v1 with `{name}` parameters; each name is a field of `input`. */
  path: string;
  summary: string;
  /** Names of `input` fields read from the query string (strings, coerced by the schema). */
  query?: readonly string[];
  /** The whole input (path + query + body), validated after `authorize`. */
  input: z.ZodObject;
  /** Ownership checks on the raw input: runs before shape validation (404 before 400). */
  authorize?: (c: OperationContext, raw: Record<string, unknown>) => Promise<void>;
  handler: (c: OperationContext, input: Input) => Promise<OperationResult>;
  response: OperationDoc;
  /** Whether the operation answers without a key (only the OpenAPI document). */
  public?: boolean;
  /** Handles a multipart/form-data `file` upload (REST only), after the same auth and limits. */
  multipart?: (c: OperationContext, file: { name: string; bytes: Uint8Array }) => Promise<OperationResult>;
  /** Not offered as an MCP tool (downloads). */
  restOnly?: boolean;
}

export function defineOperation<S extends z.ZodObject>(
  op: Omit<Operation<z.infer<S>>, "input"> & { input: S },
): Operation {
  return op as unknown as Operation;
}
