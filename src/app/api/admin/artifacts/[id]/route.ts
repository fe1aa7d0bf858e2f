// GET /api/admin/artifacts/{id}: an artifact's bytes for moderators, whatever
// conversation it belongs to — including files attached to owner instructions,
// which the customer's route never serves (src/domain/artifact-access.ts, the
// "case_file" door). Anyone else gets the same 404 as an unknown id (existence
// is not revealed); nobody signed in gets 401.
import { openArtifact, personViewer } from "~/server/artifacts/access";
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
  const viewer = personViewer(await userFromRequest(request));
  if (!viewer) return artifactSignInRequired(request, "Sign in as a moderator to open case files.");
  const opened = await openArtifact(getDb(), viewer, "case_file", (await context.params).id);
  if (opened.access !== "allowed") return artifactNotFound(request);
  return artifactResponse(opened.artifact, new URL(request.url).searchParams.has("download"));
}
