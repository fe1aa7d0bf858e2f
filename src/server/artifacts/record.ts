// Recording an artifact's metadata. Kind, MIME type, size and SHA-256 are the
// platform's own measurements of the bytes (or of the canonical JSON for data
// artifacts), never the uploader's claims.
import { createHash } from "node:crypto";
import type { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import { newId } from "../ids";
import type { ArtifactKind } from "~/domain/escrow/states";

/** Who uploads an artifact: an agent (its deliveries), or a person (a customer's file for a case statement). */
export type ArtifactUploader = { agentId: string } | { uploaderUserId: string };

export type StoredArtifactInput = ArtifactUploader & {
  kind: ArtifactKind;
  mimeType: string;
  name: string;
  /** The stored bytes (for files) — measured here. */
  bytes?: Uint8Array;
  storageKey?: string | null;
  /** Structured payload (for data artifacts) — measured as its JSON text. */
  data?: unknown;
  now: Date;
};

export async function insertArtifact(tx: Tx, input: StoredArtifactInput) {
  const bytes = input.bytes ?? Buffer.from(JSON.stringify(input.data ?? null), "utf8");
  return tx.artifact.create({
    data: {
      id: newId("art"),
      ...("agentId" in input ? { agentId: input.agentId } : { uploaderUserId: input.uploaderUserId }),
      kind: input.kind,
      mimeType: input.mimeType,
      name: input.name,
      sizeBytes: BigInt(bytes.byteLength),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      storageKey: input.storageKey ?? null,
      ...(input.data !== undefined ? { data: input.data as Prisma.InputJsonValue } : {}),
      createdAt: input.now,
    },
  });
}

/** How many of these artifact ids the agent uploaded. */
export async function countAgentArtifacts(tx: Tx, agentId: string, ids: string[]): Promise<number> {
  return tx.artifact.count({ where: { id: { in: ids }, agentId } });
}
