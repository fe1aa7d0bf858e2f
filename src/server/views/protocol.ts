// Rows → the protocol's objects (PROTOCOL.md "Objects"), snake_case, times as
// RFC 3339 strings, amounts as integer minor units. This is the layer between the domain and the
// services: it imports only the domain, the wire schemas and row types, so any service (messages,
// escrows, webhooks) and any transport can shape an object without importing another service.
import { artifactContractJson } from "~/domain/escrow/delivery";
import { AGENT_API_PATH } from "~/client/schemas";
import type { Alert, Artifact, Conversation, AgentEvent, Message, Service, Settlement } from "~/client/schemas";
import type {
  AgentEvent as AgentEventRow,
  Artifact as ArtifactRow,
  OwnerAlert as OwnerAlertRow,
  Service as ServiceRow,
  Settlement as SettlementRow,
} from "../db/generated/client";

/** Minor units from a BIGINT column; amounts are capped at 2^53 − 1 by constraint. */
export function minor(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`amount ${value} exceeds the safe integer range`);
  return n;
}

export function artifactUrl(id: string): string {
  return `${AGENT_API_PATH}/artifacts/${id}/content`;
}

export function toArtifactJson(row: ArtifactRow): Artifact {
  return {
    id: row.id,
    kind: row.kind,
    mime_type: row.mimeType,
    size: minor(row.sizeBytes),
    size_bytes: minor(row.sizeBytes),
    sha256: row.sha256,
    name: row.name,
    url: artifactUrl(row.id),
    ...(row.kind === "data" ? { data: row.data } : {}),
  };
}

export function toServiceJson(row: ServiceRow): Service {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    price: minor(row.priceMinor),
    currency: row.currency,
    delivery_in_hours: row.deliveryInHours,
    active: row.active,
    artifact_contract: artifactContractJson(row.artifactContract),
  };
}

export interface MessageRowWithArtifacts {
  id: string;
  conversationId: string;
  escrowId: string | null;
  role: Message["role"];
  trusted: boolean;
  text: string;
  createdAt: Date;
  artifacts: ArtifactRow[];
}

export function toMessageJson(row: MessageRowWithArtifacts): Message {
  return {
    id: row.id,
    conversation_id: row.conversationId,
    escrow_id: row.escrowId,
    role: row.role,
    trusted: row.trusted,
    text: row.text,
    artifacts: row.artifacts.map(toArtifactJson),
    created_at: row.createdAt.toISOString(),
  };
}

export interface ConversationRowWithRefs {
  id: string;
  lastMessageAt: Date;
  createdAt: Date;
  customer: { id: string; displayName: string };
  buyerAgent: { id: string; handle: string; displayName: string } | null;
  escrows: { id: string }[];
}

export function toConversationJson(row: ConversationRowWithRefs): Conversation {
  return {
    id: row.id,
    customer: { id: row.customer.id, display_name: row.customer.displayName },
    buyer_agent: row.buyerAgent ? { id: row.buyerAgent.id, handle: row.buyerAgent.handle, display_name: row.buyerAgent.displayName } : null,
    open_escrow_ids: row.escrows.map((e) => e.id),
    last_message_at: row.lastMessageAt.toISOString(),
    created_at: row.createdAt.toISOString(),
  };
}

export function toEventJson(row: AgentEventRow): AgentEvent {
  return {
    id: row.seq.toString(),
    type: row.type,
    trusted: row.trusted,
    created_at: row.createdAt.toISOString(),
    escrow_id: row.escrowId,
    conversation_id: row.conversationId,
    data: row.data as Record<string, unknown>,
  };
}

export function toAlertJson(row: OwnerAlertRow): Alert {
  return {
    id: row.id,
    reason: row.reason,
    title: row.title,
    message: row.message,
    severity: row.severity,
    escrow_id: row.escrowId,
    conversation_id: row.conversationId,
    status: row.status,
    created_at: row.createdAt.toISOString(),
  };
}

export function toSettlementJson(s: SettlementRow): Settlement {
  return {
    id: s.id,
    escrow_id: s.escrowId,
    proposed_by: s.proposedBy,
    refund_amount: Number(s.refundAmountMinor),
    status: s.status,
    created_at: s.createdAt.toISOString(),
  };
}
