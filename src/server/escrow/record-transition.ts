// THE one write path: every escrow change — an offer, a command, a firing deadline, a purchase's
// accept — is written here, in the caller's transaction, from what the domain decided. The escrow
// row (inserted, or compare-and-set under the lock the caller took once) and then, always in this
// order: the audit row, the agents' events, the conversation's system line, the owner alerts the row
// declares, the `escrow.changed` outbox row and the timers the row declares for the new version.
// Either all of it commits or none of it does.
import type { Decision } from "~/domain/escrow/decide";
import { DomainError } from "~/domain/escrow/errors";
import type { OfferDecision } from "~/domain/escrow/offer";
import type { SideEffects } from "~/domain/escrow/side-effects";
import type { EscrowStatus } from "~/domain/escrow/states";
import { OFFER_RULE } from "~/domain/escrow/transitions";
import { raiseAlerts } from "../alerts/automatic";
import type { EngineContext } from "../context";
import { insertMessage } from "../conversations/messages";
import type { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import { appendAgentEvent } from "../events/agent-events";
import { newId } from "../ids";
import { currentRequestId } from "../log";
import { actorId, type ActorRef } from "./actors";
import { scheduleEscrowTimers } from "./escrow-timers";
import { openSettlementOf, toEscrowJson, type EscrowRow, type SettlementRow } from "./escrow-view";
import { applySettlementEffect, postLedgerMovements } from "./ledger-effects";

/** What every change writes besides the escrow row itself. */
interface Change {
  /** The escrow after the change. */
  escrow: EscrowRow;
  settlements: SettlementRow[];
  from: EscrowStatus | null;
  command: string;
  actor: ActorRef;
  auditReason: string | null;
  /** The seller's event type; a buying agent gets the purchase.* twin. */
  eventType: string;
  eventData: Record<string, unknown>;
  /** False for an offer: the seller made it and learns of it from its own response. */
  sellerHearsOfIt: boolean;
  systemMessage: string | null;
  sideEffects: SideEffects;
  now: Date;
}

/**
 * Writes a decided transition of a row the caller locked (`lockEscrow`, once, in this transaction):
 * compare-and-set on status and version, ledger movements, settlement rows, then the common record.
 */
export async function recordTransition(
  tx: Tx,
  ctx: EngineContext,
  row: EscrowRow,
  actor: ActorRef,
  command: string,
  decision: Decision,
  now: Date,
): Promise<{ escrow: EscrowRow; settlements: SettlementRow[] }> {
  // Compare-and-set: the row lock makes a miss impossible in practice; the
  // version check keeps this correct even if the lock were ever dropped.
  const cas = await tx.escrow.updateMany({ where: { id: row.id, version: row.version, status: row.status }, data: rowUpdate(decision, now) });
  if (cas.count !== 1) {
    throw new DomainError({ code: "conflict", message: "The escrow changed while this command ran. Read it again and retry." });
  }
  await postLedgerMovements(tx, ctx, row, decision, now);
  const settlementJson = await applySettlementEffect(tx, row, decision, now);
  const escrow = await tx.escrow.findUniqueOrThrow({ where: { id: row.id } });
  const settlements = await tx.settlement.findMany({ where: { escrowId: row.id }, orderBy: { createdAt: "asc" } });
  await recordChange(tx, ctx, {
    escrow,
    settlements,
    from: decision.from,
    command,
    actor,
    auditReason: decision.auditReason,
    eventType: decision.agentEvent.type,
    eventData: { ...decision.agentEvent.data, ...(settlementJson ? { settlement: settlementJson } : {}) },
    sellerHearsOfIt: true,
    systemMessage: decision.systemMessage,
    sideEffects: decision.sideEffects,
    now,
  });
  return { escrow, settlements };
}

function rowUpdate(decision: Decision, now: Date): Prisma.EscrowUpdateManyMutationInput {
  const { patch } = decision;
  return {
    status: decision.to,
    version: { increment: 1 },
    deadline: patch.deadline,
    deadlineAction: patch.deadlineAction,
    updatedAt: now,
    ...(decision.statusChanged ? { statusChangedAt: now } : {}),
    ...(patch.dueAt !== undefined ? { dueAt: patch.dueAt } : {}),
    ...(patch.disputeReason !== undefined ? { disputeReason: patch.disputeReason } : {}),
    ...(patch.outcome !== undefined ? { outcome: patch.outcome } : {}),
    ...(patch.refundAmountMinor !== undefined ? { refundAmountMinor: BigInt(patch.refundAmountMinor) } : {}),
    ...(patch.feeAmountMinor !== undefined ? { feeAmountMinor: BigInt(patch.feeAmountMinor) } : {}),
    ...(patch.reviewExtended !== undefined ? { reviewExtended: patch.reviewExtended } : {}),
  };
}

export interface NewOffer {
  agentId: string;
  conversation: { id: string; customerId: string; buyerAgentId: string | null };
  serviceId: string | null;
  referenceCode: string;
  decision: OfferDecision;
}

/** Writes an offer the domain accepted (OFFER_RULE, the table's first row): the new escrow, then the common record. */
export async function recordOffer(tx: Tx, ctx: EngineContext, offer: NewOffer, now: Date): Promise<EscrowRow> {
  const { decision } = offer;
  const escrow = await tx.escrow.create({
    data: {
      id: newId("esc"),
      referenceCode: offer.referenceCode,
      conversationId: offer.conversation.id,
      agentId: offer.agentId,
      customerId: offer.conversation.customerId,
      buyerAgentId: offer.conversation.buyerAgentId,
      serviceId: offer.serviceId,
      title: decision.title,
      description: decision.description,
      amountMinor: BigInt(decision.amountMinor),
      currency: decision.currency,
      feeBps: decision.feeBps,
      feeAmountMinor: BigInt(decision.feeAmountMinor),
      status: OFFER_RULE.to,
      version: 1,
      deadline: decision.deadline,
      deadlineAction: decision.deadlineAction,
      deliveryInHours: decision.deliveryInHours,
      statusChangedAt: now,
      createdAt: now,
      updatedAt: now,
    },
  });
  await recordChange(tx, ctx, {
    escrow,
    settlements: [],
    from: null,
    command: OFFER_RULE.command,
    actor: { kind: "agent", agentId: offer.agentId },
    auditReason: null,
    eventType: OFFER_RULE.event,
    eventData: {},
    sellerHearsOfIt: false,
    systemMessage: decision.systemMessage,
    sideEffects: OFFER_RULE,
    now,
  });
  return escrow;
}

async function recordChange(tx: Tx, ctx: EngineContext, change: Change): Promise<void> {
  const { escrow, now } = change;
  await tx.escrowEvent.create({
    data: {
      escrowId: escrow.id,
      fromStatus: change.from,
      toStatus: escrow.status,
      command: change.command,
      actorKind: change.actor.kind,
      actorId: actorId(change.actor),
      reason: change.auditReason,
      version: escrow.version,
      createdAt: now,
    },
  });
  await appendPartyEvents(tx, change);
  if (change.systemMessage) {
    await insertMessage(tx, {
      conversationId: escrow.conversationId,
      escrowId: escrow.id,
      role: "system",
      text: `${change.systemMessage} (ref ${escrow.referenceCode})`,
      createdAt: now,
    });
  }
  await raiseAlerts(tx, ctx.config, change.sideEffects.alerts, escrow, now);
  await tx.outboxMessage.create({
    data: {
      topic: "escrow.changed",
      requestId: currentRequestId(),
      payload: {
        escrow_id: escrow.id,
        version: escrow.version,
        status: escrow.status,
        event: change.eventType,
        deadline: escrow.deadline?.toISOString() ?? null,
        deadline_action: escrow.deadlineAction ?? null,
      },
      availableAt: now,
      createdAt: now,
    },
  });
  // The timer contract: the new version's deadline and notices are recorded with the change itself.
  await scheduleEscrowTimers(tx, escrow, now, ctx.config, change.sideEffects.timers);
}

/**
 * Each side hears of the change with the escrow as it sees it (its own allowed_actions). A buying
 * agent hears of every change to its purchase as purchase.* — written before the seller's event:
 * locks are taken escrow → buyer agent → seller agent on every path, so none can deadlock.
 */
async function appendPartyEvents(tx: Tx, change: Change): Promise<void> {
  const { escrow, now } = change;
  const open = openSettlementOf(change.settlements);
  const eventFor = (agentId: string, type: string, viewer: "agent" | "customer") =>
    appendAgentEvent(tx, {
      agentId,
      type,
      escrowId: escrow.id,
      conversationId: escrow.conversationId,
      data: { ...change.eventData, escrow: toEscrowJson(escrow, open, viewer, now) },
      createdAt: now,
    });
  if (escrow.buyerAgentId) await eventFor(escrow.buyerAgentId, purchaseEventType(change.eventType), "customer");
  if (change.sellerHearsOfIt) await eventFor(escrow.agentId, change.eventType, "agent");
}

/**
 * An audit row that changes nothing: a party's statement to the moderator deciding a case
 * (src/server/moderation/statements.ts). The escrow stays at its status and version; the row is
 * written here so every escrow audit row has one writer.
 */
export async function recordAuditOnly(
  tx: Tx,
  entry: { escrowId: string; status: EscrowStatus; version: number; command: string; actor: ActorRef | { kind: "evaluator"; agentId: string }; reason: string; now: Date },
): Promise<void> {
  const actor = entry.actor;
  await tx.escrowEvent.create({
    data: {
      escrowId: entry.escrowId,
      fromStatus: entry.status,
      toStatus: entry.status,
      command: entry.command,
      actorKind: actor.kind,
      actorId: actor.kind === "evaluator" ? actor.agentId : actorId(actor),
      reason: entry.reason,
      version: entry.version,
      createdAt: entry.now,
    },
  });
}

/**
 * The evaluator a delivered escrow's service named (issue 18, src/server/evaluator/): written here so every
 * escrow row write has one writer; the settlement reads it to pay the evaluator's fee. Status and version
 * stay: it is a fact of the delivery, not a transition.
 */
export async function recordEscrowEvaluator(tx: Tx, escrowId: string, evaluatorAgentId: string): Promise<void> {
  await tx.escrow.update({ where: { id: escrowId }, data: { evaluatorAgentId } });
}

/** escrow.funded → purchase.funded: the buyer's feed keeps its purchases apart from its sales. */
export function purchaseEventType(sellerEventType: string): string {
  return sellerEventType.replace(/^escrow\./, "purchase.");
}
