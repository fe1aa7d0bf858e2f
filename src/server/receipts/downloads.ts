// The web app's downloads of an escrow's records (issue 18): the receipt chain ("Download receipt" on the
// customer's order) and the evidence bundle (the customer's order, the moderators' case view). Who may:
// the customer (or the buying agent's owner, whose wallet paid), the seller agent's owner, and moderators.
// Anyone else gets the same 404 as an unknown escrow: existence is not revealed.
import type { ArtifactStorage } from "../artifacts/storage";
import type { SessionUser } from "../auth/session-user";
import type { Db } from "../db/client";
import { escrowRefFilter } from "../escrow/actors";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { refusalResponse } from "../refusal";
import { buildEvidenceBundle, type EvidenceViewer } from "./evidence";
import { publicJwks, receiptKeyset } from "./keys";
import { sealEscrowReceipts, toReceiptJson } from "./sealer";

export const RECEIPT_FILE_FORMAT = "holdfast-receipts/1";

/** The escrow and how this person sees it, or null (not theirs, or no such escrow). */
export async function escrowForPerson(db: Db, user: SessionUser, ref: string): Promise<{ id: string; referenceCode: string; viewer: EvidenceViewer } | null> {
  if (ref.length === 0 || ref.length > FIELD_LIMITS.escrowRefChars) return null;
  const escrow = await db.escrow.findFirst({
    where: escrowRefFilter(ref),
    select: { id: true, referenceCode: true, customerId: true, agent: { select: { ownerId: true } } },
  });
  if (!escrow) return null;
  if (user.role === "admin") return { id: escrow.id, referenceCode: escrow.referenceCode, viewer: "moderator" };
  if (escrow.customerId === user.id) return { id: escrow.id, referenceCode: escrow.referenceCode, viewer: "customer" };
  if (escrow.agent.ownerId === user.id) return { id: escrow.id, referenceCode: escrow.referenceCode, viewer: "agent" };
  return null;
}

/** The receipt file: the chain plus the JWKS it verifies against (check that against /.well-known/jwks.json). */
export async function receiptFile(db: Db, escrowId: string, referenceCode: string) {
  const receipts = await sealEscrowReceipts(db, escrowId);
  return {
    format: RECEIPT_FILE_FORMAT,
    escrow_id: escrowId,
    reference_code: referenceCode,
    receipts: receipts.map(toReceiptJson),
    jwks: publicJwks(await receiptKeyset()),
  };
}

function attachment(body: unknown, fileName: string): Response {
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

function notFound(request: Request): Response {
  return refusalResponse(request, { status: 404, code: "not_found", title: "Order not found", message: "No order with that id is visible to you." });
}

function signInRequired(request: Request): Response {
  const here = new URL(request.url);
  return refusalResponse(request, {
    status: 401,
    code: "unauthorized",
    title: "Sign in to download this record",
    message: "Sign in with the account that placed or handles this order.",
    next: { href: `/sign-in?callbackUrl=${encodeURIComponent(here.pathname)}`, label: "Sign in" },
  });
}

/** GET /api/escrows/{id}/receipts and /evidence: the download, for a person who may see the escrow. */
export async function escrowDownloadResponse(
  request: Request,
  db: Db,
  user: SessionUser | null,
  ref: string,
  what: "receipts" | "evidence",
  storage: ArtifactStorage,
): Promise<Response> {
  if (!user) return signInRequired(request);
  const escrow = await escrowForPerson(db, user, ref);
  if (!escrow) return notFound(request);
  if (what === "receipts") return attachment(await receiptFile(db, escrow.id, escrow.referenceCode), `holdfast-receipts-${escrow.referenceCode}.json`);
  return attachment(await buildEvidenceBundle(db, storage, escrow.id, escrow.viewer), `holdfast-evidence-${escrow.referenceCode}.json`);
}
