// next-auth's routes (sign-in, email callback, sign-out, CSRF token, session).
import NextAuth from "next-auth";
import { authRuntime } from "~/server/auth/options";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: RouteContext) {
  return NextAuth(request as never, context as never, authRuntime().options) as Promise<Response>;
}

export { handler as GET, handler as POST };
