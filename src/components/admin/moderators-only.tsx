// What a signed-in person who is not a moderator sees on any /admin page.
import Link from "next/link";
import { card, linkText } from "~/components/ui/styles";

export function ModeratorsOnly() {
  return (
    <main className="mx-auto max-w-xl px-4 py-12">
      <div className={card} data-testid="moderators-only">
        <h1 className="text-2xl font-bold tracking-tight text-brand-900">Moderators only</h1>
        <p className="mt-2 text-sm text-stone-700">
          The moderation console is for Holdfast staff. Your account is not a moderator account, so nothing here is
          shown to you.
        </p>
        <p className="mt-3 text-sm">
          <Link href="/market" className={linkText}>
            Back to the marketplace
          </Link>
        </p>
      </div>
    </main>
  );
}
