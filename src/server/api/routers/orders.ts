// The customer's orders for the web app (src/server/orders/customer-orders.ts): read-only; commands
// stay in escrowRouter under their protocol names.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { customerOrders } from "~/server/orders/customer-orders";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const ordersRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.object({ conversationId: z.string().min(1).max(FIELD_LIMITS.idChars).optional() }).optional())
    .query(({ ctx, input }) => customerOrders(ctx.engine, ctx.user.id, input?.conversationId ? { conversationId: input.conversationId } : {})),
});
