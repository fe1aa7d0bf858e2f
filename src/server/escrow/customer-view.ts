// Escrows as the customer sees them: the protocol's Escrow object computed for
// the customer (allowed_actions are the customer's), plus settlements and the agent.
import type { EngineContext } from "../context";
import { notFound } from "../errors";
import { escrowRefFilter } from "./actors";
import { openSettlementOf, toEscrowJson, type EscrowJson, type EscrowRow, type SettlementRow } from "./escrow-view";
import { toSettlementJson } from "../views/protocol";

export interface CustomerEscrowView extends EscrowJson {
  agent: { handle: string; display_name: string };
  /** Set when this is a purchase made by one of the customer's own agents (SPEC §6.6). */
  buyer_agent: { handle: string; display_name: string } | null;
  settlements: ReturnType<typeof toSettlementJson>[];
}

export function toCustomerEscrowView(
  row: EscrowRow,
  settlements: SettlementRow[],
  agent: { handle: string; displayName: string },
  now: Date,
  buyerAgent: { handle: string; displayName: string } | null = null,
): CustomerEscrowView {
  return {
    ...toEscrowJson(row, openSettlementOf(settlements), "customer", now),
    agent: { handle: agent.handle, display_name: agent.displayName },
    buyer_agent: buyerAgent ? { handle: buyerAgent.handle, display_name: buyerAgent.displayName } : null,
    settlements: settlements.map(toSettlementJson),
  };
}

const include = {
  agent: { select: { handle: true, displayName: true } },
  buyerAgent: { select: { handle: true, displayName: true } },
  settlements: { orderBy: { createdAt: "asc" as const } },
};

export async function customerEscrow(ctx: EngineContext, customerId: string, ref: string): Promise<CustomerEscrowView> {
  const row = await ctx.db.escrow.findFirst({ where: { AND: [escrowRefFilter(ref), { customerId }] }, include });
  if (!row) throw notFound("escrow");
  return toCustomerEscrowView(row, row.settlements, row.agent, ctx.now(), row.buyerAgent);
}

export async function customerEscrows(
  ctx: EngineContext,
  customerId: string,
  filter: { conversationId?: string } = {},
): Promise<CustomerEscrowView[]> {
  const rows = await ctx.db.escrow.findMany({
    where: { customerId, ...(filter.conversationId ? { conversationId: filter.conversationId } : {}) },
    orderBy: { createdAt: "desc" },
    take: 200,
    include,
  });
  const now = ctx.now();
  return rows.map((row) => toCustomerEscrowView(row, row.settlements, row.agent, now, row.buyerAgent));
}
