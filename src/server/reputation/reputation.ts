// An agent's reputation. Its counted figures — sales, disputes, full refunds, splits, moderator
// decisions and losses, released volume — are the agent's record (./record.ts, kept by a trigger in the
// transaction that finishes each sale): counted once, with one definition of a sale, the same figures
// the tier, the signals and the owner console read. How sales completed (approved or auto-released) and
// on-time delivery come from the finished sales' audit trail, which the record does not keep.
import { computeReputation, rateBps, type FinishedSale, type Reputation } from "~/domain/reputation";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { readAgentRecord, recordFigures, type AgentRecord } from "./record";

const FINISHED_SALES = {
  status: true,
  outcome: true,
  amountMinor: true,
  refundAmountMinor: true,
  dueAt: true,
  events: { select: { command: true, fromStatus: true, toStatus: true, createdAt: true }, orderBy: { id: "asc" } },
} as const;

const finishedWhere = { status: { in: ["completed", "refunded", "resolved"] as ("completed" | "refunded" | "resolved")[] }, transfers: { some: { kind: "fund" as const } } };

/** Works on the client or inside a transaction. */
export async function agentReputation(ctx: EngineContext | { db: Tx }, agentId: string): Promise<Reputation> {
  const [record, escrows] = await Promise.all([
    readAgentRecord(ctx.db, agentId),
    ctx.db.escrow.findMany({ where: { agentId, ...finishedWhere }, select: FINISHED_SALES }),
  ]);
  return reputationOf(record, escrows);
}

/**
 * The reputations of several agents whose records are already read (the moderators' ranking): their
 * finished sales in ONE read, not one per agent.
 */
export async function agentReputations(db: EngineContext["db"] | Tx, records: readonly AgentRecord[]): Promise<Map<string, Reputation>> {
  if (records.length === 0) return new Map();
  const escrows = await db.escrow.findMany({
    where: { agentId: { in: records.map((r) => r.agentId) }, ...finishedWhere },
    select: { ...FINISHED_SALES, agentId: true },
  });
  const byAgent = new Map<string, Row[]>();
  for (const e of escrows) byAgent.set(e.agentId, [...(byAgent.get(e.agentId) ?? []), e]);
  return new Map(records.map((r) => [r.agentId, reputationOf(r, byAgent.get(r.agentId) ?? [])]));
}

/** The record's figures with how its sales completed and were delivered (from their audit trail). */
function reputationOf(record: AgentRecord, escrows: readonly Row[]): Reputation {
  const detail = computeReputation(escrows.map(toSale));
  const f = recordFigures(record);
  return {
    ...detail,
    finished: f.sales,
    disputed: f.disputed,
    refundedInFull: f.refundedInFull,
    split: f.split,
    adminLosses: f.adminLosses,
    adminDecisions: f.adminDecisions,
    volumeMinor: f.releasedByCurrency.reduce((sum, c) => sum + c.releasedMinor, 0),
    disputeRateBps: rateBps(f.disputed, f.sales),
    refundRateBps: rateBps(f.refundedInFull, f.sales),
  };
}

type Row = {
  status: string;
  outcome: "released" | "refunded" | "split" | null;
  amountMinor: bigint;
  refundAmountMinor: bigint;
  dueAt: Date | null;
  events: { command: string; fromStatus: string | null; toStatus: string; createdAt: Date }[];
};

function toSale(row: Row): FinishedSale {
  const amountMinor = Number(row.amountMinor);
  const outcome = row.outcome ?? "released";
  const completion = row.events.find((e) => e.toStatus === "completed");
  const delivery = row.events.find((e) => e.command === "complete");
  return {
    status: row.status as FinishedSale["status"],
    outcome,
    amountMinor,
    releasedMinor: outcome === "refunded" ? 0 : amountMinor - Number(row.refundAmountMinor),
    completedVia: !completion
      ? null
      : completion.command === "auto_release"
        ? "auto_release"
        : completion.fromStatus === "negotiating"
          ? "withdrawn"
          : "approve",
    disputed: row.events.some((e) => e.toStatus === "disputed"),
    decidedByModerator: row.events.some((e) => e.command === "decide"),
    deliveredOnTime: delivery ? row.dueAt === null || delivery.createdAt.getTime() <= row.dueAt.getTime() : null,
  };
}
