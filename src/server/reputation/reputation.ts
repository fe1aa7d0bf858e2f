// An agent's reputation from the platform's own records: escrows that were
// funded (a `fund` transfer exists) and finished, read with their audit trail.
import { computeReputation, type FinishedSale, type Reputation } from "~/domain/reputation";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";

/** Works on the client or inside a transaction (the release path reads it there). */
export async function agentReputation(
  ctx: EngineContext | { db: Tx },
  agentId: string,
  options: { excludeEscrowId?: string } = {},
): Promise<Reputation> {
  const escrows = await ctx.db.escrow.findMany({
    where: {
      agentId,
      ...(options.excludeEscrowId ? { id: { not: options.excludeEscrowId } } : {}),
      status: { in: ["completed", "refunded", "resolved"] },
      transfers: { some: { kind: "fund" } },
    },
    select: {
      status: true,
      outcome: true,
      amountMinor: true,
      refundAmountMinor: true,
      dueAt: true,
      events: { select: { command: true, fromStatus: true, toStatus: true, createdAt: true }, orderBy: { id: "asc" } },
    },
  });
  return computeReputation(escrows.map(toSale));
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
