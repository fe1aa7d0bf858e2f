// The customer's orders for the web app: the protocol's customer Escrow view
// (allowed_actions from the transition table) plus the offer's delivery time
// and the agent's answer to a dispute, which the chat shows. Read-only; commands stay in
// escrowRouter under their protocol names.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { customerEscrows, type CustomerEscrowView } from "~/server/escrow/customer-view";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export interface CustomerOrder extends CustomerEscrowView {
  delivery_in_hours: number | null;
  /** The agent's written answer to the customer's dispute (its own words, untrusted), if it defended. */
  agent_defence: string | null;
}

export const ordersRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.object({ conversationId: z.string().min(1).max(FIELD_LIMITS.idChars).optional() }).optional())
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
      const defences = await ctx.engine.db.escrowEvent.findMany({
        where: { escrowId: { in: rows.map((r) => r.id) }, command: "defend" },
        orderBy: { id: "desc" },
        select: { escrowId: true, reason: true },
      });
      const defence = new Map<string, string | null>();
      for (const d of defences) if (!defence.has(d.escrowId)) defence.set(d.escrowId, d.reason);
      return escrows.map((e) => ({
        ...e,
        delivery_in_hours: hours.get(e.id) ?? null,
        agent_defence: defence.get(e.id) ?? null,
      }));
    }),
});
