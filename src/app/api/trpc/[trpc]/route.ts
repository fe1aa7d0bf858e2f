// The web app's tRPC endpoint. Every request resolves the session cookie to
// a users row (suspended or expired → signed out); mutations must also pass
// the same-origin check (CSRF). The body is read under a cap before anything
// else, and JSON nested too deep is refused before tRPC walks it (issue 16).
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { authRuntime } from "~/server/auth/options";
import { userFromRequest } from "~/server/auth/request-user";
import { isTrustedMutation } from "~/server/auth/csrf";
import { defaultEngineContext } from "~/server/context";
import { jsonTooDeep, TOO_DEEP_MESSAGE } from "~/server/http/client-json";
import { BODY_LIMIT_BYTES, capRequestBody } from "~/server/http/read-body";
import { observeRequest } from "~/server/http/observe";
import { TRPC_MAX_BATCH_CALLS, trpcBatchCalls } from "~/server/http/trpc-batch";

export const dynamic = "force-dynamic";

function refused(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });
}

/** tRPC's one dispatch point: request id, span and request log line (src/server/http/observe.ts). */
const handler = (incoming: Request) => observeRequest("trpc", incoming, () => dispatch(incoming));

async function dispatch(incoming: Request): Promise<Response> {
  if (incoming.method !== "GET" && !isTrustedMutation(incoming, authRuntime().baseUrl)) {
    return refused(403, "forbidden", "Cross-site request refused.");
  }
  const calls = trpcBatchCalls(new URL(incoming.url).pathname);
  if (calls > TRPC_MAX_BATCH_CALLS) {
    return refused(400, "validation_error", `A request may batch at most ${TRPC_MAX_BATCH_CALLS} calls; this one has ${calls}. Send the rest in another request.`);
  }
  const capped = await capRequestBody(incoming, BODY_LIMIT_BYTES.trpc);
  if (capped instanceof Response) return capped;
  const { request, bytes } = capped;
  // Queries carry their input in ?input=, mutations in the body: both are client JSON.
  const input = new URL(request.url).searchParams.get("input") ?? "";
  if (jsonTooDeep(input) || jsonTooDeep(Buffer.from(bytes).toString("utf8"))) return refused(400, "validation_error", `${TOO_DEEP_MESSAGE}.`);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH_CALLS,
    createContext: async () => ({ engine: defaultEngineContext(), user: await userFromRequest(request) }),
  });
}

export { handler as GET, handler as POST };
