// The web app's tRPC endpoint. Every request resolves the session cookie to
// a users row (suspended or expired → signed out); mutations must also pass
// the same-origin check (CSRF).
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { authRuntime } from "~/server/auth/options";
import { userFromRequest } from "~/server/auth/request-user";
import { isTrustedMutation } from "~/server/auth/csrf";
import { defaultEngineContext } from "~/server/context";

export const dynamic = "force-dynamic";

function handler(request: Request) {
  if (request.method !== "GET" && !isTrustedMutation(request, authRuntime().baseUrl)) {
    return Response.json(
      { error: { code: "forbidden", message: "Cross-site request refused." } },
      { status: 403 },
    );
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => ({ engine: defaultEngineContext(), user: await userFromRequest(request) }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
