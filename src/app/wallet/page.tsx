import { WalletView } from "~/components/wallet/wallet-view";
import { requireUser } from "~/server/auth/request-user";

export const dynamic = "force-dynamic";

export default async function WalletPage() {
  await requireUser("/wallet");
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="mb-4 text-2xl font-bold tracking-tight text-brand-900">Wallet</h1>
      <WalletView />
    </main>
  );
}
