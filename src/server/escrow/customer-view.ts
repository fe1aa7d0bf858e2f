// Escrows as the customer sees them: the protocol's Escrow object computed for
// the customer (allowed_actions are the customer's), plus settlements and the agent.
import { catalogNoticeFor, DEFAULT_CATALOG_PRICE_ALERT_PCT, type CatalogNotice } from "~/domain/offer-alerts";
import { currenciesOf } from "../config";
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
  /** The platform's word on the price (issue 17): off the catalog, or well above its listed price. */
  catalog_notice: CatalogNotice | null;
}

export function toCustomerEscrowView(
  row: EscrowRow,
  settlements: SettlementRow[],
  agent: { handle: string; displayName: string },
  now: Date,
  buyerAgent: { handle: string; displayName: string } | null = null,
  catalogNotice: CatalogNotice | null = null,
): CustomerEscrowView {
  return {
    ...toEscrowJson(row, openSettlementOf(settlements), "customer", now),
    agent: { handle: agent.handle, display_name: agent.displayName },
    buyer_agent: buyerAgent ? { handle: buyerAgent.handle, display_name: buyerAgent.displayName } : null,
    settlements: settlements.map(toSettlementJson),
    catalog_notice: catalogNotice,
  };
}

function noticeOf(ctx: EngineContext, row: EscrowRow & { service: { priceMinor: bigint; currency: string } | null }) {
  const service = row.service ? { priceMinor: Number(row.service.priceMinor), currency: row.service.currency } : null;
  return catalogNoticeFor(
    { amountMinor: Number(row.amountMinor), currency: row.currency, service },
    { currencies: currenciesOf(ctx.config), catalogPriceAlertPct: ctx.config.catalogPriceAlertPct ?? DEFAULT_CATALOG_PRICE_ALERT_PCT },
  );
}

const include = {
  agent: { select: { handle: true, displayName: true } },
  buyerAgent: { select: { handle: true, displayName: true } },
  settlements: { orderBy: { createdAt: "asc" as const } },
  service: { select: { priceMinor: true, currency: true } },
};

export async function customerEscrow(ctx: EngineContext, customerId: string, ref: string): Promise<CustomerEscrowView> {
  const row = await ctx.db.escrow.findFirst({ where: { AND: [escrowRefFilter(ref), { customerId }] }, include });
  if (!row) throw notFound("escrow");
  return toCustomerEscrowView(row, row.settlements, row.agent, ctx.now(), row.buyerAgent, noticeOf(ctx, row));
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
  return rows.map((row) => toCustomerEscrowView(row, row.settlements, row.agent, now, row.buyerAgent, noticeOf(ctx, row)));
}
