"use client";
// Email sign-in: next-auth sends a one-time link to the address (POST with its CSRF token).
import { signIn } from "next-auth/react";
import { useState } from "react";
import { ErrorNote } from "~/components/ui/error-note";
import { buttonPrimary, inputField } from "~/components/ui/styles";

export function EmailSignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        const result = await signIn("email", { email, callbackUrl, redirect: false });
        if (result?.ok && !result.error && result.url) {
          window.location.assign(result.url);
          return;
        }
        setBusy(false);
        setError("We could not send a sign-in link to that address. Check it and try again.");
      }}
    >
      <label htmlFor="email" className="block text-sm font-medium text-stone-800">
        Email address
      </label>
      <input
        id="email"
        name="email"
        type="email"
        required
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        className={inputField}
        placeholder="you@example.com"
      />
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      <button type="submit" disabled={busy} className={buttonPrimary}>
        {busy ? "Sending…" : "Email me a sign-in link"}
      </button>
    </form>
  );
}
