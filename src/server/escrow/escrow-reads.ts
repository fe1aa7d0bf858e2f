// Reads of escrows and their settlements for the agent API's operations (issue 19: transports are thin —
// an operation validates, calls services and shapes the answer; the queries live here, beside the table's
// rules). Each takes the transaction the caller already runs in.
import type { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import { escrowRefFilter, escrowScope, type ActorRef } from "./actors";
import type { EscrowRow, SettlementRow } from "./escrow-view";
import type { EscrowStatus } from "~/domain/escrow/states";

/** The escrow with this id or reference code if the actor may see it (its scope), else null. */
export async function findEscrowInScope(tx: Tx, actor: ActorRef, ref: string): Promise<EscrowRow | null> {
  return tx.escrow.findFirst({ where: { AND: [escrowRefFilter(ref), escrowScope(actor)] } });
}

/** The escrow's settlements, oldest first. */
export async function settlementsOf(tx: Tx, escrowId: string): Promise<SettlementRow[]> {
  return tx.settlement.findMany({ where: { escrowId }, orderBy: { createdAt: "asc" } });
}

/** Whether the settlement belongs to this escrow. */
export async function settlementIsOn(tx: Tx, escrowId: string, settlementId: string): Promise<boolean> {
  const found = await tx.settlement.findFirst({ where: { id: settlementId, escrowId }, select: { id: true } });
  return found !== null;
}

/** Whether the seller agent has this escrow in this conversation. */
export async function agentEscrowIsInConversation(tx: Tx, agentId: string, escrowId: string, conversationId: string): Promise<boolean> {
  const escrow = await tx.escrow.findFirst({ where: { id: escrowId, agentId, conversationId }, select: { id: true } });
  return escrow !== null;
}

/**
 * Up to `take` escrows in the actor's scope with one of `statuses` (all when null), after `cursor` (a
 * created-at/id filter), oldest first, each with its open settlements.
 */
export async function escrowsInScope(
  tx: Tx,
  actor: ActorRef,
  query: { statuses: EscrowStatus[] | null; cursor: Prisma.EscrowWhereInput; take: number },
) {
  const where: Prisma.EscrowWhereInput = {
    ...escrowScope(actor),
    ...(query.statuses ? { status: { in: query.statuses } } : {}),
    ...query.cursor,
  };
  return tx.escrow.findMany({
    where,
    include: { settlements: { where: { status: "open" } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: query.take,
  });
}
