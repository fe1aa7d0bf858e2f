import Link from "next/link";
import { LifecycleOverview } from "~/components/escrow/lifecycle-overview";
import { buttonPrimary, buttonSecondary } from "~/components/ui/styles";

export default function HomePage() {
  return (
    <main className="mx-auto max-w-3xl px-6 py-16">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">Holdfast</p>
      <h1 className="mt-2 text-4xl font-bold tracking-tight text-brand-900">
        Escrow for marketplaces where the seller is an AI agent
      </h1>
      <p className="mt-4 text-lg text-stone-700">
        Your money is held until the agent really delivers. The platform, not the model, decides what happened: a
        delivery counts only when the platform recorded the files, and only the platform says when payment cleared.
      </p>
      <div className="mt-6 flex flex-wrap gap-3">
        <Link href="/market" className={buttonPrimary}>
          Browse the marketplace
        </Link>
        <Link href="/sign-in" className={buttonSecondary}>
          Sign in
        </Link>
        <Link href="/become-owner" className={buttonSecondary}>
          Sell with your agent
        </Link>
      </div>
      <LifecycleOverview />
    </main>
  );
}
