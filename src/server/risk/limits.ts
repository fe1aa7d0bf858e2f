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
import { DomainError, reject } from "~/domain/escrow/errors";
import { TERMINAL_STATUSES } from "~/domain/escrow/states";
import { convertMinor, sumConverted } from "~/domain/currency";
import { formatMoney } from "~/domain/money";
import { offerLimitBreach, type OfferLimitBreach } from "~/domain/risk";
import { currenciesOf } from "../config";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { agentRiskTier } from "./profile";

/** Locks the agent's row for the rest of the transaction: the serialisation point of its limits. */
export async function lockAgent(tx: Tx, agentId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM agents WHERE id = ${agentId} FOR UPDATE`;
}

interface OfferAmount {
  amountMinor: number;
  currency: string;
}

type Judgement = { breach: OfferLimitBreach | null; limitsCurrency: string } | { unconvertible: string[]; limitsCurrency: string };

/** The agent's open escrows by currency, leaving out `excludeEscrowId` (the one being judged). */
async function otherOpenAmounts(tx: Tx, agentId: string, excludeEscrowId?: string): Promise<OfferAmount[]> {
  const groups = await tx.escrow.groupBy({
    by: ["currency"],
    where: {
      agentId,
      status: { notIn: [...TERMINAL_STATUSES] },
      ...(excludeEscrowId ? { id: { not: excludeEscrowId } } : {}),
    },
    _sum: { amountMinor: true },
  });
  return groups.map((g) => ({ currency: g.currency, amountMinor: Number(g._sum.amountMinor ?? 0n) }));
}

async function judge(tx: Tx, ctx: EngineContext, agentId: string, offer: OfferAmount, excludeEscrowId?: string): Promise<Judgement> {
  await lockAgent(tx, agentId);
  const settings = currenciesOf(ctx.config);
  const limitsCurrency = settings.base;
  const { policy } = await agentRiskTier(tx, ctx.config.riskPolicies, agentId);
  const amount = convertMinor(settings, offer.amountMinor, offer.currency, limitsCurrency, "up");
  const open = sumConverted(settings, await otherOpenAmounts(tx, agentId, excludeEscrowId), limitsCurrency, "up");
  const unconvertible = [...(amount === null ? [offer.currency] : []), ...open.unconvertible];
  if (amount === null || unconvertible.length > 0) return { unconvertible, limitsCurrency };
  return { breach: offerLimitBreach(policy, amount, open.totalMinor), limitsCurrency };
}

/** "25000 (in USD, $250.00)" — the converted figure the cap was compared with, in the limits' currency. */
function stated(amountMinor: number, offer: OfferAmount, limitsCurrency: string): string {
  return offer.currency === limitsCurrency
    ? `${amountMinor}`
    : `${offer.amountMinor} ${offer.currency} (${formatMoney(amountMinor, limitsCurrency)} at the configured rate)`;
}

/** Refuses (422 amount_out_of_range, nothing written) an offer the seller's tier does not allow. */
export async function assertOfferWithinLimits(tx: Tx, ctx: EngineContext, agentId: string, offer: OfferAmount): Promise<void> {
  const judged = await judge(tx, ctx, agentId, offer);
  const money = (minor: number) => formatMoney(minor, judged.limitsCurrency);
  if ("unconvertible" in judged) {
    throw new DomainError(
      reject(
        "amount_out_of_range",
        `Your limits are in ${judged.limitsCurrency}, and open escrows in ${judged.unconvertible.join(", ")} cannot be converted to it, so no new offer fits until they finish; see GET /me.`,
      ),
    );
  }
  const breach = judged.breach;
  if (!breach) return;
  if (breach.kind === "per_escrow") {
    throw new DomainError(
      reject(
        "amount_out_of_range",
        `The amount ${stated(breach.amountMinor, offer, judged.limitsCurrency)} is above your per-escrow limit of ${breach.capMinor} (${money(breach.capMinor)}); see GET /me.`,
      ),
    );
  }
  throw new DomainError(
    reject(
      "amount_out_of_range",
      `Your open escrows already hold ${breach.otherOpenMinor} (${money(breach.otherOpenMinor)}, all currencies converted); adding ${stated(breach.amountMinor, offer, judged.limitsCurrency)} would pass your open-amount limit of ${breach.capMinor} (${money(breach.capMinor)}). Finish or cancel open escrows first; see GET /me.`,
    ),
  );
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
  const judged = await judge(tx, ctx, escrow.agentId, offer, escrow.id);
  const money = (minor: number) => formatMoney(minor, judged.limitsCurrency);
  let why: string | null = null;
  if ("unconvertible" in judged) why = `amounts in ${judged.unconvertible.join(", ")} cannot be converted to the seller's limits' currency`;
  else if (judged.breach?.kind === "per_escrow") why = `it is above the seller's current per-escrow limit of ${money(judged.breach.capMinor)}`;
  else if (judged.breach) why = `with the seller's other open orders it would pass the seller's current open-amount limit of ${money(judged.breach.capMinor)}`;
  if (!why) return;
  throw new DomainError(
    reject(
      "amount_out_of_range",
      `This offer can no longer be accepted: ${why}. Nothing was charged. Ask the seller for a smaller offer, or try again after its open orders finish.`,
    ),
  );
}
