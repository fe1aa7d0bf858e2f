// The seller's tier limits (SPEC §6.5), enforced on the one write path of offers (create-offer.ts) and
// re-checked when an offer is accepted (run-command.ts). The seller's agent row is locked first
// (SELECT … FOR UPDATE) in the transaction that sums its open escrows and then inserts or funds one, so
// concurrent offers of one agent are serialised: of 30 racing offers exactly as many as fit are made.
// Lock order on every path: escrow → buying agent → selling agent (see run-command.ts).
//
// Limits are stated in the limits' currency (HOLDFAST_LIMITS_CURRENCY); an offer and the open escrows
// in other currencies are converted into it with the configured rates, rounded UP (a converted amount
// is never understated against a cap). An open escrow in a currency that cannot be converted (one no
// longer configured) makes the open total unknowable, so new offers are refused until it ends.
// The rules and their refusals: src/domain/offer-limits.ts (judgeOfferLimits, offerLimitRefusal,
// acceptLimitRefusal) over src/domain/risk.ts's tiers; this file locks, converts, sums and asks.
import { DomainError } from "~/domain/escrow/errors";
import { OPEN_STATUSES } from "~/domain/escrow/states";
import { convertMinor, sumConverted } from "~/domain/currency";
import { acceptLimitRefusal, judgeOfferLimits, offerLimitRefusal, type OfferInLimits, type OfferLimitJudgement } from "~/domain/offer-limits";
import { currenciesOf } from "../config";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { AGENT_RECORD_COLUMNS } from "../reputation/record";
import { agentRiskTier, riskProfileOf } from "./profile";
import { AGENT_STANDING_COLUMNS, AGENT_STANDING_JOIN, agentStandingOf, type StandingRow } from "./standing";

/** Locks the agent's row for the rest of the transaction: the serialisation point of its limits. */
export async function lockAgent(tx: Tx, agentId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM agents WHERE id = ${agentId} FOR UPDATE`;
}

interface OfferAmount {
  amountMinor: number;
  currency: string;
}

/** The agent's open escrows by currency, leaving out `excludeEscrowId` (the one being judged). */
async function otherOpenAmounts(tx: Tx, agentId: string, excludeEscrowId?: string): Promise<OfferAmount[]> {
  const groups = await tx.escrow.groupBy({
    by: ["currency"],
    where: {
      agentId,
      status: { in: [...OPEN_STATUSES] },
      ...(excludeEscrowId ? { id: { not: excludeEscrowId } } : {}),
    },
    _sum: { amountMinor: true },
  });
  return groups.map((g) => ({ currency: g.currency, amountMinor: Number(g._sum.amountMinor ?? 0n) }));
}

interface Judged {
  judgement: OfferLimitJudgement;
  offer: OfferInLimits;
  limitsCurrency: string;
}

/** Locks the seller, then judges the offer against its tier with its other open escrows (all converted). */
async function judge(tx: Tx, ctx: EngineContext, agentId: string, offer: OfferAmount, excludeEscrowId?: string): Promise<Judged> {
  await lockAgent(tx, agentId);
  const settings = currenciesOf(ctx.config);
  const limitsCurrency = settings.base;
  const { policy } = await agentRiskTier(tx, ctx, agentId);
  const inLimits = { ...offer, convertedMinor: convertMinor(settings, offer.amountMinor, offer.currency, limitsCurrency, "up") };
  const open = sumConverted(settings, await otherOpenAmounts(tx, agentId, excludeEscrowId), limitsCurrency, "up");
  return { judgement: judgeOfferLimits(policy, inLimits, open), offer: inLimits, limitsCurrency };
}

/** Refuses (422 amount_out_of_range, nothing written) an offer the seller's tier does not allow. */
export async function assertOfferWithinLimits(tx: Tx, ctx: EngineContext, agentId: string, offer: OfferAmount): Promise<void> {
  const judged = await judge(tx, ctx, agentId, offer);
  const refusal = offerLimitRefusal(judged.judgement, judged.offer, judged.limitsCurrency);
  if (refusal) throw new DomainError(refusal);
}

/**
 * At accept: the seller's limits may have tightened since the offer (its tier dropped, a rate moved).
 * Refuses the funding (422 amount_out_of_range, nothing written) if the offer, with the seller's other
 * open escrows, no longer fits; the customer is told to ask for a smaller offer or wait.
 */
export async function assertAcceptWithinLimits(
  tx: Tx,
  ctx: EngineContext,
  escrow: { id: string; agentId: string; amountMinor: bigint; currency: string },
): Promise<void> {
  const offer = { amountMinor: Number(escrow.amountMinor), currency: escrow.currency };
  const judged = await judgeAccept(tx, ctx, escrow.agentId, offer, escrow.id);
  const refusal = acceptLimitRefusal(judged.judgement, judged.limitsCurrency);
  if (refusal) throw new DomainError(refusal);
}

/**
 * `judge` for an accept, in ONE statement (the transition's round-trip budget, issue 20): locks the seller
 * and reads its record (the tier's evidence), its standing (the open signal that freezes promotion) and other open escrows. The record is the statement's snapshot, taken before
 * the lock is granted — enough here, unlike for an offer: funding an escrow does not add to the seller's
 * open total (a pending offer already counts), so a concurrent offer was judged with this one included.
 */
async function judgeAccept(tx: Tx, ctx: EngineContext, agentId: string, offer: OfferAmount, excludeEscrowId: string): Promise<Judged> {
  const settings = currenciesOf(ctx.config);
  const limitsCurrency = settings.base;
  const [row] = await tx.$queryRaw<(Omit<StandingRow, "customer_wrote"> & { open: { currency: string; amountMinor: string }[] })[]>`
    SELECT ${AGENT_RECORD_COLUMNS}, ${AGENT_STANDING_COLUMNS},
           (SELECT COALESCE(jsonb_agg(jsonb_build_object('currency', g.currency, 'amountMinor', g.total::text)), '[]'::jsonb)
              FROM (SELECT o.currency, SUM(o.amount_minor) AS total FROM escrows o
                     WHERE o.agent_id = a.id AND o.id <> ${excludeEscrowId}
                       AND o.status = ANY (${[...OPEN_STATUSES]}::text[]::"EscrowStatus"[])
                     GROUP BY o.currency) g) AS open
      FROM agents a ${AGENT_STANDING_JOIN}
     WHERE a.id = ${agentId}
       FOR UPDATE OF a`;
  const { policy } = riskProfileOf(ctx, agentStandingOf(agentId, row));
  const inLimits = { ...offer, convertedMinor: convertMinor(settings, offer.amountMinor, offer.currency, limitsCurrency, "up") };
  const others = (row?.open ?? []).map((g) => ({ currency: g.currency, amountMinor: Number(g.amountMinor) }));
  const open = sumConverted(settings, others, limitsCurrency, "up");
  return { judgement: judgeOfferLimits(policy, inLimits, open), offer: inLimits, limitsCurrency };
}
