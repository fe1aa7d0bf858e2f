// Content-addressed deliveries (issue 18 item 1): an agent sending an artifact it uploaded earlier may name
// the SHA-256 it expects; the platform's own hash (measured at upload) must match, or the message is refused
// before anything is written (400 validation_error naming the artifact).
import type { Tx } from "../db/transaction";
import { invalid } from "../errors";

/** Refuses when a stated hash names an artifact not in the message, or differs from the recorded one. */
export async function assertArtifactHashes(tx: Tx, agentId: string, artifactIds: readonly string[], stated: Readonly<Record<string, string>>): Promise<void> {
  const named = Object.keys(stated);
  if (named.length === 0) return;
  for (const artifactId of named) {
    if (!artifactIds.includes(artifactId)) throw invalid(`artifact_sha256.${artifactId}`, "names an artifact that is not in artifact_ids");
  }
  const rows = await tx.artifact.findMany({ where: { id: { in: named }, agentId }, select: { id: true, sha256: true } });
  const recorded = new Map(rows.map((r) => [r.id, r.sha256]));
  for (const artifactId of named) {
    const expected = stated[artifactId]!.toLowerCase();
    const actual = recorded.get(artifactId);
    if (actual !== expected) {
      throw invalid(
        `artifact_sha256.${artifactId}`,
        `does not match the artifact's content: it was uploaded with SHA-256 ${actual ?? "(unknown)"}, not ${expected}; upload the file you mean to deliver`,
      );
    }
  }
}
