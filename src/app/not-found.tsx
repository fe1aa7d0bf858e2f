// Any address the app does not know (and notFound() from a page): Holdfast's
// own page, inside the site's header, with ways back.
import Link from "next/link";
import { buttonPrimary, buttonSecondary } from "~/components/ui/styles";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16" data-testid="not-found">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Page not found</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight text-brand-900">There is nothing at this address</h1>
      <p className="mt-3 text-stone-700">
        The link may be mistyped, or the order or chat belongs to another account. Nothing was changed.
      </p>
      <div className="mt-6 flex flex-wrap gap-3">
        <Link href="/" className={buttonPrimary}>
          Back to Holdfast
        </Link>
        <Link href="/c" className={buttonSecondary}>
          Your chats
        </Link>
        <Link href="/market" className={buttonSecondary}>
          The marketplace
        </Link>
      </div>
    </main>
  );
}
