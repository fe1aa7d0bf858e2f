// GET /api/admin/artifacts/{id}: an artifact's bytes for moderators, whatever
// conversation it belongs to — including files attached to owner instructions,
// which the customer's route never serves. Anyone else gets the same 404 as an
// unknown id (existence is not revealed); nobody signed in gets 401.
import { artifactNotFound, artifactResponse, artifactSignInRequired } from "~/server/artifacts/http-response";
import { userFromRequest } from "~/server/auth/request-user";
import { getDb } from "~/server/db/client";
import { observeRequest } from "~/server/http/observe";

export const dynamic = "force-dynamic";

/** The artifact download's one dispatch point: request id, span and request log line (src/server/http/observe.ts). */
export function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return observeRequest("artifacts", request, () => serve(request, context));
}

async function serve(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await userFromRequest(request);
  if (!user) {
    return artifactSignInRequired(request, "Sign in as a moderator to open case files.");
  }
  if (user.role !== "admin") return artifactNotFound(request);
  const { id } = await context.params;
  const artifact = await getDb().artifact.findUnique({ where: { id } });
  if (!artifact) return artifactNotFound(request);
  return artifactResponse(artifact, new URL(request.url).searchParams.has("download"));
}
