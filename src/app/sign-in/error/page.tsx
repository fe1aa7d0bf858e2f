import Link from "next/link";
import { linkText } from "~/components/ui/styles";

const MESSAGES: Record<string, string> = {
  Verification: "That sign-in link has expired or was already used. Ask for a new one.",
  AccessDenied: "This account cannot sign in. If you think that is a mistake, contact support.",
  EmailSignin: "We could not send the sign-in email. Check the address (like name@example.com, no spaces) and try again.",
};

/** The message for next-auth's error code; any other `?error=` (`toString`, `__proto__`) gets the general one. */
function messageFor(error: string | string[] | undefined): string {
  return typeof error === "string" && Object.hasOwn(MESSAGES, error) ? MESSAGES[error]! : "Something went wrong while signing you in.";
}

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  const { error } = await searchParams;
  return (
    <main className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight text-brand-900">Could not sign you in</h1>
      <p role="alert" className="mt-3 text-stone-700">
        {messageFor(error)}
      </p>
      <p className="mt-4">
        <Link href="/sign-in" className={linkText}>
          Back to sign-in
        </Link>
      </p>
    </main>
  );
}
