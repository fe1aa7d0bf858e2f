// The customer's orders for the web app: the protocol's customer Escrow view
// (allowed_actions from the transition table) plus the offer's delivery time,
// which offer cards and the orders list show. Read-only; commands stay in
// escrowRouter under their protocol names.
import { z } from "zod";
import { customerEscrows, type CustomerEscrowView } from "~/server/escrow/customer-view";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export interface CustomerOrder extends CustomerEscrowView {
  delivery_in_hours: number | null;
}

export const ordersRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.object({ conversationId: z.string().min(1).max(64).optional() }).optional())
    .query(async ({ ctx, input }): Promise<CustomerOrder[]> => {
      const escrows = await customerEscrows(
        ctx.engine,
        ctx.user.id,
        input?.conversationId ? { conversationId: input.conversationId } : {},
      );
      const rows = await ctx.engine.db.escrow.findMany({
        where: { id: { in: escrows.map((e) => e.id) }, customerId: ctx.user.id },
        select: { id: true, deliveryInHours: true },
      });
      const hours = new Map(rows.map((r) => [r.id, r.deliveryInHours]));
      return escrows.map((e) => ({ ...e, delivery_in_hours: hours.get(e.id) ?? null }));
    }),
});
