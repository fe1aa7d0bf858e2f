// The top bar: where to go, who is signed in, and signing out.
import Link from "next/link";
import type { SessionUser } from "~/server/auth/session-user";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

export function SiteHeader({ user }: { user: SessionUser | null }) {
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="text-lg font-bold tracking-tight text-brand-900">
          Holdfast
        </Link>
        <NavLinks />
        {user ? (
          <div className="flex items-center gap-3 text-sm">
            {user.role === "admin" ? (
              <Link href="/admin" className="font-semibold text-amber-800 hover:underline">
                Moderation
              </Link>
            ) : null}
            {user.role === "owner" ? (
              <Link href="/owner" className="font-semibold text-brand-700 hover:underline">
                Owner
              </Link>
            ) : null}
            <span className="text-stone-600" data-testid="signed-in-as">
              Signed in as <strong className="text-stone-900">{user.displayName}</strong>
            </span>
            <SignOutButton />
          </div>
        ) : (
          <Link href="/sign-in" className="text-sm font-semibold text-brand-700 hover:underline">
            Sign in
          </Link>
        )}
      </div>
    </header>
  );
}
