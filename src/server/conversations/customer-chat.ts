// The customer's side of a conversation: starting one with an agent, and
// reading it. Owner instructions are private between the owner and the agent:
// they are never returned to a customer.
import type { MessageRole } from "~/domain/vocabulary";
import type { EngineContext } from "../context";
import { notFound } from "../errors";
import { oncePerRequestKey, personRequest } from "../idempotency";
import { newId } from "../ids";
import type { Prisma } from "../db/generated/client";
import type { Db } from "../db/client";
import type { Tx } from "../db/transaction";
import { postCustomerMessage } from "./messages";

export interface ArtifactView {
  id: string;
  kind: "file" | "image" | "audio" | "data";
  mime_type: string;
  size: number;
  /** Same as size (the Artifact object's field name, issue 18). */
  size_bytes: number;
  sha256: string;
  name: string;
  url: string;
  data?: unknown;
}

export interface MessageView {
  id: string;
  conversation_id: string;
  escrow_id: string | null;
  role: MessageRole;
  trusted: boolean;
  text: string;
  artifacts: ArtifactView[];
  created_at: string;
}

/** Where a signed-in customer downloads an artifact (session-checked). */
function customerArtifactUrl(artifactId: string): string {
  return `/api/artifacts/${artifactId}`;
}

const messageInclude = { artifacts: { orderBy: { createdAt: "asc" } } } satisfies Prisma.MessageInclude;
type MessageWithArtifacts = Prisma.MessageGetPayload<{ include: typeof messageInclude }>;

export function toMessageView(m: MessageWithArtifacts, artifactUrl: (id: string) => string): MessageView {
  return {
    id: m.id,
    conversation_id: m.conversationId,
    escrow_id: m.escrowId,
    role: m.role,
    trusted: m.trusted,
    text: m.text,
    artifacts: m.artifacts.map((a) => ({
      id: a.id,
      kind: a.kind,
      mime_type: a.mimeType,
      size: Number(a.sizeBytes),
      size_bytes: Number(a.sizeBytes),
      sha256: a.sha256,
      name: a.name,
      url: artifactUrl(a.id),
      ...(a.data !== null ? { data: a.data } : {}),
    })),
    created_at: m.createdAt.toISOString(),
  };
}

/** The customer's conversation with an agent, created on first contact. */
export async function openConversation(ctx: EngineContext, customerId: string, agentHandle: string) {
  const agent = await ctx.db.agent.findFirst({ where: { handle: agentHandle, status: "active" } });
  if (!agent) throw notFound("agent");
  return findOrCreateConversation(ctx.db, { agentId: agent.id, customerId, buyerAgentId: null }, ctx.now());
}

/**
 * The one conversation of a seller with a buyer (a person, or a person's buying agent). The unique
 * index (NULLS NOT DISTINCT) settles a race between two first contacts: ON CONFLICT DO NOTHING lets
 * the loser read the winner's row, without aborting a surrounding transaction.
 */
export async function findOrCreateConversation(
  db: Db | Tx,
  key: { agentId: string; customerId: string; buyerAgentId: string | null },
  now: Date,
) {
  const existing = await db.conversation.findFirst({ where: key });
  if (existing) return existing;
  await db.$executeRaw`
    INSERT INTO conversations (id, agent_id, customer_id, buyer_agent_id, created_at, last_message_at)
    VALUES (${newId("cnv")}, ${key.agentId}, ${key.customerId}, ${key.buyerAgentId}, ${now}, ${now})
    ON CONFLICT DO NOTHING`;
  return db.conversation.findFirstOrThrow({ where: key });
}

export async function listCustomerConversations(ctx: EngineContext, customerId: string) {
  const conversations = await ctx.db.conversation.findMany({
    where: { customerId, buyerAgentId: null },
    orderBy: { lastMessageAt: "desc" },
    include: { agent: { select: { handle: true, displayName: true } } },
  });
  return conversations.map((c) => ({
    id: c.id,
    agent: { handle: c.agent.handle, display_name: c.agent.displayName },
    last_message_at: c.lastMessageAt.toISOString(),
  }));
}

/**
 * One of the customer's conversations. It includes their agents' purchase conversations (paid from
 * their wallet): the owner reads them and can act on the orders, but only the buying agent writes there.
 */
export async function customerConversation(ctx: EngineContext, customerId: string, conversationId: string) {
  const conversation = await ctx.db.conversation.findFirst({
    where: { id: conversationId, customerId },
    include: {
      agent: { select: { id: true, handle: true, displayName: true } },
      buyerAgent: { select: { handle: true, displayName: true } },
    },
  });
  if (!conversation) throw notFound("conversation");
  return {
    id: conversation.id,
    agent: { handle: conversation.agent.handle, display_name: conversation.agent.displayName },
    buyer_agent: conversation.buyerAgent
      ? { handle: conversation.buyerAgent.handle, display_name: conversation.buyerAgent.displayName }
      : null,
  };
}

/** Messages after a cursor (the message `seq`), oldest first, without owner instructions. */
export async function customerMessages(
  ctx: EngineContext,
  customerId: string,
  conversationId: string,
  afterSeq: bigint | null,
  limit = 200,
) {
  await customerConversation(ctx, customerId, conversationId);
  const messages = await ctx.db.message.findMany({
    where: { conversationId, role: { not: "owner" }, ...(afterSeq !== null ? { seq: { gt: afterSeq } } : {}) },
    orderBy: { seq: "asc" },
    take: limit,
    include: messageInclude,
  });
  const last = messages.at(-1);
  return {
    messages: messages.map((m) => toMessageView(m, customerArtifactUrl)),
    nextCursor: last ? last.seq.toString() : afterSeq?.toString() ?? null,
  };
}

/** A customer's message in their own conversation, in its own transaction (the web chat's send). */
/**
 * With a request key (the chat box makes one per message it sends), the same message sent twice — a double
 * submit, a retry after a lost answer, two tabs — is written once and both answers name it.
 */
export async function sendCustomerMessage(
  ctx: EngineContext,
  customerId: string,
  conversationId: string,
  text: string,
  requestKey?: string | null,
): Promise<string> {
  return oncePerRequestKey(ctx.db, personRequest(customerId, "chat.send", requestKey, { conversationId, text }), (tx) =>
    postCustomerMessage(tx, { customerId, conversationId, text, now: ctx.now() }),
  );
}
