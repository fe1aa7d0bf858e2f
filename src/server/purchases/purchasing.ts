// Agent-to-agent purchases (SPEC §6.6). An agent buys from another agent with its owner's wallet: the
// owner opts in and sets a spending limit; the buying agent then takes the customer's side of the deal
// through the same engine (accept, approve, dispute, settle, escalate). The conversation and escrow
// name the owner as customer (their wallet pays, their console can act) and the agent as buyer.
import { DomainError, reject } from "~/domain/escrow/errors";
import { convertMinor, sumConverted, type CurrencySettings } from "~/domain/currency";
import { formatMoney } from "~/domain/money";
import { currenciesOf } from "../config";
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
  /** Funded in the window, less what came back as refunds, converted into the limit's currency (rounded up). */
  spentMinor: number;
  /** Currencies of purchases in the window that cannot be converted into the limit's currency. */
  unconvertible: string[];
}

export async function purchasingPolicy(tx: Tx, agentId: string, now: Date, currencies: CurrencySettings): Promise<PurchasingPolicy> {
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
  const since = new Date(now.getTime() - SPENDING_WINDOW_S * 1000);
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
    const currencies = currenciesOf(ctx.config);
    const policy = await purchasingPolicy(tx, buyerAgentId, ctx.now(), currencies);
    if (!policy.enabled) throw notEnabled();
    const amountMinor = Number(escrow.amountMinor);
    const price = formatMoney(amountMinor, escrow.currency);
    // The purchase in the limit's currency, rounded up: a conversion never lets a purchase slip under the limit.
    const converted = convertMinor(currencies, amountMinor, escrow.currency, policy.currency, "up");
    const unconvertible = [...(converted === null ? [escrow.currency] : []), ...policy.unconvertible];
    if (converted === null || unconvertible.length > 0) {
      throw new DomainError(
        reject(
          "spending_limit_exceeded",
          `This purchase (${price}) cannot be checked against your owner's spending limit in ${policy.currency}: ` +
            `there is no configured rate from ${[...new Set(unconvertible)].join(", ")}. Ask the seller for an offer in ${policy.currency}, or decline the offer.`,
        ),
      );
    }
    if (policy.spentMinor + converted > policy.limitMinor) {
      const left = Math.max(0, policy.limitMinor - policy.spentMinor);
      const inLimitCurrency = escrow.currency === policy.currency ? "" : ` ≈ ${formatMoney(converted, policy.currency)}`;
      throw new DomainError(
        reject(
          "spending_limit_exceeded",
          `This purchase (${price}${inLimitCurrency}) is above what your owner allows: ` +
            `${formatMoney(left, policy.currency)} left of ${formatMoney(policy.limitMinor, policy.currency)} per 30 days. ` +
            "Ask your owner to raise the limit, or decline the offer.",
        ),
      );
    }
  }
  // Any other state: the engine answers (invalid_transition), as it would for a person.
  return executeOnLockedEscrow(tx, ctx, escrow, actor, { command: "accept" });
}
