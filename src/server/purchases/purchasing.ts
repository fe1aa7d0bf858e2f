// Agent-to-agent purchases (SPEC §6.6). An agent buys from another agent with its owner's wallet: the
// owner opts in and sets a spending limit; the buying agent then takes the customer's side of the deal
// through the same engine (accept, approve, dispute, settle, escalate). The conversation and escrow
// name the owner as customer (their wallet pays, their console can act) and the agent as buyer.
// The rules (the window, the limit, self-dealing) are src/domain/purchasing.ts; this file gathers their
// facts, locks, and runs the engine.
import { DomainError } from "~/domain/escrow/errors";
import { sumConverted, type CurrencySettings } from "~/domain/currency";
import {
  PURCHASING_NOT_ENABLED, purchaseRefusal, selfDealingRefusal, spendingWindowStart, type SpendingLimit,
} from "~/domain/purchasing";
import { currenciesOf } from "../config";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { notFound } from "../errors";
import { findOrCreateConversation } from "../conversations/customer-chat";
import { executeOnLockedEscrow, lockEscrow, type CommandResult } from "../escrow/run-command";

/** The buying agent's limit and its spending in the window (GET /me shows it; accept judges by it). */
export async function purchasingPolicy(tx: Tx, agentId: string, now: Date, currencies: CurrencySettings): Promise<SpendingLimit> {
  const agent = await tx.agent.findUnique({
    where: { id: agentId },
    select: { purchasingEnabled: true, purchaseLimitMinor: true, purchaseLimitCurrency: true },
  });
  if (!agent) throw notFound("agent");
  const spent = (await spentInWindow(tx, [agentId], now, currencies)).get(agentId);
  return {
    enabled: agent.purchasingEnabled,
    currency: agent.purchaseLimitCurrency,
    limitMinor: Number(agent.purchaseLimitMinor),
    spentMinor: spent?.spentMinor ?? 0,
    unconvertible: spent?.unconvertible ?? [],
  };
}

export interface SpentInWindow {
  spentMinor: number;
  unconvertible: string[];
}

/**
 * What each agent's purchases took from its owner's wallet in the window, in the currency of its limit:
 * the amount of every purchase funded (an `accept` in the audit trail) since the window began, less the
 * refunded part, each currency's subtotal converted with the configured rates and rounded UP (spending is
 * never understated against the limit). A purchase still in escrow counts in full — the money has left
 * the wallet. One query for any number of agents (the owner console asks for all of an owner's agents
 * at once); agents with nothing spent are absent from the map.
 */
export async function spentInWindow(
  tx: Tx | EngineContext["db"],
  agentIds: string[],
  now: Date,
  currencies: CurrencySettings,
): Promise<Map<string, SpentInWindow>> {
  if (agentIds.length === 0) return new Map();
  const since = spendingWindowStart(now);
  const rows = await tx.$queryRaw<{ agent_id: string; limit_currency: string; currency: string; spent: bigint }[]>`
    SELECT e.buyer_agent_id AS agent_id, a.purchase_limit_currency AS limit_currency, e.currency,
           SUM(e.amount_minor - e.refund_amount_minor) AS spent
    FROM escrows e JOIN agents a ON a.id = e.buyer_agent_id
    WHERE e.buyer_agent_id = ANY(${agentIds}::text[])
      AND EXISTS (SELECT 1 FROM escrow_events ev
                  WHERE ev.escrow_id = e.id AND ev.command = 'accept' AND ev.created_at > ${since})
    GROUP BY e.buyer_agent_id, a.purchase_limit_currency, e.currency`;
  const byAgent = new Map<string, { limitCurrency: string; amounts: { amountMinor: number; currency: string }[] }>();
  for (const r of rows) {
    const entry = byAgent.get(r.agent_id) ?? { limitCurrency: r.limit_currency, amounts: [] };
    entry.amounts.push({ currency: r.currency, amountMinor: Number(r.spent) });
    byAgent.set(r.agent_id, entry);
  }
  return new Map(
    [...byAgent].map(([agentId, { limitCurrency, amounts }]) => {
      const { totalMinor, unconvertible } = sumConverted(currencies, amounts, limitCurrency, "up");
      return [agentId, { spentMinor: totalMinor, unconvertible }];
    }),
  );
}

/** Opens (or returns) the buying agent's conversation with a seller agent. */
export async function openPurchaseConversation(tx: Tx, ctx: EngineContext, buyerAgentId: string, sellerHandle: string) {
  const buyer = await tx.agent.findUniqueOrThrow({ where: { id: buyerAgentId }, select: { ownerId: true, purchasingEnabled: true } });
  const seller = await tx.agent.findFirst({ where: { handle: sellerHandle, status: "active", owner: { status: "active" } } });
  if (!seller) throw notFound("seller agent");
  if (!buyer.purchasingEnabled) throw new DomainError(PURCHASING_NOT_ENABLED);
  const selfDealing = selfDealingRefusal(buyer.ownerId, seller.ownerId);
  if (selfDealing) throw new DomainError(selfDealing);
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
  // Both agents in id order (the global lock order, docs/SCALING.md): the buyer's spending limit here and
  // the seller's tier limits in the engine are then checked under locks taken the way a timer batch takes them.
  await tx.$queryRaw`SELECT id FROM agents WHERE id IN (${buyerAgentId}, ${escrow.agentId}) ORDER BY id COLLATE "C" FOR UPDATE`;
  if (escrow.status === "pending") {
    const currencies = currenciesOf(ctx.config);
    const limit = await purchasingPolicy(tx, buyerAgentId, ctx.now(), currencies);
    const refusal = purchaseRefusal(limit, { amountMinor: Number(escrow.amountMinor), currency: escrow.currency }, currencies);
    if (refusal) throw new DomainError(refusal);
  }
  // Any other state: the engine answers (invalid_transition), as it would for a person.
  return executeOnLockedEscrow(tx, ctx, escrow, actor, { command: "accept" });
}
