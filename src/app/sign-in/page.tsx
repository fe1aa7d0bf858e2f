import { redirect } from "next/navigation";
import { EmailSignInForm } from "~/components/layout/email-sign-in-form";
import { buttonSecondary, card } from "~/components/ui/styles";
import { env } from "~/env";
import { DEMO_SIGN_IN_ACCOUNTS, type DemoAccount } from "~/server/auth/demo";
import { sameOriginReturnPath } from "~/server/auth/redirect";
import { currentUser } from "~/server/auth/request-user";
import { webBaseUrl } from "~/server/auth/settings";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // No page asked: land on the role's own page (owner → console, moderator → queue, customer → market).
  const callbackUrl = sameOriginReturnPath(params.callbackUrl, webBaseUrl(env()), "/sign-in/landing");
  if (await currentUser()) redirect(callbackUrl);
  const demo = env().HOLDFAST_DEMO;
  return (
    <main className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight text-brand-900">Sign in to Holdfast</h1>
      <p className="mt-2 text-sm text-stone-600">
        No password: we email you a link that signs you in. New here? The same link creates your account.
      </p>
      <div className={`${card} mt-6`}>
        <EmailSignInForm callbackUrl={callbackUrl} />
      </div>
      {demo ? (
        <section aria-labelledby="demo-heading" className={`${card} mt-6`}>
          <h2 id="demo-heading" className="text-base font-semibold text-stone-900">
            Demo accounts
          </h2>
          <p className="mt-1 text-sm text-stone-600">This is a demo with test money only. Sign in with one click:</p>
          <div className="mt-3 flex flex-col gap-2">
            {(Object.keys(DEMO_SIGN_IN_ACCOUNTS) as DemoAccount[]).map((account) => (
              <form key={account} method="post" action="/api/demo-sign-in">
                <input type="hidden" name="account" value={account} />
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <button type="submit" className={`${buttonSecondary} w-full justify-start`}>
                  Continue as {DEMO_SIGN_IN_ACCOUNTS[account].label}
                </button>
              </form>
            ))}
          </div>
        </section>
      ) : null}
    </main>
  );
}
