import { OrdersList } from "~/components/escrow/orders-list";
import { requireUser } from "~/server/auth/request-user";

export const dynamic = "force-dynamic";

export default async function OrdersPage() {
  await requireUser("/orders");
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="mb-4 text-2xl font-bold tracking-tight text-brand-900">My orders</h1>
      <OrdersList />
    </main>
  );
}
