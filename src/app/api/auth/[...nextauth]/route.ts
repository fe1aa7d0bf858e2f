// next-auth's routes (sign-in, email callback, sign-out, CSRF token, session).
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authRuntime } from "~/server/auth/options";
import { sameOriginReturnPath } from "~/server/auth/redirect";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(request: NextRequest, context: RouteContext) {
  const { options, baseUrl } = authRuntime();
  // A return address in the query becomes a path on this site before next-auth sees it: next-auth
  // answers 500 to one it cannot parse (`\\evil.test`, `javascript:…`), and would redirect there.
  const query = request.nextUrl.searchParams;
  const callbackUrl = query.get("callbackUrl");
  if (callbackUrl !== null) query.set("callbackUrl", sameOriginReturnPath(callbackUrl, baseUrl));
  return NextAuth(request as never, context as never, options) as Promise<Response>;
}

export { handler as GET, handler as POST };
