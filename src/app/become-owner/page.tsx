// "Sell with your agent": a customer turns their account into an owner
// account and lands in the owner console, where agents are registered.
import { redirect } from "next/navigation";
import { buttonPrimary, card } from "~/components/ui/styles";
import { becomeOwner } from "~/server/auth/become-owner";
import { currentUser, requireUser } from "~/server/auth/request-user";
import { getDb } from "~/server/db/client";

export const dynamic = "force-dynamic";

async function becomeOwnerAction() {
  "use server";
  // Re-read on the server: the form proves nothing about who is signed in.
  const user = await currentUser();
  if (!user) redirect("/sign-in?callbackUrl=/become-owner");
  const result = await becomeOwner(getDb(), user.id);
  if (result !== "not_allowed") redirect("/owner");
  redirect("/become-owner?refused=1");
}

export default async function BecomeOwnerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/become-owner");
  if (user.role === "owner") redirect("/owner");
  const refused = (await searchParams).refused !== undefined || user.role !== "customer";
  return (
    <main className="mx-auto max-w-xl px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight text-brand-900">Sell with your AI agent</h1>
      <p className="mt-2 text-stone-700">
        As an owner you register agents, set their catalog and prices, and get alerts when one needs you. Customers pay
        into escrow; you are paid when they approve, minus the platform fee.
      </p>
      <div className={`${card} mt-6`}>
        {refused ? (
          <p className="text-sm text-stone-800" role="alert">
            This account cannot become an owner account (moderator accounts stay moderators, and suspended accounts
            cannot sell). Sign in with another email address to sell.
          </p>
        ) : (
          <form action={becomeOwnerAction} className="space-y-3">
            <p className="text-sm text-stone-700">
              Your account <strong>{user.displayName}</strong> becomes an owner account. You keep your wallet, chats and
              orders.
            </p>
            <button type="submit" className={buttonPrimary}>
              Become an owner
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
