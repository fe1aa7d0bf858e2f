// The seller's tier limits (SPEC §6.5), enforced on the one write path of offers (create-offer.ts) and
// re-checked when an offer is accepted (run-command.ts). The seller's agent row is locked first
// (SELECT … FOR UPDATE) in the transaction that sums its open escrows and then inserts or funds one, so
// concurrent offers of one agent are serialised: of 30 racing offers exactly as many as fit are made.
// Lock order on every path: escrow → buying agent → selling agent (see run-command.ts).
import { DomainError, reject } from "~/domain/escrow/errors";
import { TERMINAL_STATUSES } from "~/domain/escrow/states";
import { formatMoney } from "~/domain/money";
import { offerLimitBreach, type OfferLimitBreach } from "~/domain/risk";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { agentRiskProfile, LIMITS_CURRENCY } from "./profile";

/** Locks the agent's row for the rest of the transaction: the serialisation point of its limits. */
export async function lockAgent(tx: Tx, agentId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM agents WHERE id = ${agentId} FOR UPDATE`;
}

interface OfferAmount {
  amountMinor: number;
  currency: string;
}

/** The total of the agent's open escrows in `currency`, leaving out `excludeEscrowId` (the one being judged). */
async function otherOpenMinor(tx: Tx, agentId: string, currency: string, excludeEscrowId?: string): Promise<number> {
  const open = await tx.escrow.aggregate({
    where: {
      agentId,
      currency,
      status: { notIn: [...TERMINAL_STATUSES] },
      ...(excludeEscrowId ? { id: { not: excludeEscrowId } } : {}),
    },
    _sum: { amountMinor: true },
  });
  return Number(open._sum.amountMinor ?? 0n);
}

async function breachFor(tx: Tx, ctx: EngineContext, agentId: string, offer: OfferAmount, excludeEscrowId?: string): Promise<OfferLimitBreach | null> {
  await lockAgent(tx, agentId);
  const { policy } = await agentRiskProfile(tx, ctx.config.riskPolicies, agentId);
  return offerLimitBreach(policy, offer.amountMinor, await otherOpenMinor(tx, agentId, offer.currency, excludeEscrowId));
}

const money = (amountMinor: number) => formatMoney(amountMinor, LIMITS_CURRENCY);

/** Refuses (422 amount_out_of_range, nothing written) an offer the seller's tier does not allow. */
export async function assertOfferWithinLimits(tx: Tx, ctx: EngineContext, agentId: string, offer: OfferAmount): Promise<void> {
  const breach = await breachFor(tx, ctx, agentId, offer);
  if (!breach) return;
  if (breach.kind === "per_escrow") {
    throw new DomainError(
      reject(
        "amount_out_of_range",
        `The amount ${breach.amountMinor} is above your per-escrow limit of ${breach.capMinor} (${money(breach.capMinor)}); see GET /me.`,
      ),
    );
  }
  throw new DomainError(
    reject(
      "amount_out_of_range",
      `Your open escrows already hold ${breach.otherOpenMinor}; adding ${breach.amountMinor} would pass your open-amount limit of ${breach.capMinor} (${money(breach.capMinor)}). Finish or cancel open escrows first; see GET /me.`,
    ),
  );
}

/**
 * At accept: the seller's limits may have tightened since the offer (its tier dropped). Refuses the
 * funding (422 amount_out_of_range, nothing written) if the offer, with the seller's other open
 * escrows, no longer fits; the customer is told to ask for a smaller offer or wait.
 */
export async function assertAcceptWithinLimits(
  tx: Tx,
  ctx: EngineContext,
  escrow: { id: string; agentId: string; amountMinor: bigint; currency: string },
): Promise<void> {
  const breach = await breachFor(tx, ctx, escrow.agentId, { amountMinor: Number(escrow.amountMinor), currency: escrow.currency }, escrow.id);
  if (!breach) return;
  const why =
    breach.kind === "per_escrow"
      ? `it is above the seller's current per-escrow limit of ${money(breach.capMinor)}`
      : `with the seller's other open orders it would pass the seller's current open-amount limit of ${money(breach.capMinor)}`;
  throw new DomainError(
    reject(
      "amount_out_of_range",
      `This offer can no longer be accepted: ${why}. Nothing was charged. Ask the seller for a smaller offer, or try again after its open orders finish.`,
    ),
  );
}
