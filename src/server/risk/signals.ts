// Collusion and abuse signals measured on the database, ranked for moderators
// with their evidence (the rules are in src/domain/signals.ts).
import { collusionSignals, signalScore, type Signal } from "~/domain/signals";
import type { Reputation } from "~/domain/reputation";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { agentReputation } from "../reputation/reputation";
import { agentStanding } from "./standing";

type Client = EngineContext["db"] | Tx;

export interface RankedAgent {
  agent: { id: string; handle: string; display_name: string; status: string; owner_id: string };
  score: number;
  signals: Signal[];
  reputation: Reputation;
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
  return { reputation, signals: collusionSignals((await agentStanding(db, agent.id)).facts) };
}
