// A customer's files for the moderator (issue 22 item 4): while a case waits
// in admin_review, the customer uploads a file for it (POST /api/case-files),
// then sends it with a statement (escrow.addStatement's artifactIds). The
// bytes are typed and measured like an agent's upload (src/server/artifacts/),
// recorded as the person's upload, and visible by the artifact policy's rules
// (src/domain/artifact-access.ts): the customer, the selling side once sent,
// moderators. Uploads are accepted only for the customer's own case under
// review, and only a few may wait unsent, so the endpoint cannot become free
// storage.
import { DomainError, reject } from "~/domain/escrow/errors";
import type { ArtifactStorage } from "../artifacts/storage";
import { storeFileArtifact } from "../artifacts/upload";
import type { Tx } from "../db/transaction";
import { escrowRefFilter } from "../escrow/actors";
import { invalid, notFound } from "../errors";

/** Files one statement may carry (the agent's messages carry up to 20; a person's case needs a few). */
export const MAX_CASE_FILES_PER_STATEMENT = 5;
/** Uploaded files a customer may have waiting to be sent, across their cases. */
export const MAX_UNSENT_CASE_FILES = 10;

export interface CaseFileUpload {
  customerId: string;
  escrowRef: string;
  name: string;
  bytes: Uint8Array;
  now: Date;
  maxBytes: number;
}

export async function uploadCaseFile(tx: Tx, storage: ArtifactStorage, upload: CaseFileUpload) {
  const escrow = await tx.escrow.findFirst({
    where: { AND: [escrowRefFilter(upload.escrowRef), { customerId: upload.customerId, buyerAgentId: null }] },
    select: { status: true },
  });
  if (!escrow) throw notFound("escrow");
  if (escrow.status !== "admin_review") {
    throw new DomainError(
      reject(
        "invalid_transition",
        `This escrow is ${escrow.status}: files for the moderator can be added only while a moderator is deciding (admin_review).`,
      ),
    );
  }
  const unsent = await tx.artifact.count({ where: { uploaderUserId: upload.customerId, messageId: null } });
  if (unsent >= MAX_UNSENT_CASE_FILES) {
    throw invalid("file", `${unsent} uploaded files are waiting to be sent: send a statement with them before uploading more`);
  }
  return storeFileArtifact(tx, storage, {
    uploaderUserId: upload.customerId,
    name: upload.name,
    bytes: upload.bytes,
    now: upload.now,
    maxBytes: upload.maxBytes,
  });
}
