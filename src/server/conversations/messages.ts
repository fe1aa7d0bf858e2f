// Writing messages. Roles decide trust: only platform-written roles (system,
// owner, moderator) are trusted, whatever the text says. Customer text reaches
// the agent only as an untrusted `message.received` event.
import { FIELD_LIMITS } from "~/domain/field-limits";
import { hasVisibleText, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import type { Tx } from "../db/transaction";
import type { MessageRole } from "../db/generated/client";
import { newId } from "../ids";
import { invalid, notFound } from "../errors";
import { appendAgentEvent } from "../events/agent-events";
import { toMessageJson } from "../views/protocol";
import type { Message } from "~/client/schemas";

const TRUSTED_ROLES: ReadonlySet<MessageRole> = new Set(["system", "owner", "moderator"]);
export const MAX_MESSAGE_TEXT_CHARS = FIELD_LIMITS.messageTextChars;

export interface NewMessage {
  conversationId: string;
  escrowId?: string | null;
  role: MessageRole;
  text: string;
  createdAt: Date;
}

/** Inserts a message (under `message.id` when the caller named it first) and moves the conversation's last-message time. */
export async function insertMessage(tx: Tx, message: NewMessage & { id?: string }): Promise<string> {
  const id = message.id ?? newId("msg");
  await tx.message.create({
    data: {
      id,
      conversationId: message.conversationId,
      escrowId: message.escrowId ?? null,
      role: message.role,
      trusted: TRUSTED_ROLES.has(message.role),
      text: message.text,
      createdAt: message.createdAt,
    },
  });
  await tx.conversation.update({
    where: { id: message.conversationId },
    data: { lastMessageAt: message.createdAt },
  });
  return id;
}

export interface AgentMessageInput {
  agentId: string;
  conversationId: string;
  text: string;
  artifactIds: string[];
  escrowId?: string | null;
  now: Date;
}

/**
 * An agent's message, optionally carrying artifacts it uploaded and tying them
 * to one of the conversation's escrows (which is what counts as delivery).
 */
export async function postAgentMessage(tx: Tx, input: AgentMessageInput): Promise<string> {
  const conversation = await tx.conversation.findFirst({ where: { id: input.conversationId, agentId: input.agentId } });
  if (!conversation) throw notFound("conversation");
  if (input.text.length > MAX_MESSAGE_TEXT_CHARS) invalidText();
  if (!hasVisibleText(input.text) && input.artifactIds.length === 0) {
    throw invalid("text", `a message needs text or at least one artifact; the text ${VISIBLE_TEXT_REQUIRED}`);
  }
  if (input.escrowId) {
    const escrow = await tx.escrow.findFirst({
      where: { id: input.escrowId, conversationId: input.conversationId, agentId: input.agentId },
    });
    if (!escrow) throw notFound("escrow in this conversation");
  }
  const uniqueIds = [...new Set(input.artifactIds)];
  const artifacts = await tx.artifact.findMany({ where: { id: { in: uniqueIds }, agentId: input.agentId } });
  if (artifacts.length !== uniqueIds.length) throw notFound("artifact");
  if (artifacts.some((a) => a.messageId !== null)) {
    throw invalid("artifact_ids", "an artifact can be sent once; upload it again to send it in another message");
  }
  const message = {
    id: newId("msg"),
    conversationId: input.conversationId,
    escrowId: input.escrowId ?? null,
    role: "agent" as const,
    text: input.text,
    createdAt: input.now,
  };
  if (conversation.buyerAgentId) {
    // The seller's words reach a buying agent as untrusted data, like a customer's reach the seller.
    // The event comes first: it locks the buying agent's row, which the one lock order (docs/SCALING.md)
    // takes before the conversation's (insertMessage) — as a transition of this purchase does.
    await appendAgentEvent(tx, {
      agentId: conversation.buyerAgentId,
      type: "purchase.message_received",
      escrowId: message.escrowId,
      conversationId: conversation.id,
      data: { message: messageJsonOf(message, artifacts) },
      createdAt: input.now,
    });
  }
  await insertMessage(tx, message);
  if (uniqueIds.length) await linkOnce(tx, uniqueIds, message.id, "an artifact can be sent once; upload it again to send it in another message");
  return message.id;
}

/**
 * Ties the files to the message. Each was unsent when read, but a concurrent message may have taken one
 * since: then this one is refused whole (its event and row roll back) rather than stored without it.
 */
async function linkOnce(tx: Tx, artifactIds: string[], messageId: string, refusal: string): Promise<void> {
  const linked = await tx.artifact.updateMany({ where: { id: { in: artifactIds }, messageId: null }, data: { messageId } });
  if (linked.count !== artifactIds.length) throw invalid("artifact_ids", refusal);
}

/** The message as the feed carries it, from the rows about to be written (its files in upload order). */
function messageJsonOf(message: NewMessage & { id: string }, files: Parameters<typeof toMessageJson>[0]["artifacts"]): Message {
  const inUploadOrder = [...files].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  return toMessageJson({ ...message, escrowId: message.escrowId ?? null, trusted: TRUSTED_ROLES.has(message.role), artifacts: inUploadOrder });
}

function invalidText(): never {
  throw invalid("text", `at most ${MAX_MESSAGE_TEXT_CHARS} characters`);
}

export interface CustomerMessageInput {
  customerId: string;
  conversationId: string;
  text: string;
  now: Date;
  /** Files this customer uploaded for the message (a statement for the moderator), each sent once. */
  artifactIds?: string[];
  /** The escrow the message is about (a statement for the moderator). */
  escrowId?: string | null;
}

/**
 * A customer's message: stored as customer text and fed to the agent as untrusted. A person writes
 * only in their own conversations; an agent's purchase conversations are written by that agent.
 */
export async function postCustomerMessage(tx: Tx, input: CustomerMessageInput): Promise<string> {
  const conversation = await tx.conversation.findFirst({
    where: { id: input.conversationId, customerId: input.customerId, buyerAgentId: null },
  });
  if (!conversation) throw notFound("conversation");
  return postBuyerMessage(tx, conversation, input.text, input.now, {
    escrowId: input.escrowId ?? null,
    files: { uploaderUserId: input.customerId, artifactIds: input.artifactIds ?? [] },
  });
}

/** A buying agent's message in its purchase conversation: the customer's role, untrusted. */
export async function postBuyerAgentMessage(
  tx: Tx,
  input: { buyerAgentId: string; conversationId: string; text: string; now: Date },
): Promise<string> {
  const conversation = await tx.conversation.findFirst({ where: { id: input.conversationId, buyerAgentId: input.buyerAgentId } });
  if (!conversation) throw notFound("conversation");
  return postBuyerMessage(tx, conversation, input.text, input.now);
}

async function postBuyerMessage(
  tx: Tx,
  conversation: { id: string; agentId: string },
  text: string,
  now: Date,
  attached: { escrowId: string | null; files: { uploaderUserId: string; artifactIds: string[] } } = {
    escrowId: null,
    files: { uploaderUserId: "", artifactIds: [] },
  },
): Promise<string> {
  if (!hasVisibleText(text)) throw invalid("text", `a message cannot be empty: it ${VISIBLE_TEXT_REQUIRED}`);
  if (text.length > MAX_MESSAGE_TEXT_CHARS) invalidText();
  const fileIds = [...new Set(attached.files.artifactIds)];
  const files = fileIds.length ? await tx.artifact.findMany({ where: { id: { in: fileIds }, uploaderUserId: attached.files.uploaderUserId } }) : [];
  if (files.length !== fileIds.length) throw notFound("artifact");
  if (files.some((a) => a.messageId !== null)) {
    throw invalid("artifact_ids", "a file can be sent once; upload it again to send it in another message");
  }
  const message = { id: newId("msg"), conversationId: conversation.id, escrowId: attached.escrowId, role: "customer" as const, text, createdAt: now };
  // The seller's event first: it locks the agent's row, which the one lock order (docs/SCALING.md) takes
  // before the conversation's (insertMessage) — as a transition does. The other way round, a customer
  // writing while the agent's escrow moved deadlocked, and the retry hid it.
  await appendAgentEvent(tx, {
    agentId: conversation.agentId,
    type: "message.received",
    conversationId: conversation.id,
    data: { message: messageJsonOf(message, files) },
    createdAt: now,
  });
  await insertMessage(tx, message);
  if (fileIds.length) await linkOnce(tx, fileIds, message.id, "a file can be sent once; upload it again to send it in another message");
  return message.id;
}
