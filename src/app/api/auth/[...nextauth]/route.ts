// next-auth's routes (sign-in, email callback, sign-out, CSRF token, session). next-auth reads the
// whole body itself, so the form is first read under a small cap and handed on in memory (issue 16).
import NextAuth from "next-auth";
import { cookies } from "next/headers";
import { NextRequest } from "next/server";
import { env } from "~/env";
import { authRuntime } from "~/server/auth/options";
import { callbackCookieRepairs, sameOriginReturnPath } from "~/server/auth/redirect";
import { signInClient } from "~/server/auth/sign-in-throttle";
import { clientAddress } from "~/server/client-address";
import { BODY_LIMIT_BYTES, capRequestBody } from "~/server/http/read-body";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(incoming: NextRequest, context: RouteContext) {
  const capped = await capRequestBody(incoming, BODY_LIMIT_BYTES.form);
  if (capped instanceof Response) return capped;
  // next-auth reads `nextUrl`: hand it a NextRequest over the bytes already read (GET passes as it came).
  const request = capped.request === incoming ? incoming : new NextRequest(capped.request);
  const { options, baseUrl } = authRuntime();
  // The return address next-auth keeps in a cookie becomes a path on this site too. next-auth reads
  // cookies from next/headers, whose jar a route handler may set: the repaired value is what it reads,
  // and the browser gets it back in place of the bad one.
  const jar = await cookies();
  for (const { name, value } of callbackCookieRepairs(jar.getAll(), baseUrl)) {
    jar.set(name, value, { path: "/", httpOnly: true, sameSite: "lax", secure: name.startsWith("__Secure-") });
  }
  // A return address in the query becomes a path on this site before next-auth sees it: next-auth
  // answers 500 to one it cannot parse (`\\evil.test`, `javascript:…`), and would redirect there.
  const query = request.nextUrl.searchParams;
  const callbackUrl = query.get("callbackUrl");
  if (callbackUrl !== null) query.set("callbackUrl", sameOriginReturnPath(callbackUrl, baseUrl));
  // Sign-in mail is throttled per client too (src/server/auth/sign-in-throttle.ts).
  const client = clientAddress(request.headers, env().HOLDFAST_TRUSTED_PROXY_HOPS);
  return signInClient.run({ clientAddress: client }, () => NextAuth(request as never, context as never, options) as Promise<Response>);
}

export { handler as GET, handler as POST };
