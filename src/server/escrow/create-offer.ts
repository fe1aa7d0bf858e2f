// An agent offers a service: the lifecycle's first row (OFFER_RULE). The domain judges the terms and
// says what the escrow starts as (src/domain/escrow/offer.ts); the seller's tier limits are checked
// under its row lock (src/server/risk/limits.ts); the one write path records it (record-transition.ts).
import { decideOffer, offerProblem, type OfferTerms } from "~/domain/escrow/offer";
import { isEnabledCurrency } from "~/domain/currency";
import { currenciesOf } from "../config";
import type { EngineContext } from "../context";
import { requireEnabledCurrency } from "../currency";
import { inTransaction, type Tx } from "../db/transaction";
import { invalid, notFound } from "../errors";
import { newReferenceCode } from "../ids";
import type { EscrowRow } from "./escrow-view";
import { recordOffer } from "./record-transition";
import { assertOfferWithinLimits, lockAgent } from "../risk/limits";


export interface OfferInput extends OfferTerms {
  conversationId: string;
  serviceId?: string | null;
}

export function createOffer(ctx: EngineContext, agentId: string, input: OfferInput): Promise<EscrowRow> {
  return inTransaction(ctx.db, (tx) => insertOffer(tx, ctx, agentId, input));
}

/** 400 validation_error for the first unacceptable field (the domain's offerProblem). */
function assertValidTerms(input: OfferInput, config: EngineContext["config"]): void {
  const problem = offerProblem(input, isEnabledCurrency(currenciesOf(config), input.currency));
  if (problem === null) return;
  // The currency's answer names the currencies this deployment accepts.
  if (problem.field === "currency") requireEnabledCurrency(config, input.currency);
  throw invalid(problem.field, problem.expected);
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
  assertValidTerms(input, ctx.config);
  // The buying agent's row before the seller's: the lock order of accept (escrow → buyer → seller).
  if (conversation.buyerAgentId) await lockAgent(tx, conversation.buyerAgentId);
  // Locks the seller's row, then sums its open escrows: concurrent offers cannot all fit under one limit.
  await assertOfferWithinLimits(tx, ctx, agentId, { amountMinor: input.amountMinor, currency: input.currency });

  const now = ctx.now();
  const decision = decideOffer(input, service?.deliveryInHours ?? null, ctx.config.feeBps, now, ctx.config.windows);
  return recordOffer(
    tx,
    ctx,
    { agentId, conversation, serviceId: service?.id ?? null, referenceCode: await unusedReferenceCode(tx), decision },
    now,
  );
}
