// The REST transport of the agent API (PROTOCOL.md), framework-free: a Web
// `Request` in, a `Response` out. The Next route handler and the tests' plain
// node:http server both call handleAgentApiRequest.
import { isRepeated, repeatedFieldMessage, singleFormValue } from "../http/form-parts";
import { createHash } from "node:crypto";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { bearerToken } from "../auth/api-keys";
import { invalid } from "../errors";
import { parseClientJson } from "../http/client-json";
import { BodyIncompleteError, BodyTooLargeError, readBodyCapped } from "../http/read-body";
import { recordRequestMetric, stopwatch } from "../ops/metrics";
import type { AgentApiDeps } from "./deps";
import { ApiError, errorBody, toErrorResult } from "./errors";
import { executeOperation, type ExecuteOptions } from "./execute";
import type { Operation } from "./operation";
import { buildOpenApiDocument } from "./openapi";
import { OPERATIONS } from "./operations";
import { AGENT_API_PATH } from "~/client/schemas";
import { observeRequest, setRequestRoute } from "../http/observe";

export const MAX_IDEMPOTENCY_KEY_CHARS = FIELD_LIMITS.idempotencyKeyChars;
/** Room for multipart boundaries and headers around the file itself. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

interface Route {
  op: Operation;
  pattern: RegExp;
  params: string[];
}

const ROUTES: Route[] = OPERATIONS.map((op) => {
  const params: string[] = [];
  const source = op.path.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
    params.push(name);
    return "([^/]+)";
  });
  return { op, pattern: new RegExp(`^${source}/?$`), params };
});

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

function apiErrorResponse(error: ApiError): Response {
  return json(error.status, errorBody(error.code, error.message), error.headers);
}

function match(method: string, path: string): { route: Route; params: Record<string, string> } | "method" | null {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.op.method !== method) continue;
    const params: Record<string, string> = {};
    try {
      route.params.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? "")));
    } catch {
      return null;
    }
    return { route, params };
  }
  return pathMatched ? "method" : null;
}

/** Reads at most `limit` bytes of the body (the shared reader); more is 413, whatever Content-Length claimed. */
async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  try {
    return await readBodyCapped(request, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ApiError(413, "payload_too_large", error.message);
    if (error instanceof BodyIncompleteError) throw new ApiError(400, "validation_error", error.message);
    throw error;
  }
}

/** Reads and drops the rest of a refused request's body, at most `limit` bytes (never an error). */
async function discardBody(request: Request, limit: number): Promise<void> {
  if (request.method === "GET" || request.method === "HEAD" || request.bodyUsed) return;
  try {
    await readBodyCapped(request, limit);
  } catch {
    // Over the cap or cut short: nothing more to read for a refusal.
  }
}

type ParsedBody =
  | { kind: "json"; value: Record<string, unknown> }
  | { kind: "invalid"; message: string }
  | { kind: "file"; name: string; bytes: Uint8Array };

async function parseBody(request: Request, op: Operation, deps: AgentApiDeps): Promise<ParsedBody> {
  const contentType = request.headers.get("content-type") ?? "";
  const { maxArtifactBytes, maxJsonBodyBytes } = deps.settings;
  if (op.multipart && contentType.toLowerCase().startsWith("multipart/form-data")) {
    const bytes = await readBody(request, maxArtifactBytes + MULTIPART_OVERHEAD_BYTES);
    let form: FormData;
    try {
      form = await new Response(Buffer.from(bytes), { headers: { "content-type": contentType } }).formData();
    } catch {
      return { kind: "invalid", message: "the multipart body could not be parsed" };
    }
    for (const field of ["file", "name"]) {
      const value = singleFormValue(form, field);
      if (isRepeated(value)) return { kind: "invalid", message: repeatedFieldMessage(field, value.repeated) };
    }
    const file = form.get("file");
    if (!file || typeof file === "string") return { kind: "invalid", message: "a multipart upload needs a `file` part" };
    if (file.size > maxArtifactBytes) {
      throw new ApiError(413, "payload_too_large", `The file is ${file.size} bytes; the limit is ${maxArtifactBytes} bytes.`);
    }
    const nameField = form.get("name");
    const name = typeof nameField === "string" && nameField ? nameField : file.name || "upload";
    return { kind: "file", name, bytes: new Uint8Array(await file.arrayBuffer()) };
  }
  // A base64 or JSON artifact may be as large as the artifact limit allows (base64 is 4/3 of the bytes).
  const limit = op.multipart ? Math.ceil((maxArtifactBytes * 4) / 3) + MULTIPART_OVERHEAD_BYTES : maxJsonBodyBytes;
  const bytes = await readBody(request, limit);
  const text = Buffer.from(bytes).toString("utf8");
  if (!text.trim()) return { kind: "json", value: {} };
  const parsed = parseClientJson(text);
  if (!parsed.ok) return { kind: "invalid", message: parsed.message };
  const value = parsed.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { kind: "invalid", message: "the body must be a JSON object" };
  }
  return { kind: "json", value: value as Record<string, unknown> };
}

function rawResponse(raw: { bytes: Uint8Array; contentType: string; fileName: string }): Response {
  return new Response(Buffer.from(raw.bytes), {
    status: 200,
    headers: {
      "content-type": raw.contentType,
      "content-length": String(raw.bytes.byteLength),
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(raw.fileName)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
}

/**
 * The agent API's one entry: request id, span and request log line (src/server/http/observe.ts), and
 * every request counted and timed by operation (metrics).
 */
export function handleAgentApiRequest(request: Request, deps: AgentApiDeps): Promise<Response> {
  return observeRequest("agent-api", request, async () => {
    const elapsed = stopwatch();
    const label = { route: UNMATCHED_ROUTE };
    const response = await dispatchAgentApiRequest(request, deps, label);
    recordRequestMetric("agent_api", label.route, response.status, elapsed());
    return response;
  });
}

/** Requests that name no operation share one label: raw paths would make the metric unbounded. */
const UNMATCHED_ROUTE = "(unmatched)";

async function dispatchAgentApiRequest(request: Request, deps: AgentApiDeps, label: { route: string }): Promise<Response> {
  try {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(AGENT_API_PATH)) return json(404, errorBody("not_found", "No such endpoint."));
    const path = url.pathname.slice(AGENT_API_PATH.length) || "/";
    const method = request.method.toUpperCase();
    label.route = routeLabel(method, path) ?? label.route;
    if (path === "/openapi.json" && method === "GET") {
      return json(200, buildOpenApiDocument(), { "cache-control": "public, max-age=60" });
    }

    // 1. The key.
    const agent = await deps.keys.authenticate(bearerToken(request.headers.get("authorization")), deps.engine.now());
    if (!agent) {
      return json(401, errorBody("unauthorized", "Send a valid agent API key as `Authorization: Bearer <key>`. Revoked keys and suspended agents are refused."), {
        "www-authenticate": 'Bearer realm="holdfast-agent"',
      });
    }

    const matched = match(method, path);
    if (matched === null) return json(404, errorBody("not_found", `No endpoint ${method} ${path}. See ${AGENT_API_PATH}/openapi.json.`));
    if (matched === "method") return json(405, errorBody("method_not_allowed", `${method} is not supported on ${path}.`));
    const op = matched.route.op;
    setRequestRoute(`${op.method} ${op.path}`);

    const refused = rateLimitRefusal(deps, agent.keyId) ?? idempotencyKeyRefusal(request, method);
    if (refused) {
      // Answering while the client is still sending its body makes the socket close under it (ECONNRESET
      // instead of the 4xx): read what is left, up to the JSON cap, and drop it. The key is valid here.
      await discardBody(request, deps.settings.maxJsonBodyBytes);
      return refused;
    }
    const options: ExecuteOptions = { signal: request.signal };
    const idempotencyKey = request.headers.get("idempotency-key");
    if (method === "POST" && idempotencyKey !== null) options.idempotencyKey = idempotencyKey;

    const raw = await operationInput(request, url, op, matched.params, deps, options);
    const result = await executeOperation(deps, agent, op, raw, options);
    if (result.raw && result.status === 200) return rawResponse(result.raw);
    return json(result.status, result.body, result.replayed ? { "idempotent-replayed": "true" } : {});
  } catch (error) {
    if (error instanceof ApiError) return apiErrorResponse(error);
    const result = toErrorResult(error);
    return json(result.status, result.body);
  }
}

/** The metric label of a request: the operation's id when the path names one (before any auth). */
function routeLabel(method: string, path: string): string | null {
  if (path === "/openapi.json") return "openapi";
  const named = match(method, path);
  return named !== null && named !== "method" ? named.route.op.id : null;
}

/** Per-key rate limit, in this process's token buckets (no database statement; see token-buckets.ts). */
function rateLimitRefusal(deps: AgentApiDeps, keyId: string): Response | null {
  const limit = deps.limiter.take(`agent-key:${keyId}`, deps.settings.rateLimit, deps.engine.now());
  if (limit.allowed) return null;
  return json(429, errorBody("rate_limited", `Too many requests for this key. Retry after ${limit.retryAfterS} seconds.`), {
    "retry-after": String(limit.retryAfterS),
  });
}

function idempotencyKeyRefusal(request: Request, method: string): Response | null {
  const key = request.headers.get("idempotency-key");
  if (method !== "POST" || key === null || (key.length >= 1 && key.length <= MAX_IDEMPOTENCY_KEY_CHARS)) return null;
  const error = invalid("Idempotency-Key", `1 to ${MAX_IDEMPOTENCY_KEY_CHARS} characters`);
  return json(400, errorBody(error.code, error.message, error.details));
}

/**
 * The operation's flat input: query parameters, path parameters and (for POST) the JSON body's fields.
 * A multipart upload or a malformed body becomes `options.run` instead, so ownership still answers
 * first (404 before 400).
 */
async function operationInput(
  request: Request,
  url: URL,
  op: Operation,
  params: Record<string, string>,
  deps: AgentApiDeps,
  options: ExecuteOptions,
): Promise<Record<string, unknown>> {
  const query: Record<string, unknown> = {};
  for (const name of op.query ?? []) {
    // `?status=active&status=completed` used the first and ignored the rest with a 200: which one the
    // caller meant is unknowable, so a repeated parameter is refused (after ownership, as a body is).
    const values = url.searchParams.getAll(name);
    if (values.length > 1) {
      options.run = () => Promise.reject(invalid(name, `given ${values.length} times; send it once${name === "status" ? " (several statuses as one comma-separated list, e.g. status=active,delivered)" : ""}`));
      return { ...params };
    }
    if (values.length === 1) query[name] = values[0];
  }
  const raw: Record<string, unknown> = { ...query, ...params };
  if (request.method.toUpperCase() !== "POST") return raw;
  const body = await parseBody(request, op, deps);
  if (body.kind === "json") return { ...body.value, ...raw };
  if (body.kind === "invalid") {
    options.run = () => Promise.reject(invalid("(body)", body.message));
    return raw;
  }
  const upload = op.multipart;
  if (!upload) throw new Error("multipart body for an operation without multipart");
  options.fingerprint = { name: body.name, sha256: createHash("sha256").update(body.bytes).digest("hex"), size: body.bytes.byteLength };
  options.run = (c) => upload(c, { name: body.name, bytes: body.bytes });
  return raw;
}
