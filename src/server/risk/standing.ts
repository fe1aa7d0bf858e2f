// An agent's standing on the money paths, in ONE statement (issue 20's round-trip budget): its record (the
// tier's evidence, src/server/reputation/record.ts), the facts its collusion signals are measured on
// (src/domain/signals.ts), the last moderator review that cleared a signal, and — for the auto-release
// timer — whether the escrow's customer wrote since the delivery. The release path routes a payout on it
// (holds.ts) and the auto-release asks it whether the seller is under review (signal-state.ts); both read
// the same measurement of one locked escrow, so a timer's release reads it once. The moderators' list
// (signals.ts) measures the same facts with the same columns: one definition of each figure, kept by
// triggers in the transaction that changes the facts (migration s2_agent_standings), never recomputed here.
import type { AgentActivityFacts } from "~/domain/signals";
import type { EngineContext } from "../context";
import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import { AGENT_RECORD_COLUMNS, agentRecordOf, recordFigures, type AgentRecord, type AgentRecordRow } from "../reputation/record";

type Client = EngineContext["db"] | Tx;

export interface AgentStanding {
  record: AgentRecord;
  facts: AgentActivityFacts;
  /** The last review that closed a signal ('clear' or 'restrict'); a later, higher score opens it again. */
  lastClearing: { score: number; createdAt: Date } | null;
  /** Set when asked about an escrow's customer: no customer message since `since`. */
  customerAbsent: boolean | null;
}

/** The counters agent_standings keeps per agent (migration s2_agent_standings), as the statement reads them. */
export interface StandingFigures {
  funded: number;
  self_dealing: number;
  customer_messages: number;
  deliveries: number;
  trivial_deliveries: number;
  reused: number;
  completed: number;
  auto_released: number;
}

export type StandingRow = AgentRecordRow & StandingFigures & {
  last_clearing: { score: number; at: string } | null;
  customer_wrote: boolean | null;
};

/** The escrow a standing was measured for: the release and the auto-release of one locked escrow share it. */
const measuredFor = new WeakMap<object, Promise<AgentStanding>>();

export function agentStandingFor(
  db: Client,
  escrow: { agentId: string; conversationId: string; statusChangedAt: Date },
): Promise<AgentStanding> {
  const known = measuredFor.get(escrow);
  if (known) return known;
  const measured = agentStanding(db, escrow.agentId, { conversationId: escrow.conversationId, since: escrow.statusChangedAt });
  measuredFor.set(escrow, measured);
  return measured;
}

/**
 * The facts the collusion signals are measured on, for the agent `a` of the statement it joins
 * (`FROM agents a ${AGENT_STANDING_JOIN}`): the standing's own statement, and the accept's single locking
 * statement (src/server/risk/limits.ts), so every path that judges the tier sees the open signal. The figures
 * are the agent's one row in agent_standings, kept by triggers in the transaction that changes the facts
 * (migration s2_agent_standings defines each figure once); an agent with no row reads zeros. Reading it costs
 * the same whatever the agent's history.
 */
export const AGENT_STANDING_JOIN = Prisma.sql`
  LEFT JOIN agent_standings standing ON standing.agent_id = a.id`;

/**
 * The columns AGENT_STANDING_JOIN adds (with the record's AGENT_RECORD_COLUMNS), and the last review that
 * cleared a signal (the newest of the agent's reviews, by the (agent_id, created_at) index).
 */
export const AGENT_STANDING_COLUMNS = Prisma.sql`COALESCE(standing.funded, 0) AS funded, COALESCE(standing.self_dealing, 0) AS self_dealing,
  COALESCE(standing.customer_messages, 0) AS customer_messages, COALESCE(standing.deliveries, 0) AS deliveries,
  COALESCE(standing.trivial_deliveries, 0) AS trivial_deliveries, COALESCE(standing.reused, 0) AS reused,
  COALESCE(standing.completed, 0) AS completed, COALESCE(standing.auto_released, 0) AS auto_released,
  (SELECT json_build_object('score', r.score, 'at', r.created_at) FROM agent_signal_reviews r
    WHERE r.agent_id = a.id AND r.decision IN ('clear', 'restrict') ORDER BY r.created_at DESC LIMIT 1) AS last_clearing`;

export async function agentStanding(
  db: Client,
  agentId: string,
  customerOf?: { conversationId: string; since: Date },
): Promise<AgentStanding> {
  const [row] = await (db as Tx).$queryRaw<StandingRow[]>`
    SELECT ${AGENT_RECORD_COLUMNS}, ${AGENT_STANDING_COLUMNS},
           ${
             customerOf
               ? Prisma.sql`EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = ${customerOf.conversationId} AND m.role = 'customer' AND m.created_at >= ${customerOf.since})`
               : Prisma.sql`NULL::boolean`
           } AS customer_wrote
      FROM agents a ${AGENT_STANDING_JOIN} WHERE a.id = ${agentId}`;
  return agentStandingOf(agentId, row);
}

/** The standing from the columns of AGENT_RECORD_COLUMNS and AGENT_STANDING_COLUMNS (customer_wrote optional). */
export function agentStandingOf(agentId: string, row: (Omit<StandingRow, "customer_wrote"> & { customer_wrote?: boolean | null }) | undefined): AgentStanding {
  const record = agentRecordOf(agentId, row);
  const figures = recordFigures(record);
  const funded = row?.funded ?? 0;
  return {
    record,
    facts: {
      sales: figures.sales,
      autoReleased: row?.auto_released ?? 0,
      completed: row?.completed ?? 0,
      customerMessagesPerSale: funded === 0 ? 0 : (row?.customer_messages ?? 0) / funded,
      trivialDeliveries: row?.trivial_deliveries ?? 0,
      deliveries: row?.deliveries ?? 0,
      reusedArtifactEscrows: row?.reused ?? 0,
      // Purchases paid from the owner's own wallet (the owner, or the owner's agents buying), counted once
      // funded: a self-purchase is a signal before it finishes — the release being routed is one of them.
      selfDealing: row?.self_dealing ?? 0,
      topBuyerSales: figures.topBuyerSales,
      adminLosses: figures.adminLosses,
    },
    lastClearing: row?.last_clearing ? { score: row.last_clearing.score, createdAt: new Date(row.last_clearing.at) } : null,
    customerAbsent: row?.customer_wrote == null ? null : !row.customer_wrote,
  };
}

export interface MeasuredAgent {
  agent: { id: string; handle: string; display_name: string; status: string; owner_id: string };
  standing: AgentStanding;
}

/**
 * The standing of every agent that has sold anything (a funded escrow), in ONE statement: the moderators'
 * ranking and the queue's agent cases measure every seller at once instead of one read per agent.
 */
export async function sellingAgentStandings(db: Client): Promise<MeasuredAgent[]> {
  const rows = await (db as Tx).$queryRaw<(Omit<StandingRow, "customer_wrote"> & { id: string; handle: string; display_name: string; status: string })[]>`
    SELECT a.id, a.handle, a.display_name, a.status::text AS status, ${AGENT_RECORD_COLUMNS}, ${AGENT_STANDING_COLUMNS}
      FROM agent_standings standing JOIN agents a ON a.id = standing.agent_id
     WHERE standing.funded > 0`;
  return rows.map((row) => ({
    agent: { id: row.id, handle: row.handle, display_name: row.display_name, status: row.status, owner_id: row.owner_id },
    standing: agentStandingOf(row.id, row),
  }));
}
