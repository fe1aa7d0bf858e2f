// Uploading artifacts: the platform measures what it stores. Files are typed
// from their bytes and kept in the artifact store under their SHA-256; data
// artifacts are JSON payloads kept in the row. Either way the metadata row is
// written in the caller's transaction.
import { createHash } from "node:crypto";
import path from "node:path";
import type { Db } from "../db/client";
import type { Tx } from "../db/transaction";
import { invalid, notFound, ServiceError } from "../errors";
import { openArtifact } from "./access";
import { detectArtifactType } from "./detect";
import { insertArtifact, type ArtifactUploader } from "./record";
import { contentKey, type ArtifactStorage } from "./storage";

export const MAX_ARTIFACT_NAME_CHARS = 255;

function tooLarge(size: number, maxBytes: number): ServiceError {
  return new ServiceError(
    "payload_too_large",
    `The artifact is ${size} bytes; the limit is ${maxBytes} bytes. Send a smaller file or split it.`,
  );
}

/** The last path segment, without control characters: names are labels, never paths. */
export function cleanArtifactName(name: string): string {
  const base = path.posix.basename(name.replaceAll("\\", "/")).replace(/[\u0000-\u001f\u007f]/g, "").trim();
  // "." and ".." are directory names, not labels: a browser or a careless client could treat them as paths.
  if (base === "." || base === "..") return "artifact";
  return base.slice(0, MAX_ARTIFACT_NAME_CHARS) || "artifact";
}

export type FileUpload = ArtifactUploader & {
  name: string;
  bytes: Uint8Array;
  now: Date;
  maxBytes: number;
};

export async function storeFileArtifact(tx: Tx, storage: ArtifactStorage, upload: FileUpload) {
  if (upload.bytes.byteLength > upload.maxBytes) throw tooLarge(upload.bytes.byteLength, upload.maxBytes);
  const detected = await detectArtifactType(upload.bytes);
  if (!detected.ok) throw invalid("file", detected.message);
  const sha256 = createHash("sha256").update(upload.bytes).digest("hex");
  const storageKey = contentKey(sha256);
  await storage.put(storageKey, upload.bytes);
  return insertArtifact(tx, {
    ...("agentId" in upload ? { agentId: upload.agentId } : { uploaderUserId: upload.uploaderUserId }),
    kind: detected.kind,
    mimeType: detected.mimeType,
    name: cleanArtifactName(upload.name),
    bytes: upload.bytes,
    storageKey,
    now: upload.now,
  });
}

export interface DataUpload {
  agentId: string;
  name: string;
  data: unknown;
  now: Date;
  maxBytes: number;
}

export async function storeDataArtifact(tx: Tx, upload: DataUpload) {
  const size = Buffer.byteLength(JSON.stringify(upload.data), "utf8");
  if (size > upload.maxBytes) throw tooLarge(size, upload.maxBytes);
  return insertArtifact(tx, {
    agentId: upload.agentId,
    kind: "data",
    mimeType: "application/json",
    name: cleanArtifactName(upload.name),
    data: upload.data,
    now: upload.now,
  });
}

/** An agent's own artifact and its bytes (data artifacts: their JSON text). */
export async function readAgentArtifact(db: Db | Tx, storage: ArtifactStorage, agentId: string, artifactId: string) {
  // Who may read it: src/domain/artifact-access.ts (its uploader, or the agent buying in the conversation it was sent to).
  const opened = await openArtifact(db, { kind: "agent", agentId }, "agent_api", artifactId);
  if (opened.access !== "allowed") throw notFound("artifact");
  const row = opened.artifact;
  if (row.kind === "data" || !row.storageKey) {
    return { row, bytes: new Uint8Array(Buffer.from(JSON.stringify(row.data ?? null), "utf8")) };
  }
  const bytes = await storage.get(row.storageKey);
  if (!bytes) throw new Error(`artifact ${row.id}: stored bytes missing under ${row.storageKey}`);
  return { row, bytes };
}
