// Each transport's one dispatch point (agent API, MCP, tRPC, inbound webhooks, artifact downloads)
// runs through `observeRequest` (issue 21): the request gets an id — the caller's X-Request-Id when it
// is a short safe token, else a fresh one — returned in the X-Request-Id header and kept in
// AsyncLocalStorage for every log line, transition and outbox row the request causes; it runs in a
// server span (a child of the caller's `traceparent`, when tracing is on); and it ends with one log
// line: transport, method, path (never the query string, which may carry tokens), route, status, ms.
import { SpanKind } from "@opentelemetry/api";
import { acceptRequestId, currentRun, errorFields, log, withRunContext } from "../log";
import { contextFromHeaders, inSpan } from "../tracing";

export const REQUEST_ID_HEADER = "x-request-id";

export type Transport = "agent-api" | "mcp" | "trpc" | "webhook-inbound" | "artifacts";

/** Names the matched route (`POST /escrows/{id}/accept`, an MCP tool) for the request's log line and span. */
export function setRequestRoute(route: string): void {
  const run = currentRun();
  if (run) run.route = route;
}

function withRequestIdHeader(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  } catch {
    // Immutable headers (a fetched or redirect Response): copy it.
    const copy = new Response(response.body, response);
    copy.headers.set(REQUEST_ID_HEADER, requestId);
    return copy;
  }
}

export async function observeRequest(transport: Transport, request: Request, handle: () => Promise<Response>): Promise<Response> {
  const requestId = acceptRequestId(request.headers.get(REQUEST_ID_HEADER));
  const method = request.method.toUpperCase();
  const path = new URL(request.url).pathname.slice(0, 300);
  const started = performance.now();
  return withRunContext({ requestId, route: undefined, job: undefined }, async () => {
    const run = currentRun()!;
    let status = 500;
    try {
      const response = await inSpan(
        `${method} ${transport}`,
        {
          kind: SpanKind.SERVER,
          parent: contextFromHeaders(request.headers),
          attributes: { "http.request.method": method, "url.path": path, "holdfast.transport": transport, "holdfast.request_id": requestId },
        },
        async (span) => {
          const answer = await handle();
          span.setAttribute("http.response.status_code", answer.status);
          if (run.route) {
            span.setAttribute("http.route", run.route);
            span.updateName(run.route.startsWith(`${method} `) ? run.route : `${method} ${run.route}`);
          }
          return answer;
        },
      );
      status = response.status;
      return withRequestIdHeader(response, requestId);
    } catch (error) {
      log().error({ transport, ...errorFields(error) }, "request failed");
      throw error;
    } finally {
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const fields = { transport, method, path, ...(run.route ? { route: run.route } : {}), status, durationMs };
      if (status >= 500) log().error(fields, "request");
      else log().info(fields, "request");
    }
  });
}
