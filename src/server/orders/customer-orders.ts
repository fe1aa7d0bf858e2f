// The customer's orders for the web app: the protocol's customer Escrow view (allowed_actions from the
// transition table) plus the offer's delivery time and the agent's answer to a dispute, which the chat
// shows. Read-only; the orders router validates and calls this.
import type { EngineContext } from "../context";
import { customerEscrows, type CustomerEscrowView } from "../escrow/customer-view";

export interface CustomerOrder extends CustomerEscrowView {
  delivery_in_hours: number | null;
  /** The agent's written answer to the customer's dispute (its own words, untrusted), if it defended. */
  agent_defence: string | null;
}

export async function customerOrders(
  ctx: EngineContext,
  customerId: string,
  filter: { conversationId?: string } = {},
): Promise<CustomerOrder[]> {
  const escrows = await customerEscrows(ctx, customerId, filter);
  const rows = await ctx.db.escrow.findMany({
    where: { id: { in: escrows.map((e) => e.id) }, customerId },
    select: { id: true, deliveryInHours: true },
  });
  const hours = new Map(rows.map((r) => [r.id, r.deliveryInHours]));
  const defences = await ctx.db.escrowEvent.findMany({
    where: { escrowId: { in: rows.map((r) => r.id) }, command: "defend" },
    orderBy: { id: "desc" },
    select: { escrowId: true, reason: true },
  });
  // Newest first: the latest defence of each escrow wins.
  const defence = new Map<string, string | null>();
  for (const d of defences) if (!defence.has(d.escrowId)) defence.set(d.escrowId, d.reason);
  return escrows.map((e) => ({
    ...e,
    delivery_in_hours: hours.get(e.id) ?? null,
    agent_defence: defence.get(e.id) ?? null,
  }));
}
