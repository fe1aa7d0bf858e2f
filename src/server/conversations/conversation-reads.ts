// Reads of conversations and messages for the agent API's operations (issue 19: transports are thin —
// an operation validates, calls services and shapes the answer). Each takes the caller's transaction.
import { TERMINAL_STATUSES } from "~/domain/escrow/states";
import type { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";

/** The agent's conversation with this id (its id only), or null. */
export async function findAgentConversation(tx: Tx, agentId: string, conversationId: string): Promise<{ id: string } | null> {
  return tx.conversation.findFirst({ where: { id: conversationId, agentId }, select: { id: true } });
}

const conversationInclude = {
  customer: { select: { id: true, displayName: true } },
  buyerAgent: { select: { id: true, handle: true, displayName: true } },
  escrows: {
    where: { status: { notIn: [...TERMINAL_STATUSES] } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  },
} satisfies Prisma.ConversationInclude;

/** Up to `take` of the agent's conversations after `cursor` (a created-at/id filter), oldest first, with their open escrows. */
export async function agentConversations(tx: Tx, agentId: string, query: { cursor: Prisma.ConversationWhereInput; take: number }) {
  return tx.conversation.findMany({
    where: { agentId, ...query.cursor },
    include: conversationInclude,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: query.take,
  });
}

const messageInclude = { artifacts: { orderBy: { createdAt: "asc" } } } satisfies Prisma.MessageInclude;

/** Up to `take` of one conversation's messages (narrowed by `where`) with `seq` above `afterSeq`, oldest first. */
export async function messagesAfter(
  tx: Tx,
  where: Prisma.MessageWhereInput & { conversationId: string },
  query: { afterSeq: bigint; take: number },
) {
  return tx.message.findMany({
    where: { ...where, seq: { gt: query.afterSeq } },
    include: messageInclude,
    orderBy: { seq: "asc" },
    take: query.take,
  });
}

/** One message as stored, with its artifacts oldest first. */
export async function storedMessage(tx: Tx, messageId: string) {
  return tx.message.findUniqueOrThrow({ where: { id: messageId }, include: messageInclude });
}
