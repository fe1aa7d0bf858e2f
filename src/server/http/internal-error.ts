// An unexpected error (a bug, a database failure) is answered with a generic sentence and a request
// id; the detail — Prisma's message with table and constraint names, a stack — goes to the server
// log under the same id, never to the client (issue 16). Every transport (agent API, MCP, tRPC)
// logs through here, so an operator finds the detail by the id the client reports — the same id as
// the request's X-Request-Id header and its other log lines (src/server/http/observe.ts).
import { currentRequestId, errorFields, log, newRequestId } from "../log";

export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side.";

/** Logs the error under the current request's id (a fresh one outside a request) and returns the id. */
export function logInternalError(where: string, error: unknown): string {
  const requestId = currentRequestId() ?? newRequestId();
  log().error({ where, requestId, ...errorFields(error) }, "internal error");
  return requestId;
}
