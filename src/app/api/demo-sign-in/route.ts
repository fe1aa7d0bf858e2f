// POST /api/demo-sign-in (form: account=customer|owner|admin|studio|proof, callbackUrl):
// one-click sign-in to a seeded demo account, in demo mode only. Every refusal
// is a page that says what to do (JSON for API clients).
import { env } from "~/env";
import { isSameOrigin } from "~/server/auth/csrf";
import { demoSignInUrl, isDemoAccount } from "~/server/auth/demo";
import { authRuntime } from "~/server/auth/options";
import { sameOriginReturnPath } from "~/server/auth/redirect";
import { refusalResponse } from "~/server/refusal";
import { getDb } from "~/server/db/client";
import { BODY_LIMIT_BYTES, capRequestBody } from "~/server/http/read-body";

export const dynamic = "force-dynamic";

export async function POST(incoming: Request) {
  if (!env().HOLDFAST_DEMO) {
    return refusalResponse(incoming, {
      status: 404,
      code: "not_found",
      title: "No demo accounts here",
      message: "Demo accounts exist only in the embedded demo (npm start). Sign in with your email address instead.",
      next: { href: "/sign-in", label: "Sign in by email" },
    });
  }
  const { baseUrl, secret } = authRuntime();
  const signInPage = new URL("/sign-in", baseUrl).toString();
  if (!isSameOrigin(incoming, baseUrl)) {
    const origin = incoming.headers.get("origin");
    return refusalResponse(incoming, {
      status: 403,
      code: "forbidden",
      title: "Sign-in refused: the form came from another site",
      message:
        `This demo sign-in was sent from ${origin && origin !== "null" ? origin : "a page of another site"}, not from Holdfast, so it was refused: ` +
        `another site must not be able to sign you in. Open Holdfast's own sign-in page and choose the demo account there.`,
      next: { href: signInPage, label: `Open ${signInPage}` },
    });
  }
  const capped = await capRequestBody(incoming, BODY_LIMIT_BYTES.form);
  if (capped instanceof Response) return capped;
  const form = await capped.request.formData().catch(() => null);
  const account = form?.get("account");
  if (!form || !isDemoAccount(account)) {
    return refusalResponse(incoming, {
      status: 400,
      code: "validation_error",
      title: "Unknown demo account",
      message: "Choose one of the demo accounts listed on the sign-in page.",
      next: { href: signInPage, label: `Open ${signInPage}` },
    });
  }
  const url = await demoSignInUrl(getDb(), {
    account,
    secret,
    baseUrl,
    callbackUrl: sameOriginReturnPath(form.get("callbackUrl"), baseUrl, "/sign-in/landing"),
    now: new Date(),
  });
  return Response.redirect(url, 303);
}
