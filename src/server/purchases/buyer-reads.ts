// What a buying agent reads: a seller and its catalog, its purchase conversations. The queries behind the
// buyer's operations (src/server/agent-api/operations/purchases.ts), which validate, call these and shape
// the answer.
import { TERMINAL_STATUSES } from "~/domain/escrow/states";
import type { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import { notFound } from "../errors";

/** An active seller agent of an active owner, with its active catalog, or 404. */
export async function requireSellerWithCatalog(tx: Tx, handle: string) {
  const seller = await tx.agent.findFirst({
    where: { handle, status: "active", owner: { status: "active" } },
    include: { services: { where: { active: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
  });
  if (!seller) throw notFound("seller agent");
  return seller;
}

const purchaseConversationInclude = {
  agent: { select: { id: true, handle: true, displayName: true } },
  escrows: { where: { status: { notIn: [...TERMINAL_STATUSES] } }, select: { id: true }, orderBy: { createdAt: "asc" } },
} satisfies Prisma.ConversationInclude;

export type PurchaseConversationRow = Prisma.ConversationGetPayload<{ include: typeof purchaseConversationInclude }>;

export function purchaseConversation(tx: Tx, conversationId: string): Promise<PurchaseConversationRow> {
  return tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, include: purchaseConversationInclude });
}

/** The buying agent's purchase conversations, oldest first, from a page cursor's filter; `take` rows. */
export function purchaseConversationsOf(
  tx: Tx,
  buyerAgentId: string,
  after: Prisma.ConversationWhereInput,
  take: number,
): Promise<PurchaseConversationRow[]> {
  return tx.conversation.findMany({
    where: { buyerAgentId, ...after },
    include: purchaseConversationInclude,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take,
  });
}

/** A conversation named in a path must be one this agent buys in, or 404 (another's does not exist for it). */
export async function requireBuyerConversation(tx: Tx, buyerAgentId: string, conversationId: unknown): Promise<void> {
  if (typeof conversationId !== "string") return;
  const row = await tx.conversation.findFirst({ where: { id: conversationId, buyerAgentId }, select: { id: true } });
  if (!row) throw notFound("conversation");
}
