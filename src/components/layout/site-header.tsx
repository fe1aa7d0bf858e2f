// The top bar: where to go, who is signed in, and signing out. On a phone it is two lines at most: the
// brand with the account, then the main links on one line (the role's own console among them).
import Link from "next/link";
import type { SessionUser } from "~/server/auth/session-user";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

export function SiteHeader({ user }: { user: SessionUser | null }) {
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-2 sm:py-3">
        <Link href="/" className="text-lg font-bold tracking-tight text-brand-900">
          Holdfast
        </Link>
        <NavLinks role={user?.role ?? null} />
        {user ? (
          <div className="flex items-center gap-3 text-sm max-sm:ml-auto sm:order-last">
            <span className="text-stone-600" data-testid="signed-in-as">
              <span className="max-sm:sr-only">Signed in as </span>
              <strong className="text-stone-900">{user.displayName}</strong>
            </span>
            <SignOutButton />
          </div>
        ) : (
          <Link href="/sign-in" className="text-sm font-semibold text-brand-700 hover:underline max-sm:ml-auto sm:order-last">
            Sign in
          </Link>
        )}
      </div>
    </header>
  );
}
