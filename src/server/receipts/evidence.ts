// The evidence bundle (issue 18 item 3): one JSON file with everything that happened on one escrow — the
// transcript, the artifacts (inline when small, else their hashes), the timeline, the ledger entries, the
// owner's instructions (moderators only) and the signed receipt chain with the JWKS to check it against.
// verifyEvidenceBundle (src/client/receipts.ts, `npm run receipts:verify`) checks it offline. The agent API,
// the customer's order page, the moderators' case view and chargeback evidence all build it here.
import { createHash } from "node:crypto";
import { EVIDENCE_FORMAT, type EvidenceArtifact, type EvidenceBundle, type EvidenceViewer } from "~/domain/evidence-bundle";
import type { ArtifactStorage } from "../artifacts/storage";
import type { Db } from "../db/client";
import type { Artifact as ArtifactRow } from "../db/generated/client";
import { minor } from "../views/protocol";
import { publicJwks, receiptKeyset } from "./keys";
import { sealEscrowReceipts, toReceiptJson } from "./sealer";

/** Artifacts up to this size travel inside the bundle (base64); larger ones by SHA-256 and size only. */
export const INLINE_ARTIFACT_MAX_BYTES = 512 * 1024;

export { EVIDENCE_FORMAT, type EvidenceArtifact, type EvidenceBundle, type EvidenceViewer } from "~/domain/evidence-bundle";

async function evidenceArtifact(storage: ArtifactStorage | null, row: ArtifactRow): Promise<EvidenceArtifact> {
  const size = minor(row.sizeBytes);
  let content: string | null = null;
  if (storage && size <= INLINE_ARTIFACT_MAX_BYTES) {
    if (row.storageKey) {
      const bytes = await storage.get(row.storageKey);
      if (bytes && bytes.byteLength === size) content = Buffer.from(bytes).toString("base64");
    } else if (row.kind === "data") {
      // A data artifact was measured as its JSON text at upload; inline it when it still reads the same.
      const text = Buffer.from(JSON.stringify(row.data ?? null), "utf8");
      if (createHash("sha256").update(text).digest("hex") === row.sha256) content = text.toString("base64");
    }
  }
  return {
    id: row.id,
    message_id: row.messageId,
    kind: row.kind,
    mime_type: row.mimeType,
    name: row.name,
    sha256: row.sha256,
    size_bytes: size,
    content_base64: content,
    ...(row.kind === "data" ? { data: row.data } : {}),
  };
}

/**
 * The bundle of one escrow, as this viewer may see it (the caller has checked they may see the escrow). The
 * payment provider gets no artifact contents (Stripe's evidence is text; the hashes and sizes say what was
 * delivered), so it needs no storage.
 */
export async function buildEvidenceBundle(db: Db, storage: ArtifactStorage | null, escrowId: string, viewer: EvidenceViewer, now = new Date()): Promise<EvidenceBundle> {
  const receipts = await sealEscrowReceipts(db, escrowId);
  const escrow = await db.escrow.findUniqueOrThrow({ where: { id: escrowId }, include: { agent: { select: { ownerId: true } } } });
  const messages = await db.message.findMany({
    where: { conversationId: escrow.conversationId, ...(viewer === "moderator" ? {} : { role: { not: "owner" } }) },
    include: { artifacts: { orderBy: { createdAt: "asc" } } },
    orderBy: { seq: "asc" },
  });
  const transcript = messages.filter((m) => m.role !== "owner");
  const instructions = messages.filter((m) => m.role === "owner");
  const events = await db.escrowEvent.findMany({ where: { escrowId }, orderBy: { id: "asc" } });
  const transfers = await db.ledgerTransfer.findMany({
    where: { escrowId },
    include: { fromAccount: { select: { key: true } }, toAccount: { select: { key: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const artifacts: EvidenceArtifact[] = [];
  for (const m of messages) for (const a of m.artifacts) artifacts.push(await evidenceArtifact(viewer === "payment_provider" ? null : storage, a));
  return {
    format: EVIDENCE_FORMAT,
    generated_at: now.toISOString(),
    viewer,
    escrow: {
      id: escrow.id,
      reference_code: escrow.referenceCode,
      title: escrow.title,
      description: escrow.description,
      amount: minor(escrow.amountMinor),
      currency: escrow.currency,
      fee_amount: minor(escrow.feeAmountMinor),
      status: escrow.status,
      outcome: escrow.outcome ?? null,
      refund_amount: minor(escrow.refundAmountMinor),
      dispute_reason: escrow.disputeReason,
      customer_id: escrow.customerId,
      agent_id: escrow.agentId,
      owner_id: escrow.agent.ownerId,
      buyer_agent_id: escrow.buyerAgentId,
      service_id: escrow.serviceId,
      created_at: escrow.createdAt.toISOString(),
    },
    transcript: transcript.map((m) => ({
      id: m.id,
      role: m.role,
      trusted: m.trusted,
      escrow_id: m.escrowId,
      text: m.text,
      artifact_ids: m.artifacts.map((a) => a.id),
      created_at: m.createdAt.toISOString(),
    })),
    artifacts,
    timeline: events.map((e) => ({
      id: e.id.toString(),
      from: e.fromStatus,
      to: e.toStatus,
      command: e.command,
      actor: { kind: e.actorKind, id: e.actorId },
      reason: e.reason,
      version: e.version,
      at: e.createdAt.toISOString(),
    })),
    ledger: transfers.map((t) => ({
      id: t.id,
      kind: t.kind,
      from_account: t.fromAccount.key,
      to_account: t.toAccount.key,
      amount: minor(t.amountMinor),
      currency: t.currency,
      at: t.createdAt.toISOString(),
    })),
    ...(viewer === "moderator"
      ? { owner_instructions: instructions.map((m) => ({ id: m.id, text: m.text, artifact_ids: m.artifacts.map((a) => a.id), created_at: m.createdAt.toISOString() })) }
      : {}),
    receipts: receipts.map(toReceiptJson),
    jwks: publicJwks(await receiptKeyset()),
  };
}
