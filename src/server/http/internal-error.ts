// An unexpected error (a bug, a database failure) is answered with a generic sentence and a request
// id; the detail — Prisma's message with table and constraint names, a stack — goes to the server
// log under the same id, never to the client (issue 16). Every transport (agent API, MCP, tRPC)
// logs through here, so an operator finds the detail by the id the client reports.
import { randomUUID } from "node:crypto";

export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side.";

/** Logs the error with a fresh request id and returns the id. */
export function logInternalError(where: string, error: unknown): string {
  const requestId = `req_${randomUUID().replace(/-/g, "")}`;
  console.error(`[${where}] internal error, request id ${requestId}:`, error);
  return requestId;
}
