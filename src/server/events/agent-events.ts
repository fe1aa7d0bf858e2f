// The agent's session feed (PROTOCOL.md "Event"). Appending bumps the agent's
// sequence inside the caller's transaction: the row lock makes events of one
// agent commit in sequence order, so a reader's cursor never skips an event
// that commits late.
import type { Tx } from "../db/transaction";
import type { Prisma } from "../db/generated/client";
import { newId } from "../ids";
import { currentRequestId } from "../log";

/** PostgreSQL NOTIFY channel; the payload is the agent id. Delivered on commit only. */
export const AGENT_EVENTS_CHANNEL = "holdfast_agent_events";

/** Platform-written event types are trusted; a counterparty's messages (customer's, or a seller's to a buying agent) are not. */
export const UNTRUSTED_EVENT_TYPES = new Set(["message.received", "purchase.message_received"]);

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
    select: { lastEventSeq: true, webhookUrl: true },
  });
  const created = await tx.agentEvent.create({
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
    select: { id: true },
  });
  // Webhook push: an outbox row in the same transaction (src/server/webhooks/relay.ts sends it).
  if (agent.webhookUrl) {
    await tx.webhookDelivery.create({
      data: { id: newId("whd"), agentId: event.agentId, eventId: created.id, nextAttemptAt: event.createdAt, requestId: currentRequestId() },
    });
  }
  // Wakes long-polling readers of this agent's feed when the transaction commits.
  await tx.$executeRaw`SELECT pg_notify(${AGENT_EVENTS_CHANNEL}, ${event.agentId})`;
  return agent.lastEventSeq;
}
