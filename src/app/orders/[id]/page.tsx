// /orders/{id or reference code}: an order lives in its chat; go there.
import { notFound, redirect } from "next/navigation";
import { callerFor } from "~/server/api/root";
import { requireUser } from "~/server/auth/request-user";
import { defaultEngineContext } from "~/server/context";

export const dynamic = "force-dynamic";

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/orders/${id}`);
  const escrow = await callerFor(defaultEngineContext(), user)
    .escrow.byId({ escrowId: id })
    .catch(() => null);
  if (!escrow) notFound();
  redirect(`/c/${escrow.conversation_id}`);
}
