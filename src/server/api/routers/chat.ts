// The customer's chat with an agent. Customer text is stored as customer text
// and reaches the agent only as an untrusted event, whatever it says.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import {
  customerConversation, customerMessages, listCustomerConversations, openConversation, sendCustomerMessage,
} from "~/server/conversations/customer-chat";
import { bigintParam } from "~/server/db/bigint-param";
import { requestKeyInput } from "../request-key";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const chatRouter = createTRPCRouter({
  open: protectedProcedure
    .input(z.object({ agentHandle: z.string().min(1).max(FIELD_LIMITS.handleLookupChars) }))
    .mutation(async ({ ctx, input }) => {
      const conversation = await openConversation(ctx.engine, ctx.user.id, input.agentHandle);
      return { conversationId: conversation.id };
    }),
  conversations: protectedProcedure.query(({ ctx }) => listCustomerConversations(ctx.engine, ctx.user.id)),
  conversation: protectedProcedure
    .input(z.object({ conversationId: z.string().min(1).max(FIELD_LIMITS.idChars) }))
    .query(({ ctx, input }) => customerConversation(ctx.engine, ctx.user.id, input.conversationId)),
  messages: protectedProcedure
    .input(z.object({ conversationId: z.string().min(1).max(FIELD_LIMITS.idChars), after: bigintParam.nullish() }))
    .query(({ ctx, input }) =>
      customerMessages(ctx.engine, ctx.user.id, input.conversationId, input.after ? BigInt(input.after) : null),
    ),
  send: protectedProcedure
    .input(
      z.object({
        conversationId: z.string().min(1).max(FIELD_LIMITS.idChars),
        text: z.string().min(1).max(FIELD_LIMITS.messageTextChars),
        requestKey: requestKeyInput,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const messageId = await sendCustomerMessage(ctx.engine, ctx.user.id, input.conversationId, input.text, input.requestKey);
      return { messageId };
    }),
});
