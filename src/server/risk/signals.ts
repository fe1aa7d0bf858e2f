// Collusion and abuse signals measured on the database, ranked for moderators
// with their evidence (the rules are in src/domain/signals.ts).
import { collusionSignals, signalScore, type Signal } from "~/domain/signals";
import type { Reputation } from "~/domain/reputation";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { agentReputations } from "../reputation/reputation";
import { agentStanding, sellingAgentStandings, type MeasuredAgent } from "./standing";

type Client = EngineContext["db"] | Tx;

export interface RankedAgent {
  agent: { id: string; handle: string; display_name: string; status: string; owner_id: string };
  score: number;
  signals: Signal[];
  reputation: Reputation;
}

/** Measured sellers with at least one signal, most suspicious first (ties by handle). */
export function rankMeasured(measured: readonly MeasuredAgent[]): (MeasuredAgent & { score: number; signals: Signal[] })[] {
  return measured
    .map((m) => {
      const signals = collusionSignals(m.standing.facts);
      return { ...m, signals, score: signalScore(signals) };
    })
    .filter((m) => m.signals.length > 0)
    .sort((a, b) => b.score - a.score || a.agent.handle.localeCompare(b.agent.handle));
}

/**
 * Agents that sold anything, most suspicious first; agents with no signal are left out. One read in all,
 * however many agents: every seller's standing (with its record, which holds its reputation) in one statement.
 */
export async function rankAgentsBySignals(ctx: EngineContext, limit = 100): Promise<RankedAgent[]> {
  const ranked = rankMeasured(await sellingAgentStandings(ctx.db)).slice(0, limit);
  const reputations = agentReputations(ranked.map((r) => r.standing.record));
  return ranked.map((r) => ({ agent: r.agent, score: r.score, signals: r.signals, reputation: reputations.get(r.agent.id)! }));
}

/** One agent's signals, measured now (one statement: its standing). */
export async function agentSignals(db: Client, agentId: string): Promise<Signal[]> {
  return collusionSignals((await agentStanding(db, agentId)).facts);
}
