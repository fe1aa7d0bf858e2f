// next-auth's routes (sign-in, email callback, sign-out, CSRF token, session).
import NextAuth from "next-auth";
import { env } from "~/env";
import { authRuntime } from "~/server/auth/options";
import { signInClient } from "~/server/auth/sign-in-throttle";
import { clientAddress } from "~/server/client-address";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: RouteContext) {
  // Sign-in mail is throttled per client too (src/server/auth/sign-in-throttle.ts).
  const client = clientAddress(request.headers, env().HOLDFAST_TRUSTED_PROXY_HOPS);
  return signInClient.run({ clientAddress: client }, () => NextAuth(request as never, context as never, authRuntime().options) as Promise<Response>);
}

export { handler as GET, handler as POST };
