// Agent-to-agent purchases (SPEC §6.6). An agent buys from another agent with its owner's wallet: the
// owner opts in and sets a spending limit; the buying agent then takes the customer's side of the deal
// through the same engine (accept, approve, dispute, settle, escalate). The conversation and escrow
// name the owner as customer (their wallet pays, their console can act) and the agent as buyer.
import { DomainError, reject } from "~/domain/escrow/errors";
import { formatMoney } from "~/domain/money";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { notFound } from "../errors";
import { findOrCreateConversation } from "../conversations/customer-chat";
import { executeOnLockedEscrow, lockEscrow, type CommandResult } from "../escrow/run-command";

/** The window the spending limit covers: what was funded in the last 30 days. */
export const SPENDING_WINDOW_S = 30 * 24 * 3600;

export interface PurchasingPolicy {
  enabled: boolean;
  currency: string;
  limitMinor: number;
  /** Funded in the window, less what came back as refunds. */
  spentMinor: number;
}

export async function purchasingPolicy(tx: Tx, agentId: string, now: Date): Promise<PurchasingPolicy> {
  const agent = await tx.agent.findUnique({
    where: { id: agentId },
    select: { purchasingEnabled: true, purchaseLimitMinor: true, purchaseLimitCurrency: true },
  });
  if (!agent) throw notFound("agent");
  return {
    enabled: agent.purchasingEnabled,
    currency: agent.purchaseLimitCurrency,
    limitMinor: Number(agent.purchaseLimitMinor),
    spentMinor: (await spentInWindow(tx, [agentId], now)).get(agentId) ?? 0,
  };
}

/**
 * What each agent's purchases took from its owner's wallet in the window, in the currency of its limit:
 * the amount of every purchase funded (an `accept` in the audit trail) since the window began, less the
 * refunded part. A purchase still in escrow counts in full — the money has left the wallet. One query
 * for any number of agents (the owner console asks for all of an owner's agents at once); agents with
 * nothing spent are absent from the map.
 */
export async function spentInWindow(tx: Tx | EngineContext["db"], agentIds: string[], now: Date): Promise<Map<string, number>> {
  if (agentIds.length === 0) return new Map();
  const since = new Date(now.getTime() - SPENDING_WINDOW_S * 1000);
  const rows = await tx.$queryRaw<{ agent_id: string; spent: bigint }[]>`
    SELECT e.buyer_agent_id AS agent_id, SUM(e.amount_minor - e.refund_amount_minor) AS spent
    FROM escrows e JOIN agents a ON a.id = e.buyer_agent_id
    WHERE e.buyer_agent_id = ANY(${agentIds}::text[]) AND e.currency = a.purchase_limit_currency
      AND EXISTS (SELECT 1 FROM escrow_events ev
                  WHERE ev.escrow_id = e.id AND ev.command = 'accept' AND ev.created_at > ${since})
    GROUP BY e.buyer_agent_id`;
  return new Map(rows.map((r) => [r.agent_id, Number(r.spent)]));
}

function notEnabled(): DomainError {
  return new DomainError(
    reject("purchasing_not_enabled", "Your owner has not allowed you to buy from other agents. Ask them to turn it on in the owner console."),
  );
}

/** Opens (or returns) the buying agent's conversation with a seller agent. */
export async function openPurchaseConversation(tx: Tx, ctx: EngineContext, buyerAgentId: string, sellerHandle: string) {
  const buyer = await tx.agent.findUniqueOrThrow({ where: { id: buyerAgentId }, select: { ownerId: true, purchasingEnabled: true } });
  const seller = await tx.agent.findFirst({ where: { handle: sellerHandle, status: "active", owner: { status: "active" } } });
  if (!seller) throw notFound("seller agent");
  if (!buyer.purchasingEnabled) throw notEnabled();
  // Buying from yourself, or from an agent of your own owner, moves money in a circle and
  // manufactures reputation: refused outright (the collusion signals catch subtler cases).
  if (seller.ownerId === buyer.ownerId) {
    throw new DomainError(reject("purchase_not_allowed", "An agent cannot buy from itself or from another agent of the same owner."));
  }
  const conversation = await findOrCreateConversation(tx, { agentId: seller.id, customerId: buyer.ownerId, buyerAgentId }, ctx.now());
  return { conversation, seller };
}

/**
 * The buying agent accepts an offer: the engine's `accept`, after the owner's rules. The escrow row is
 * locked first and the buying agent's row second (the engine's lock order), so two accepts by one agent
 * are serialised and cannot both fit under the limit that only one fits.
 */
export async function acceptPurchase(tx: Tx, ctx: EngineContext, buyerAgentId: string, escrowRef: string): Promise<CommandResult> {
  const actor = { kind: "buyer_agent", agentId: buyerAgentId } as const;
  const escrow = await lockEscrow(tx, escrowRef, actor);
  await tx.$queryRaw`SELECT id FROM agents WHERE id = ${buyerAgentId} FOR UPDATE`;
  if (escrow.status === "pending") {
    const policy = await purchasingPolicy(tx, buyerAgentId, ctx.now());
    if (!policy.enabled) throw notEnabled();
    const amount = Number(escrow.amountMinor);
    if (escrow.currency !== policy.currency) {
      throw new DomainError(
        reject(
          "spending_limit_exceeded",
          `This purchase is in ${escrow.currency}; your owner's spending limit is in ${policy.currency}, ` +
            `so it allows no ${escrow.currency} purchases. Ask the seller for an offer in ${policy.currency}, or decline the offer.`,
        ),
      );
    }
    if (policy.spentMinor + amount > policy.limitMinor) {
      const left = Math.max(0, policy.limitMinor - policy.spentMinor);
      throw new DomainError(
        reject(
          "spending_limit_exceeded",
          `This purchase (${formatMoney(amount, escrow.currency)}) is above what your owner allows: ` +
            `${formatMoney(left, policy.currency)} left of ${formatMoney(policy.limitMinor, policy.currency)} per 30 days. ` +
            "Ask your owner to raise the limit, or decline the offer.",
        ),
      );
    }
  }
  // Any other state: the engine answers (invalid_transition), as it would for a person.
  return executeOnLockedEscrow(tx, ctx, escrow, actor, { command: "accept" });
}
