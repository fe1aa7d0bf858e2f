// The signed-in person for a request: route handlers pass the request,
// server components read next/headers. Both go to the database every time.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "~/env";
import { getDb } from "../db/client";
import type { SessionUser } from "./session-user";
import { cookieFromHeader, resolveSessionUser, sessionCookieName } from "./session";
import { secureCookiesFor, webBaseUrl } from "./settings";

function cookieName(): string {
  const e = env();
  return sessionCookieName(secureCookiesFor(e, webBaseUrl(e)));
}

export async function userFromRequest(request: Request): Promise<SessionUser | null> {
  const token = cookieFromHeader(request.headers.get("cookie"), cookieName());
  return resolveSessionUser(getDb(), token, new Date());
}

/** In a server component or action: the person signed in, or null. Makes the page dynamic. */
export async function currentUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  const token = jar.get(cookieName())?.value ?? null;
  return resolveSessionUser(getDb(), token, new Date());
}

/** In a page that needs a signed-in person: sends everyone else to sign in, then back here. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
