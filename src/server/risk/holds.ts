// Held payouts. When a new or risky agent's escrow releases, the seller's net
// goes to the owner's `held` account instead of the wallet, with a payout_holds
// row saying when it becomes available; releaseDueHolds moves it on time.
import { heldKey, walletKey } from "~/domain/ledger/accounts";
import { operationKey } from "~/domain/ledger/transfers";
import { payoutRouteFor, type RiskTier, type TierPolicy } from "~/domain/risk";
import { signalPayoutHold } from "~/domain/signals";
import type { EngineContext } from "../context";
import { inTransaction, type Tx } from "../db/transaction";
import { postTransfer, type AccountSpec } from "../ledger/ledger";
import { agentRiskTier, riskProfileOf } from "./profile";
import { openSignalIn } from "./signal-state";
import { agentStandingFor } from "./standing";

export interface SellerPayout {
  account: AccountSpec;
  /** Set when the money is held: record the hold after posting. */
  hold: PayoutHoldTerms | null;
}

export interface PayoutHoldTerms {
  releaseAt: Date;
  riskTier: string;
  /** Set when an open signal holds it (src/domain/signals.ts SIGNAL_ACTIONS): 'review' is not released until a moderator clears it. */
  signalHold?: "lengthened" | "review" | null;
}

type Client = Parameters<typeof agentRiskTier>[0];

/**
 * The agent's tier: its record, or a moderator's pin — an agent case's 'restrict' pins it at restricted
 * (agent_tier_pins is the restriction's one record), so there is one source of the tier.
 */
export function effectiveTier(client: Client, ctx: Parameters<typeof agentRiskTier>[1], agentId: string): Promise<{ tier: RiskTier; policy: TierPolicy }> {
  return agentRiskTier(client, ctx, agentId);
}

/**
 * Where this escrow's seller net goes: the owner's wallet, or held for the agent's tier (the rule:
 * payoutRouteFor in src/domain/risk.ts). Called by the release path under the escrow's lock, so the tier
 * is judged from the agent's record in one statement (agentRiskTier), never from its whole sales history.
 */
export async function sellerPayoutAccount(
  tx: Tx,
  ctx: EngineContext,
  escrow: { id: string; agentId: string; currency: string; conversationId: string; statusChangedAt: Date },
  ownerId: string,
): Promise<SellerPayout> {
  // One statement: the agent's record (its tier; a moderator's 'restrict' pins it) and its signals.
  const standing = await agentStandingFor(tx, escrow);
  const { tier, policy } = riskProfileOf(ctx, standing);
  const now = ctx.now();
  const route = payoutRouteFor(tier, policy, now);
  // An open signal lengthens the hold, or holds the payout until a moderator reviews the agent.
  const signal = openSignalIn(standing, ctx.config.signalActions);
  const bySignal = signalPayoutHold(signal?.action ?? null, route.held ? route.releaseAt : null, now);
  if (bySignal) {
    return {
      account: { key: heldKey(ownerId, escrow.currency), kind: "held", currency: escrow.currency, userId: ownerId },
      hold: { releaseAt: bySignal.releaseAt, riskTier: tier, signalHold: bySignal.signalHold },
    };
  }
  if (!route.held) {
    return { account: { key: walletKey(ownerId, escrow.currency), kind: "wallet", currency: escrow.currency, userId: ownerId }, hold: null };
  }
  return {
    account: { key: heldKey(ownerId, escrow.currency), kind: "held", currency: escrow.currency, userId: ownerId },
    hold: { releaseAt: route.releaseAt, riskTier: route.riskTier },
  };
}


/**
 * Moves every hold whose time has come from `held` to the owner's wallet, each
 * in its own transaction. SKIP LOCKED lets several processes run this at once;
 * the unique operation key makes a second release of one hold impossible.
 */
export async function releaseDueHolds(ctx: EngineContext, options: { limit?: number } = {}): Promise<number> {
  const now = ctx.now();
  let released = 0;
  for (let i = 0; i < (options.limit ?? 500); i++) {
    const done = await inTransaction(ctx.db, async (tx) => {
      const [hold] = await tx.$queryRaw<{ id: string; escrow_id: string; owner_id: string; currency: string; amount_minor: bigint }[]>`
        SELECT id, escrow_id, owner_id, currency, amount_minor FROM payout_holds
         WHERE released_at IS NULL AND release_at <= ${now} AND signal_hold IS DISTINCT FROM 'review'
         ORDER BY release_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
      if (!hold) return false;
      await postTransfer(tx, {
        operationKey: operationKey(hold.escrow_id, "hold_release"),
        kind: "hold_release",
        from: { key: heldKey(hold.owner_id, hold.currency), kind: "held", currency: hold.currency, userId: hold.owner_id },
        to: { key: walletKey(hold.owner_id, hold.currency), kind: "wallet", currency: hold.currency, userId: hold.owner_id },
        amountMinor: Number(hold.amount_minor),
        currency: hold.currency,
        escrowId: hold.escrow_id,
      });
      await tx.payoutHold.update({ where: { id: hold.id }, data: { releasedAt: now } });
      return true;
    });
    if (!done) break;
    released++;
  }
  return released;
}

/**
 * A moderator reviewed the agent (clear or restrict): its signal-held payouts follow the normal hold
 * again — each released at its release time plus the tier's hold now (already due ones go out with the
 * next run of releaseDueHolds). Returns how many holds were reset.
 */
export async function resetSignalHolds(tx: Tx, ctx: EngineContext, agentId: string): Promise<number> {
  const { tier, policy } = await effectiveTier(tx, ctx, agentId);
  const holds = await tx.payoutHold.findMany({ where: { agentId, releasedAt: null, signalHold: { not: null } }, select: { id: true, createdAt: true } });
  for (const hold of holds) {
    await tx.payoutHold.update({
      where: { id: hold.id },
      // The tier whose hold it now follows, so the owner's reason names it (a restricted agent's, not the tier at release).
      data: { signalHold: null, riskTier: tier, releaseAt: new Date(hold.createdAt.getTime() + policy.payoutHoldS * 1000) },
    });
  }
  return holds.length;
}
