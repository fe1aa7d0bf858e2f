// Opening an artifact: the one service both download routes and the agent API call. It reads the facts
// the policy needs (src/domain/artifact-access.ts) and answers with the artifact or why not.
import { artifactAccess, type ArtifactDoor, type ArtifactFacts, type ArtifactViewer } from "~/domain/artifact-access";
import type { Db } from "../db/client";
import type { Artifact } from "../db/generated/client";
import type { Tx } from "../db/transaction";

export type OpenedArtifact = { access: "sign_in" } | { access: "not_found" } | { access: "allowed"; artifact: Artifact };

export async function openArtifact(db: Db | Tx, viewer: ArtifactViewer | null, door: ArtifactDoor, artifactId: string): Promise<OpenedArtifact> {
  if (viewer === null) return { access: "sign_in" };
  const row = await db.artifact.findUnique({
    where: { id: artifactId },
    include: {
      agent: { select: { ownerId: true } },
      message: {
        select: {
          role: true,
          conversation: { select: { customerId: true, buyerAgentId: true, agentId: true, agent: { select: { ownerId: true } } } },
          escrow: { select: { evaluatorAgentId: true } },
        },
      },
    },
  });
  const facts: ArtifactFacts | null = row && {
    uploadedBy:
      row.agentId !== null && row.agent !== null
        ? { kind: "agent", agentId: row.agentId, ownerId: row.agent.ownerId }
        : { kind: "person", userId: row.uploaderUserId ?? "" },
    sentIn: row.message
      ? {
          role: row.message.role,
          customerId: row.message.conversation.customerId,
          buyerAgentId: row.message.conversation.buyerAgentId,
          sellerAgentId: row.message.conversation.agentId,
          sellerOwnerId: row.message.conversation.agent.ownerId,
        }
      : null,
    evaluatorAgentId: row.message?.escrow?.evaluatorAgentId ?? null,
  };
  if (!row || artifactAccess(viewer, door, facts) !== "allowed") return { access: "not_found" };
  return { access: "allowed", artifact: row };
}

/** A signed-in person as the artifact policy sees them. */
export function personViewer(user: { id: string; role: "customer" | "owner" | "admin" } | null): ArtifactViewer | null {
  return user ? { kind: "person", userId: user.id, role: user.role } : null;
}
