// An agent's risk tier and what it allows, from its record.
import { riskTierFor, tierRecordOf, type RiskTier, type SalesCounts, type TierPolicy } from "~/domain/risk";
import type { EngineContext } from "../context";
import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import type { Reputation } from "~/domain/reputation";
import { agentReputation } from "../reputation/reputation";

type Client = EngineContext["db"] | Tx;

export interface RiskProfile {
  /** The record the tier was judged on. */
  reputation: Reputation;
  tier: RiskTier;
  policy: TierPolicy;
}

/** The whole record and the tier, for the owner's console and GET /me (not on a locked write path). */
export async function agentRiskProfile(
  client: Client,
  policies: Readonly<Record<RiskTier, TierPolicy>>,
  agentId: string,
): Promise<RiskProfile> {
  const reputation = await agentReputation({ db: client as Tx }, agentId);
  const tier = riskTierFor(reputation);
  return { reputation, tier, policy: policies[tier] };
}

/**
 * The tier alone, from four counts the database sums over the agent's finished, funded sales (indexes on
 * escrows(agent_id, status), escrow_events(escrow_id) and ledger_transfers(escrow_id)): one row whatever
 * the agent's history, so the release path (under the escrow's lock) and an offer (under the agent's lock)
 * no longer read every sale with its audit trail. The counts mean what computeReputation counts
 * (src/server/risk/tier.test.ts checks they agree).
 */
export async function agentRiskTier(
  client: Client,
  policies: Readonly<Record<RiskTier, TierPolicy>>,
  agentId: string,
  /** The escrow being released: judged on the record before it, not including it. */
  excludeEscrowId?: string,
): Promise<{ tier: RiskTier; policy: TierPolicy }> {
  return riskTierOf(policies, await agentSalesCounts(client, agentId, excludeEscrowId));
}

export function riskTierOf(policies: Readonly<Record<RiskTier, TierPolicy>>, counts: SalesCounts): { tier: RiskTier; policy: TierPolicy } {
  const tier = riskTierFor(tierRecordOf(counts));
  return { tier, policy: policies[tier] };
}

export async function agentSalesCounts(client: Client, agentId: string, excludeEscrowId?: string): Promise<SalesCounts> {
  const [row] = await (client as Tx).$queryRaw<SalesCountsRow[]>`${salesCountsSql(agentId, excludeEscrowId)}`;
  return salesCountsOf(row);
}

export interface SalesCountsRow {
  finished: number;
  disputed: number;
  refunded_in_full: number;
  admin_losses: number;
}

/** The four counts' query, for callers that read them within a larger statement (one round trip). */
export function salesCountsSql(agentId: string, excludeEscrowId?: string): Prisma.Sql {
  return Prisma.sql`
    SELECT COUNT(*)::int AS finished,
           COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM escrow_events ev WHERE ev.escrow_id = e.id AND ev.to_status = 'disputed'))::int AS disputed,
           COUNT(*) FILTER (WHERE e.outcome = 'refunded')::int AS refunded_in_full,
           COUNT(*) FILTER (WHERE e.outcome IN ('refunded', 'split')
                              AND EXISTS (SELECT 1 FROM escrow_events ev WHERE ev.escrow_id = e.id AND ev.command = 'decide'))::int AS admin_losses
      FROM escrows e
     WHERE e.agent_id = ${agentId}
       AND e.id <> ${excludeEscrowId ?? ""}
       AND e.status IN ('completed', 'refunded', 'resolved')
       AND EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.escrow_id = e.id AND t.kind = 'fund')`;
}

export function salesCountsOf(row: SalesCountsRow | undefined): SalesCounts {
  return {
    finished: row?.finished ?? 0,
    disputed: row?.disputed ?? 0,
    refundedInFull: row?.refunded_in_full ?? 0,
    adminLosses: row?.admin_losses ?? 0,
  };
}
