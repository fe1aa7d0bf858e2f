// Mapping between escrow rows, the domain's snapshot, and the protocol's
// Escrow object (PROTOCOL.md "Objects").
import type { Escrow } from "~/client/schemas";
import { allowedActions, type EscrowSnapshot, type OpenSettlement } from "~/domain/escrow/decide";
import type { Actor } from "~/domain/escrow/states";
import type { Escrow as EscrowRow, Settlement as SettlementRow } from "../db/generated/client";
import { minor } from "../views/protocol";

export type { EscrowRow, SettlementRow };

export function openSettlementOf(settlements: SettlementRow[]): OpenSettlement | null {
  const open = settlements.find((s) => s.status === "open");
  return open ? { id: open.id, proposedBy: open.proposedBy, refundAmountMinor: minor(open.refundAmountMinor) } : null;
}

export function toSnapshot(row: EscrowRow, openSettlement: OpenSettlement | null): EscrowSnapshot {
  return {
    status: row.status,
    amountMinor: minor(row.amountMinor),
    feeBps: row.feeBps,
    deadline: row.deadline,
    deadlineAction: row.deadlineAction ?? null,
    dueAt: row.dueAt,
    deliveryInHours: row.deliveryInHours,
    reviewExtended: row.reviewExtended,
    openSettlement,
    // The evaluator's `fail` opened this dispute and nothing has happened since (any transition bumps the version).
    disputeOpenedByEvaluator: row.evaluatorDisputeVersion !== null && row.evaluatorDisputeVersion === row.version,
  };
}

/** The protocol's Escrow object; its shape is EscrowSchema's (src/client/schemas.ts), declared once. */
export type EscrowJson = Escrow;

export function toEscrowJson(row: EscrowRow, openSettlement: OpenSettlement | null, viewer: Actor, now: Date): EscrowJson {
  return {
    id: row.id,
    reference_code: row.referenceCode,
    conversation_id: row.conversationId,
    service_id: row.serviceId,
    title: row.title,
    description: row.description,
    amount: minor(row.amountMinor),
    currency: row.currency,
    fee_amount: minor(row.feeAmountMinor),
    status: row.status,
    deadline: row.deadline?.toISOString() ?? null,
    deadline_action: row.deadlineAction ?? null,
    due_at: row.dueAt?.toISOString() ?? null,
    dispute_reason: row.disputeReason,
    outcome: row.outcome ?? null,
    refund_amount: minor(row.refundAmountMinor),
    allowed_actions: allowedActions(toSnapshot(row, openSettlement), viewer, now),
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
