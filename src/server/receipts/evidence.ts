// The evidence bundle (issue 18 item 3): one JSON file with everything that happened on one escrow — the
// transcript, the artifacts (inline when small, else their hashes), the timeline, the ledger entries, the
// owner's instructions (moderators only) and the signed receipt chain with the JWKS to check it against.
// verifyEvidenceBundle (src/client/receipts.ts, `npm run receipts:verify`) checks it offline. The agent API,
// the customer's order page, the moderators' case view and chargeback evidence all build it here.
import { createHash } from "node:crypto";
import type { JWK } from "jose";
import type { ArtifactStorage } from "../artifacts/storage";
import type { Db } from "../db/client";
import type { Artifact as ArtifactRow } from "../db/generated/client";
import { minor } from "../views/protocol";
import { publicJwks, receiptKeyset } from "./keys";
import { sealEscrowReceipts, toReceiptJson, type ReceiptJson } from "./sealer";

/** Artifacts up to this size travel inside the bundle (base64); larger ones by SHA-256 and size only. */
export const INLINE_ARTIFACT_MAX_BYTES = 512 * 1024;

export const EVIDENCE_FORMAT = "holdfast-evidence/1";

/** Who downloads: a party sees what it saw; only moderators see the owner's instructions. */
export type EvidenceViewer = "moderator" | "customer" | "agent";

export interface EvidenceArtifact {
  id: string;
  message_id: string | null;
  kind: string;
  mime_type: string;
  name: string;
  sha256: string;
  size_bytes: number;
  /** The bytes (base64) when at most INLINE_ARTIFACT_MAX_BYTES and still stored; else null (hash only). */
  content_base64: string | null;
  data?: unknown;
}

export interface EvidenceBundle {
  format: typeof EVIDENCE_FORMAT;
  generated_at: string;
  viewer: EvidenceViewer;
  escrow: {
    id: string;
    reference_code: string;
    title: string;
    description: string;
    amount: number;
    currency: string;
    fee_amount: number;
    status: string;
    outcome: string | null;
    refund_amount: number;
    dispute_reason: string | null;
    customer_id: string;
    agent_id: string;
    owner_id: string;
    buyer_agent_id: string | null;
    service_id: string | null;
    created_at: string;
  };
  transcript: { id: string; role: string; trusted: boolean; escrow_id: string | null; text: string; artifact_ids: string[]; created_at: string }[];
  artifacts: EvidenceArtifact[];
  timeline: { id: string; from: string | null; to: string; command: string; actor: { kind: string; id: string | null }; reason: string | null; version: number; at: string }[];
  ledger: { id: string; kind: string; from_account: string; to_account: string; amount: number; currency: string; at: string }[];
  /** Moderators only: what the seller's owner told its agent in this conversation. */
  owner_instructions?: { id: string; text: string; artifact_ids: string[]; created_at: string }[];
  receipts: ReceiptJson[];
  jwks: { keys: JWK[] };
}

async function evidenceArtifact(storage: ArtifactStorage, row: ArtifactRow): Promise<EvidenceArtifact> {
  const size = minor(row.sizeBytes);
  let content: string | null = null;
  if (size <= INLINE_ARTIFACT_MAX_BYTES) {
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

/** The bundle of one escrow, as this viewer may see it (the caller has checked they may see the escrow). */
export async function buildEvidenceBundle(db: Db, storage: ArtifactStorage, escrowId: string, viewer: EvidenceViewer, now = new Date()): Promise<EvidenceBundle> {
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
  for (const m of messages) for (const a of m.artifacts) artifacts.push(await evidenceArtifact(storage, a));
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
