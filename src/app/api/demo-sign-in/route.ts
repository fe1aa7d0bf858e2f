// POST /api/demo-sign-in (form: account=customer|owner|admin, callbackUrl):
// one-click sign-in to a seeded demo account, in demo mode only.
import { env } from "~/env";
import { isSameOrigin } from "~/server/auth/csrf";
import { demoSignInUrl, isDemoAccount } from "~/server/auth/demo";
import { authRuntime } from "~/server/auth/options";
import { getDb } from "~/server/db/client";
import { BODY_LIMIT_BYTES, capRequestBody } from "~/server/http/read-body";

export const dynamic = "force-dynamic";

function safeCallback(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/market";
}

export async function POST(incoming: Request) {
  if (!env().HOLDFAST_DEMO) return new Response("Demo accounts are not enabled here.", { status: 404 });
  const { baseUrl, secret } = authRuntime();
  if (!isSameOrigin(incoming, baseUrl)) return new Response("Cross-site request refused.", { status: 403 });
  const capped = await capRequestBody(incoming, BODY_LIMIT_BYTES.form);
  if (capped instanceof Response) return capped;
  const form = await capped.request.formData().catch(() => null);
  if (!form) return new Response("The form could not be read.", { status: 400 });
  const account = form.get("account");
  if (!isDemoAccount(account)) return new Response("Unknown demo account.", { status: 400 });
  const url = await demoSignInUrl(getDb(), {
    account,
    secret,
    baseUrl,
    callbackUrl: safeCallback(form.get("callbackUrl")),
    now: new Date(),
  });
  return Response.redirect(url, 303);
}
