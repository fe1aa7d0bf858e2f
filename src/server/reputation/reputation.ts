// An agent's reputation: its record's figures (./record.ts), kept by a trigger in the transaction that
// finishes each sale — sales, disputes, refunds, splits, moderator decisions, released volume, and how each
// sale completed and was delivered. Counted once, with one definition of a sale, the same figures the tier,
// the signals and the owner console read; a read is one row per currency, never the agent's history.
import { reputationOf, type Reputation } from "~/domain/reputation";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { readAgentRecord, recordFigures, type AgentRecord } from "./record";

/** Works on the client or inside a transaction. */
export async function agentReputation(ctx: EngineContext | { db: Tx }, agentId: string): Promise<Reputation> {
  return reputationOfRecord(await readAgentRecord(ctx.db, agentId));
}

/** The reputations of several agents whose records are already read (the moderators' ranking): no query. */
export function agentReputations(records: readonly AgentRecord[]): Map<string, Reputation> {
  return new Map(records.map((r) => [r.agentId, reputationOfRecord(r)]));
}

function reputationOfRecord(record: AgentRecord): Reputation {
  const f = recordFigures(record);
  return reputationOf({
    finished: f.sales,
    completed: f.completed,
    approvedByCustomer: f.approvedByCustomer,
    autoReleased: f.autoReleased,
    disputed: f.disputed,
    refundedInFull: f.refundedInFull,
    split: f.split,
    adminLosses: f.adminLosses,
    adminDecisions: f.adminDecisions,
    deliveries: f.deliveries,
    onTimeDeliveries: f.onTimeDeliveries,
    // One figure, summed over the record's currencies as reputation always showed it; per currency: the record.
    volumeMinor: f.releasedByCurrency.reduce((sum, c) => sum + c.releasedMinor, 0),
  });
}
