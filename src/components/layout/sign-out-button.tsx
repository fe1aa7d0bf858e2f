"use client";
// Signing out through next-auth (a POST with its CSRF token); the database session is deleted.
import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signOut({ callbackUrl: "/" });
      }}
      className="rounded-md border border-stone-300 px-3 py-1 text-stone-700 hover:bg-stone-50 focus-visible:outline-2 focus-visible:outline-brand-600"
    >
      Sign out
    </button>
  );
}
