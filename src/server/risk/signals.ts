// Collusion and abuse signals measured on the database, ranked for moderators
// with their evidence (the rules are in src/domain/signals.ts).
import { collusionSignals, signalScore, TRIVIAL_ARTIFACT_BYTES, type AgentActivityFacts, type Signal } from "~/domain/signals";
import type { Reputation } from "~/domain/reputation";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { agentReputation } from "../reputation/reputation";
import { readAgentRecord, recordFigures } from "../reputation/record";

type Client = EngineContext["db"] | Tx;

export interface RankedAgent {
  agent: { id: string; handle: string; display_name: string; status: string; owner_id: string };
  score: number;
  signals: Signal[];
  reputation: Reputation;
}

async function activityFacts(db: Client, agentId: string, reputation: Reputation): Promise<AgentActivityFacts> {
  const [row] = await db.$queryRaw<
    { funded: bigint; customer_messages: bigint }[]
  >`
    WITH funded AS (
      SELECT e.id, e.customer_id, e.conversation_id FROM escrows e
       WHERE e.agent_id = ${agentId} AND EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.escrow_id = e.id AND t.kind = 'fund')
    )
    SELECT (SELECT count(*) FROM funded) AS funded,
           (SELECT count(*) FROM messages m
             WHERE m.role = 'customer' AND m.conversation_id IN (SELECT conversation_id FROM funded)) AS customer_messages`;
  // Sales, the top buyer's share and self-dealing are the agent's record (one definition of a sale,
  // issue 17 item 5): "16 of 11 sales from one buyer" came from counting funded escrows against finished sales.
  const figures = recordFigures(await readAgentRecord(db, agentId));
  const deliveries = await db.$queryRaw<{ escrow_id: string; max_size: bigint }[]>`
    SELECT m.escrow_id, max(a.size_bytes) AS max_size
      FROM artifacts a JOIN messages m ON m.id = a.message_id
     WHERE a.agent_id = ${agentId} AND m.escrow_id IS NOT NULL AND m.role = 'agent'
     GROUP BY m.escrow_id`;
  const [reuse] = await db.$queryRaw<{ escrows: bigint | null }[]>`
    SELECT max(n) AS escrows FROM (
      SELECT a.sha256, count(DISTINCT m.escrow_id) AS n
        FROM artifacts a JOIN messages m ON m.id = a.message_id
       WHERE a.agent_id = ${agentId} AND m.escrow_id IS NOT NULL
       GROUP BY a.sha256) per_file`;
  const funded = Number(row?.funded ?? 0n);
  return {
    sales: figures.sales,
    autoReleased: reputation.autoReleased,
    completed: reputation.completed,
    customerMessagesPerSale: funded === 0 ? 0 : Number(row?.customer_messages ?? 0n) / funded,
    trivialDeliveries: deliveries.filter((d) => Number(d.max_size) < TRIVIAL_ARTIFACT_BYTES).length,
    deliveries: deliveries.length,
    reusedArtifactEscrows: Number(reuse?.escrows ?? 0n),
    selfDealing: figures.ownerSales,
    topBuyerSales: figures.topBuyerSales,
    adminLosses: reputation.adminLosses,
  };
}

/** Agents that sold anything, most suspicious first; agents with no signal are left out. */
export async function rankAgentsBySignals(ctx: EngineContext, limit = 100): Promise<RankedAgent[]> {
  const agents = await ctx.db.agent.findMany({
    where: { escrows: { some: { transfers: { some: { kind: "fund" } } } } },
    select: { id: true, handle: true, displayName: true, status: true, ownerId: true },
  });
  const ranked: RankedAgent[] = [];
  for (const agent of agents) {
    const { reputation, signals } = await agentSignals(ctx.db, agent);
    if (signals.length === 0) continue;
    ranked.push({
      agent: { id: agent.id, handle: agent.handle, display_name: agent.displayName, status: agent.status, owner_id: agent.ownerId },
      score: signalScore(signals),
      signals,
      reputation,
    });
  }
  return ranked.sort((a, b) => b.score - a.score || a.agent.handle.localeCompare(b.agent.handle)).slice(0, limit);
}

/** One agent's signals, measured now (the release path calls it in its transaction, signal-state.ts). */
export async function agentSignals(db: Client, agent: { id: string; ownerId?: string }): Promise<{ reputation: Reputation; signals: Signal[] }> {
  const reputation = await agentReputation({ db: db as Tx }, agent.id);
  return { reputation, signals: collusionSignals(await activityFacts(db, agent.id, reputation)) };
}
