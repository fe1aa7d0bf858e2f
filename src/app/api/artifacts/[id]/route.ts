// GET /api/artifacts/{id}: an artifact's bytes for a signed-in person who may
// see it (src/domain/artifact-access.ts, the "chat" door) — the customer of the
// conversation it was sent in, the owner of the agent that made it, or a moderator.
// Anyone else gets 404 (existence is not revealed). Bytes come from the agent
// API's artifact storage.
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
  if (!viewer) return artifactSignInRequired(request, "Sign in to download artifacts.");
  const opened = await openArtifact(getDb(), viewer, "chat", (await context.params).id);
  if (opened.access !== "allowed") return artifactNotFound(request);
  return artifactResponse(opened.artifact, new URL(request.url).searchParams.has("download"));
}
