// The evidence bundle's shape (issue 18 item 3): one document with everything that happened on one escrow.
// src/server/receipts/evidence.ts assembles it (the only place that gathers it); the downloads, the agent
// API and the chargeback evidence sent to the payment provider (domain/payments/dispute-evidence.ts) all
// read this one shape. Pure types: no rules here.
import type { JWK } from "jose";

export const EVIDENCE_FORMAT = "holdfast-evidence/1";

/**
 * Who the bundle is for: a party sees what it saw; only moderators see the owner's instructions; the payment
 * provider (a chargeback) sees what the customer sees, with artifacts by hash and size only.
 */
export type EvidenceViewer = "moderator" | "customer" | "agent" | "payment_provider";

/** One signed receipt as the agent API shows it (PROTOCOL "Receipts"). */
export interface ReceiptJson {
  escrow_id: string;
  seq: number;
  kid: string;
  jws: string;
  sha256: string;
  payload: unknown;
}

export interface EvidenceArtifact {
  id: string;
  message_id: string | null;
  kind: string;
  mime_type: string;
  name: string;
  sha256: string;
  size_bytes: number;
  /** The bytes (base64) when small enough, still stored and the viewer gets contents; else null (hash only). */
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
