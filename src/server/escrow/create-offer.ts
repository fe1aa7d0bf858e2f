// An agent offers a service: a new escrow in `pending`, with the offer's
// expiry as its deadline. Nothing moves until the customer accepts. Every
// offer passes the seller's tier limits here (src/server/risk/limits.ts).
import { FIELD_LIMITS } from "~/domain/field-limits";
import { hasVisibleText, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import { initialOfferDeadline } from "~/domain/escrow/effects";
import { feeMinor, formatMoney, isValidAmountMinor } from "~/domain/money";
import type { EngineContext } from "../context";
import { inTransaction, type Tx } from "../db/transaction";
import { requireEnabledCurrency } from "../currency";
import { invalid, notFound } from "../errors";
import { newId, newReferenceCode } from "../ids";
import { insertMessage } from "../conversations/messages";
import { toEscrowJson, type EscrowRow } from "./escrow-view";
import { appendAgentEvent } from "../events/agent-events";
import { scheduleEscrowTimers } from "../jobs/schedule-timers";
import { assertOfferWithinLimits, lockAgent } from "../risk/limits";

export interface OfferInput {
  conversationId: string;
  title: string;
  description?: string;
  amountMinor: number;
  currency: string;
  serviceId?: string | null;
  deliveryInHours?: number | null;
}

export const MAX_TITLE_CHARS = FIELD_LIMITS.offerTitleChars;
export const MAX_DESCRIPTION_CHARS = FIELD_LIMITS.offerDescriptionChars;
export const MAX_DELIVERY_HOURS = 24 * 365;

export function createOffer(ctx: EngineContext, agentId: string, input: OfferInput): Promise<EscrowRow> {
  return inTransaction(ctx.db, (tx) => insertOffer(tx, ctx, agentId, input));
}

function validateOffer(input: OfferInput, config: EngineContext["config"]): void {
  if (!isValidAmountMinor(input.amountMinor)) throw invalid("amount", "a positive integer in minor units, at most 2^53 − 1");
  requireEnabledCurrency(config, input.currency);
  const title = input.title.trim();
  if (!hasVisibleText(title) || title.length > MAX_TITLE_CHARS) {
    throw invalid("title", `1 to ${MAX_TITLE_CHARS} characters; it ${VISIBLE_TEXT_REQUIRED}`);
  }
  if ((input.description ?? "").length > MAX_DESCRIPTION_CHARS) {
    throw invalid("description", `at most ${MAX_DESCRIPTION_CHARS} characters`);
  }
  const hours = input.deliveryInHours;
  if (hours !== undefined && hours !== null && (!Number.isInteger(hours) || hours < 1 || hours > MAX_DELIVERY_HOURS)) {
    throw invalid("delivery_in_hours", `a whole number of hours from 1 to ${MAX_DELIVERY_HOURS}`);
  }
}

async function unusedReferenceCode(tx: Tx): Promise<string> {
  // 26^6 codes: a clash is rare, and the unique index catches any race.
  for (;;) {
    const code = newReferenceCode();
    if (!(await tx.escrow.findUnique({ where: { referenceCode: code }, select: { id: true } }))) return code;
  }
}

export async function insertOffer(tx: Tx, ctx: EngineContext, agentId: string, input: OfferInput): Promise<EscrowRow> {
  const conversation = await tx.conversation.findFirst({ where: { id: input.conversationId, agentId } });
  if (!conversation) throw notFound("conversation");
  const service = input.serviceId
    ? await tx.service.findFirst({ where: { id: input.serviceId, agentId, active: true } })
    : null;
  if (input.serviceId && !service) throw notFound("service");
  validateOffer(input, ctx.config);
  // The buying agent's row before the seller's: the lock order of accept (escrow → buyer → seller).
  if (conversation.buyerAgentId) await lockAgent(tx, conversation.buyerAgentId);
  // Locks the seller's row, then sums its open escrows: concurrent offers cannot all fit under one limit.
  await assertOfferWithinLimits(tx, ctx, agentId, { amountMinor: input.amountMinor, currency: input.currency });

  const now = ctx.now();
  const feeBps = ctx.config.feeBps;
  const escrow = await tx.escrow.create({
    data: {
      id: newId("esc"),
      referenceCode: await unusedReferenceCode(tx),
      conversationId: conversation.id,
      agentId,
      customerId: conversation.customerId,
      buyerAgentId: conversation.buyerAgentId,
      serviceId: service?.id ?? null,
      title: input.title.trim(),
      description: input.description ?? "",
      amountMinor: BigInt(input.amountMinor),
      currency: input.currency,
      feeBps,
      feeAmountMinor: BigInt(feeMinor(input.amountMinor, feeBps)),
      status: "pending",
      version: 1,
      deadline: initialOfferDeadline(now, ctx.config.windows),
      deadlineAction: "offer_expired",
      deliveryInHours: input.deliveryInHours ?? service?.deliveryInHours ?? null,
      statusChangedAt: now,
      createdAt: now,
      updatedAt: now,
    },
  });
  await tx.escrowEvent.create({
    data: {
      escrowId: escrow.id,
      fromStatus: null,
      toStatus: "pending",
      command: "offer",
      actorKind: "agent",
      actorId: agentId,
      version: escrow.version,
      createdAt: now,
    },
  });
  await insertMessage(tx, {
    conversationId: conversation.id,
    escrowId: escrow.id,
    role: "system",
    text: `Offer: ${escrow.title} for ${formatMoney(input.amountMinor, input.currency)}. Accept and pay to hold the money in escrow until delivery. (ref ${escrow.referenceCode})`,
    createdAt: now,
  });
  if (escrow.buyerAgentId) {
    // The buying agent learns of the offer from the platform, not from the seller's words.
    await appendAgentEvent(tx, {
      agentId: escrow.buyerAgentId,
      type: "purchase.offered",
      escrowId: escrow.id,
      conversationId: conversation.id,
      data: { escrow: toEscrowJson(escrow, null, "customer", now) },
      createdAt: now,
    });
  }
  await tx.outboxMessage.create({
    data: {
      topic: "escrow.changed",
      payload: {
        escrow_id: escrow.id,
        version: escrow.version,
        status: escrow.status,
        event: "escrow.offered",
        deadline: escrow.deadline?.toISOString() ?? null,
        deadline_action: escrow.deadlineAction,
      },
      availableAt: now,
      createdAt: now,
    },
  });
  await scheduleEscrowTimers(tx, escrow, now, ctx.config);
  return escrow;
}
