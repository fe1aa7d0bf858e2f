// The agent's session feed (PROTOCOL.md "Event"). Appending bumps the agent's
// sequence inside the caller's transaction: the row lock makes events of one
// agent commit in sequence order, so a reader's cursor never skips an event
// that commits late.
import type { Tx } from "../db/transaction";
import type { Prisma } from "../db/generated/client";

/** Platform-written event types are trusted; customer messages are not. */
export const UNTRUSTED_EVENT_TYPES = new Set(["message.received"]);

export interface NewAgentEvent {
  agentId: string;
  type: string;
  escrowId?: string | null;
  conversationId?: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export async function appendAgentEvent(tx: Tx, event: NewAgentEvent): Promise<bigint> {
  const agent = await tx.agent.update({
    where: { id: event.agentId },
    data: { lastEventSeq: { increment: 1 } },
    select: { lastEventSeq: true },
  });
  await tx.agentEvent.create({
    data: {
      agentId: event.agentId,
      seq: agent.lastEventSeq,
      type: event.type,
      trusted: !UNTRUSTED_EVENT_TYPES.has(event.type),
      escrowId: event.escrowId ?? null,
      conversationId: event.conversationId ?? null,
      data: event.data as Prisma.InputJsonValue,
      createdAt: event.createdAt,
    },
  });
  return agent.lastEventSeq;
}
