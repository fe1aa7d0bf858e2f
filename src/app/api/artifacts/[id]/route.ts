// GET /api/artifacts/{id}: an artifact's bytes for a signed-in person who may
// see it — the customer of the conversation it was sent in, the owner of the
// agent that made it, or a moderator. Anyone else gets 404 (existence is not
// revealed). Bytes come from the agent API's artifact storage.
import { userFromRequest } from "~/server/auth/request-user";
import { artifactNotFound, artifactResponse, artifactSignInRequired } from "~/server/artifacts/http-response";
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
    return artifactSignInRequired(request, "Sign in to download artifacts.");
  }
  const { id } = await context.params;
  const artifact = await getDb().artifact.findUnique({
    where: { id },
    include: {
      agent: { select: { ownerId: true } },
      message: { select: { role: true, conversation: { select: { customerId: true } } } },
    },
  });
  if (!artifact) return artifactNotFound(request);
  const isCustomer = artifact.message?.conversation.customerId === user.id && artifact.message.role !== "owner";
  const allowed = isCustomer || artifact.agent.ownerId === user.id || user.role === "admin";
  if (!allowed) return artifactNotFound(request);

  return artifactResponse(artifact, new URL(request.url).searchParams.has("download"));
}
