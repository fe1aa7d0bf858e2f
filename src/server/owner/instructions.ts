// An owner's reply becomes an owner.instruction (SPEC §5): a trusted agent event {text, alert_id} and
// an owner-role message in the alert's conversation (never shown to the customer), logged as an
// owner_replies row; the alert is then answered. Routing: the replied-to alert; otherwise the owner's
// most recent open alert within 30 minutes; otherwise the owner is told it could not be routed.
import { FIELD_LIMITS } from "~/domain/field-limits";
import { hasVisibleText, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import type { OwnerAlert } from "../db/generated/client";
import { insertMessage } from "../conversations/messages";
import { invalid, notFound } from "../errors";
import { appendAgentEvent } from "../events/agent-events";
import { newId } from "../ids";
import { enqueueNotification } from "../notify/enqueue";

export const FALLBACK_ROUTING_WINDOW_S = 30 * 60;

export type ReplyVia = "console" | "telegram" | "whatsapp";

export interface InstructionResult {
  alertId: string;
  agentId: string;
  messageId: string | null;
  routedBy: "reply" | "recent" | "console";
}

/** Writes the instruction for one alert (already known to be the owner's). */
export async function deliverOwnerInstruction(
  tx: Tx,
  ctx: EngineContext,
  alert: OwnerAlert,
  text: string,
  via: ReplyVia,
  routedBy: InstructionResult["routedBy"],
): Promise<InstructionResult> {
  const body = text.trim();
  if (!hasVisibleText(body)) throw invalid("text", `a reply cannot be empty: it ${VISIBLE_TEXT_REQUIRED}`);
  if (body.length > FIELD_LIMITS.messageTextChars) throw invalid("text", `at most ${FIELD_LIMITS.messageTextChars} characters`);
  if (!alert.agentId) throw notFound("agent for this alert");
  const now = ctx.now();
  // An owner-role line goes into the conversation only when the alert's agent is its seller. A buying
  // agent's owner (agent-to-agent purchase) instructs only their own agent: the seller must never read
  // it, let alone as a trusted owner message.
  const conversation = alert.conversationId
    ? await tx.conversation.findUnique({ where: { id: alert.conversationId }, select: { agentId: true } })
    : null;
  const messageId =
    alert.conversationId && conversation?.agentId === alert.agentId
      ? await insertMessage(tx, { conversationId: alert.conversationId, escrowId: alert.escrowId, role: "owner", text: body, createdAt: now })
      : null;
  await appendAgentEvent(tx, {
    agentId: alert.agentId,
    type: "owner.instruction",
    escrowId: alert.escrowId,
    conversationId: alert.conversationId,
    data: { text: body, alert_id: alert.id },
    createdAt: now,
  });
  await tx.ownerReply.create({
    data: { id: newId("rpl"), alertId: alert.id, ownerId: alert.ownerId, via, routedBy, text: body, messageId, createdAt: now },
  });
  await tx.ownerAlert.update({ where: { id: alert.id }, data: { status: "answered", updatedAt: now } });
  return { alertId: alert.id, agentId: alert.agentId, messageId, routedBy };
}

/** A reply from the console: always to the alert it was written under. */
export async function replyFromConsole(tx: Tx, ctx: EngineContext, ownerId: string, alertId: string, text: string) {
  await tx.$queryRaw`SELECT id FROM owner_alerts WHERE id = ${alertId} FOR UPDATE`;
  const alert = await tx.ownerAlert.findFirst({ where: { id: alertId, ownerId } });
  if (!alert) throw notFound("alert");
  return deliverOwnerInstruction(tx, ctx, alert, text, "console", "console");
}

export interface ChatReply {
  ownerId: string;
  via: "telegram" | "whatsapp";
  /** Where the owner wrote from: answers go back there. */
  address: string;
  text: string;
  /** The alert of the message the owner replied to, when the reply named one. */
  repliedToAlertId: string | null;
  /** Dedupe key of the answer (the inbound message's id). */
  inboundId: string;
}

/** Routes a reply from a chat channel and tells the owner where it went (or that it went nowhere). */
export async function routeChatReply(tx: Tx, ctx: EngineContext, reply: ChatReply): Promise<InstructionResult | null> {
  const now = ctx.now();
  let alert: OwnerAlert | null = null;
  let routedBy: InstructionResult["routedBy"] = "reply";
  if (reply.repliedToAlertId) {
    alert = await tx.ownerAlert.findFirst({ where: { id: reply.repliedToAlertId, ownerId: reply.ownerId, agentId: { not: null } } });
  }
  if (!alert) {
    routedBy = "recent";
    alert = await tx.ownerAlert.findFirst({
      where: {
        ownerId: reply.ownerId,
        status: "open",
        agentId: { not: null },
        createdAt: { gte: new Date(now.getTime() - FALLBACK_ROUTING_WINDOW_S * 1000) },
      },
      orderBy: { createdAt: "desc" },
    });
  }
  const answer = (subject: string, body: string) =>
    enqueueNotification(tx, {
      userId: reply.ownerId,
      channel: reply.via,
      address: reply.address,
      template: "owner_reply_answer",
      subject,
      body,
      dedupeKey: `owner_reply_answer:${reply.via}:${reply.inboundId}`,
      now,
    });
  if (!alert || !hasVisibleText(reply.text)) {
    await answer(
      "Your message could not be routed",
      "It is not a reply to an alert, and you have no open alert from the last 30 minutes. Reply to an alert message, or answer from the console.",
    );
    return null;
  }
  const result = await deliverOwnerInstruction(tx, ctx, alert, reply.text.slice(0, FIELD_LIMITS.messageTextChars), reply.via, routedBy);
  const agent = await tx.agent.findUnique({ where: { id: result.agentId }, select: { handle: true } });
  await answer(`Sent to @${agent?.handle ?? "your agent"}`, `Your instruction on "${alert.title}" reached the agent. The customer does not see it.`);
  return result;
}

/** The alert a sent notification delivered, by the provider's message id (a Telegram message id, a WhatsApp wamid). */
export async function alertOfSentMessage(tx: Tx, channel: string, address: string, providerMessageId: string): Promise<string | null> {
  const attempt = await tx.notificationAttempt.findFirst({
    where: { channel, providerMessageId, ok: true, notification: { address, alertId: { not: null } } },
    select: { notification: { select: { alertId: true } } },
  });
  return attempt?.notification.alertId ?? null;
}
