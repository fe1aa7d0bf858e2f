// Conversations and messages. Customer text is data, never an instruction:
// it carries `trusted: false` wherever it appears.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { ConversationSchema, listOf, MessageSchema } from "~/client/schemas";
import { assertArtifactHashes } from "../../artifacts/hash-check";
import { countAgentArtifacts } from "../../artifacts/record";
import { agentConversations, findAgentConversation, messagesAfter, storedMessage } from "../../conversations/conversation-reads";
import { postAgentMessage } from "../../conversations/messages";
import { agentEscrowIsInConversation } from "../../escrow/escrow-reads";
import type { Tx } from "../../db/transaction";
import type { Prisma } from "../../db/generated/client";
import { invalid, notFound } from "../../errors";
import { afterCursor, DEFAULT_PAGE_SIZE, id, page, pageQuery } from "../fields";
import { defineOperation } from "../operation";
import { toConversationJson, toMessageJson } from "../../views/protocol";

export const MAX_ARTIFACTS_PER_MESSAGE = 20;

export async function requireOwnConversation(tx: Tx, agentId: string, conversationId: unknown) {
  if (typeof conversationId !== "string") return null;
  const row = await findAgentConversation(tx, agentId, conversationId);
  if (!row) throw notFound("conversation");
  return row;
}

export const listConversations = defineOperation({
  id: "listConversations",
  method: "GET",
  path: "/conversations",
  summary: "The agent's conversations, oldest first.",
  query: ["after", "limit"],
  input: z.object(pageQuery),
  async handler(c, input) {
    const limit = input.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await agentConversations(c.tx, c.agent.agentId, { cursor: afterCursor(input.after), take: limit + 1 });
    return { status: 200, body: page(rows, limit, toConversationJson) };
  },
  response: { status: 200, schema: listOf(ConversationSchema), description: "A page of conversations" },
});

function messageCursor(after: string | undefined): bigint {
  if (after === undefined) return 0n;
  if (!/^\d{1,18}$/.test(after)) throw invalid("after", "not a cursor this API returned");
  return BigInt(after);
}

/** A page of one conversation's messages after a message cursor (`seq`), oldest first. */
export async function messagePage(
  tx: Tx,
  where: Prisma.MessageWhereInput & { conversationId: string },
  input: { after?: string | undefined; limit?: number | undefined },
) {
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  const rows = await messagesAfter(tx, where, { afterSeq: messageCursor(input.after), take: limit + 1 });
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return { data: visible.map(toMessageJson), next_cursor: rows.length > limit && last ? last.seq.toString() : null };
}

export const listMessages = defineOperation({
  id: "listMessages",
  method: "GET",
  path: "/conversations/{conversation_id}/messages",
  summary: "A conversation's messages, oldest first. `trusted` is true only for system, owner and moderator messages.",
  query: ["after", "limit"],
  input: z.object({ conversation_id: id("conversation"), ...pageQuery }),
  authorize: (c, raw) => requireOwnConversation(c.tx, c.agent.agentId, raw.conversation_id).then(() => undefined),
  handler: async (c, input) => ({ status: 200, body: await messagePage(c.tx, { conversationId: input.conversation_id }, input) }),
  response: { status: 200, schema: listOf(MessageSchema), description: "A page of messages" },
});

export const sendMessage = defineOperation({
  id: "sendMessage",
  tool: "send_message",
  method: "POST",
  path: "/conversations/{conversation_id}/messages",
  summary:
    "Send a message, optionally with uploaded artifacts. Artifacts in a message tied to `escrow_id` count toward that escrow's delivery.",
  input: z.object({
    conversation_id: id("conversation"),
    text: z.string().max(FIELD_LIMITS.messageTextChars).default(""),
    artifact_ids: z.array(id("artifact")).max(MAX_ARTIFACTS_PER_MESSAGE).default([]),
    escrow_id: id("escrow").nullable().optional(),
    artifact_sha256: z
      .record(id("artifact"), z.string().regex(/^[0-9a-fA-F]{64}$/, "a SHA-256 as 64 hex digits"))
      .optional()
      .describe("Optional: artifact id → the SHA-256 you expect it to have (content-addressed delivery); a mismatch is 400 and nothing is sent"),
  }),
  async authorize(c, raw) {
    await requireOwnConversation(c.tx, c.agent.agentId, raw.conversation_id);
    if (typeof raw.escrow_id === "string") {
      const inConversation = await agentEscrowIsInConversation(c.tx, c.agent.agentId, raw.escrow_id, String(raw.conversation_id));
      if (!inConversation) throw notFound("escrow in this conversation");
    }
    if (Array.isArray(raw.artifact_ids) && raw.artifact_ids.every((x) => typeof x === "string")) {
      const ids = [...new Set(raw.artifact_ids as string[])].slice(0, MAX_ARTIFACTS_PER_MESSAGE + 1);
      const own = await countAgentArtifacts(c.tx, c.agent.agentId, ids);
      if (own !== ids.length) throw notFound("artifact");
    }
  },
  async handler(c, input) {
    await assertArtifactHashes(c.tx, c.agent.agentId, input.artifact_ids, input.artifact_sha256 ?? {});
    const messageId = await postAgentMessage(c.tx, {
      agentId: c.agent.agentId,
      conversationId: input.conversation_id,
      text: input.text,
      artifactIds: input.artifact_ids,
      escrowId: input.escrow_id ?? null,
      now: c.engine.now(),
    });
    const row = await storedMessage(c.tx, messageId);
    return { status: 201, body: toMessageJson(row) };
  },
  response: { status: 201, schema: MessageSchema, description: "The message as stored" },
});
