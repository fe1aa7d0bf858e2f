// An agent's record (issue 17 item 5): the rows the trigger `agent_record_on_finish` (migration
// t_agent_record) keeps in the transaction that finishes each sale. Reputation, the risk tier, the
// signals' evidence and the owner console read these figures; what a sale is, and how each figure
// counts it, is defined once, in that migration's agent_record_count_sale.
import type { RiskTier } from "~/domain/risk";
import { RISK_TIERS } from "~/domain/risk";
import type { RecordBuyer, RecordTotals } from "~/domain/tier-policy";
import type { EngineContext } from "../context";
import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";

type Client = EngineContext["db"] | Tx;

export interface RecordCurrencyTotals extends RecordTotals {
  split: number;
  adminDecisions: number;
  releasedMinor: number;
  completed: number;
  approvedByCustomer: number;
  autoReleased: number;
  deliveries: number;
  onTimeDeliveries: number;
}

export interface AgentRecord {
  agentId: string;
  ownerId: string;
  /** One row per currency the agent sold in. */
  totals: RecordCurrencyTotals[];
  /** One row per distinct buyer and currency. */
  buyers: RecordBuyer[];
  /** A moderator's pin, if any. */
  pinned: RiskTier | null;
}

type TotalsJson = {
  currency: string;
  sales: number;
  disputed: number;
  refunded_in_full: number;
  split: number;
  admin_decisions: number;
  admin_losses: number;
  released_minor: number;
  disputed_amount_minor: number;
  refunded_amount_minor: number;
  completed: number;
  approved_by_customer: number;
  auto_released: number;
  deliveries: number;
  on_time_deliveries: number;
};
type BuyerJson = {
  buyer_id: string;
  currency: string;
  linked: boolean;
  sales: number;
  amount_minor: number;
  released_minor: number;
  largest_released_minor: number;
  largest_released_at: string;
};

/**
 * The agent's record in one statement (one row per currency and per buyer, never per sale), so the
 * locked paths — a release under the escrow's lock, an offer under the agent's — read it cheaply.
 * An agent that does not exist reads as an empty record.
 */
/**
 * The record's columns for a statement that reads `agents a` (one row per currency and per buyer, never per
 * sale): readAgentRecord's own query, and the accept's single locking statement (src/server/risk/limits.ts).
 */
export const AGENT_RECORD_COLUMNS = Prisma.sql`
  a.owner_id,
  COALESCE((SELECT json_agg(r ORDER BY r.currency) FROM agent_records r WHERE r.agent_id = a.id), '[]'::json) AS totals,
  COALESCE((SELECT json_agg(b ORDER BY b.buyer_id, b.currency) FROM agent_record_buyers b WHERE b.agent_id = a.id), '[]'::json) AS buyers,
  (SELECT p.tier FROM agent_tier_pins p WHERE p.agent_id = a.id) AS pinned`;

export interface AgentRecordRow {
  owner_id: string;
  totals: TotalsJson[];
  buyers: BuyerJson[];
  pinned: string | null;
}

/**
 * The agent's record in one statement, so the locked paths — a release under the escrow's lock, an offer
 * under the agent's — read it cheaply. An agent that does not exist reads as an empty record.
 */
export async function readAgentRecord(client: Client, agentId: string): Promise<AgentRecord> {
  const [row] = await (client as Tx).$queryRaw<AgentRecordRow[]>`SELECT ${AGENT_RECORD_COLUMNS} FROM agents a WHERE a.id = ${agentId}`;
  return agentRecordOf(agentId, row);
}

/** The record from the columns of AGENT_RECORD_COLUMNS. */
export function agentRecordOf(agentId: string, row: AgentRecordRow | undefined): AgentRecord {
  return {
    agentId,
    ownerId: row?.owner_id ?? "",
    totals: (row?.totals ?? []).map((t) => ({
      currency: t.currency,
      sales: t.sales,
      disputed: t.disputed,
      refundedInFull: t.refunded_in_full,
      split: t.split,
      adminDecisions: t.admin_decisions,
      adminLosses: t.admin_losses,
      releasedMinor: Number(t.released_minor),
      disputedAmountMinor: Number(t.disputed_amount_minor),
      refundedAmountMinor: Number(t.refunded_amount_minor),
      completed: t.completed,
      approvedByCustomer: t.approved_by_customer,
      autoReleased: t.auto_released,
      deliveries: t.deliveries,
      onTimeDeliveries: t.on_time_deliveries,
    })),
    buyers: (row?.buyers ?? []).map((b) => ({
      buyerId: b.buyer_id,
      currency: b.currency,
      linked: b.linked,
      sales: b.sales,
      amountMinor: Number(b.amount_minor),
      releasedMinor: Number(b.released_minor),
      largestReleasedMinor: Number(b.largest_released_minor),
      largestReleasedAt: new Date(b.largest_released_at),
    })),
    pinned: (RISK_TIERS as readonly string[]).includes(row?.pinned ?? "") ? (row!.pinned as RiskTier) : null,
  };
}

/** The figures every reader shows, summed over currencies (volume: per currency, never added across them). */
export interface RecordFigures {
  sales: number;
  disputed: number;
  refundedInFull: number;
  split: number;
  adminDecisions: number;
  adminLosses: number;
  completed: number;
  approvedByCustomer: number;
  autoReleased: number;
  deliveries: number;
  onTimeDeliveries: number;
  /** Released to the seller, by currency (minor units of each). */
  releasedByCurrency: { currency: string; releasedMinor: number }[];
  /** Distinct buyers, and the sales of the one that bought most (over every currency). */
  distinctBuyers: number;
  topBuyerSales: number;
  /** Sales bought by the agent's own owner (or the owner's agents, which buy with the owner's wallet). */
  ownerSales: number;
  /** Sales bought by buyers linked to the owner (the owner, or a shared private e-mail domain). */
  linkedSales: number;
}

export function recordFigures(record: AgentRecord): RecordFigures {
  const perBuyer = new Map<string, number>();
  for (const b of record.buyers) perBuyer.set(b.buyerId, (perBuyer.get(b.buyerId) ?? 0) + b.sales);
  const sum = (f: (t: RecordCurrencyTotals) => number) => record.totals.reduce((s, t) => s + f(t), 0);
  return {
    sales: sum((t) => t.sales),
    disputed: sum((t) => t.disputed),
    refundedInFull: sum((t) => t.refundedInFull),
    split: sum((t) => t.split),
    adminDecisions: sum((t) => t.adminDecisions),
    adminLosses: sum((t) => t.adminLosses),
    completed: sum((t) => t.completed),
    approvedByCustomer: sum((t) => t.approvedByCustomer),
    autoReleased: sum((t) => t.autoReleased),
    deliveries: sum((t) => t.deliveries),
    onTimeDeliveries: sum((t) => t.onTimeDeliveries),
    releasedByCurrency: record.totals.map((t) => ({ currency: t.currency, releasedMinor: t.releasedMinor })),
    distinctBuyers: perBuyer.size,
    topBuyerSales: Math.max(0, ...perBuyer.values()),
    ownerSales: record.buyers.filter((b) => b.buyerId === record.ownerId).reduce((s, b) => s + b.sales, 0),
    linkedSales: record.buyers.filter((b) => b.linked).reduce((s, b) => s + b.sales, 0),
  };
}
