// next-auth's routes (sign-in, email callback, sign-out, CSRF token, session). next-auth reads the
// whole body itself, so the form is first read under a small cap and handed on in memory (issue 16).
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authRuntime } from "~/server/auth/options";
import { BODY_LIMIT_BYTES, capRequestBody } from "~/server/http/read-body";

export const dynamic = "force-dynamic";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(incoming: Request, context: RouteContext) {
  const capped = await capRequestBody(incoming, BODY_LIMIT_BYTES.form);
  if (capped instanceof Response) return capped;
  // next-auth reads `nextUrl`: hand it a NextRequest over the bytes already read (GET passes as it came).
  const request = capped.request === incoming ? incoming : new NextRequest(capped.request);
  return NextAuth(request as never, context as never, authRuntime().options) as Promise<Response>;
}

export { handler as GET, handler as POST };
