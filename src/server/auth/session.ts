// Session resolution: the session cookie → a users row, checked on every
// request (tRPC procedures, pages, downloads). The database is the authority:
// an expired session, a deleted session or a suspended user is nobody.
import { createHash } from "node:crypto";
import type { Db } from "../db/client";
import type { SessionUser } from "./session-user";

/** How long a sign-in lasts. next-auth extends it at most once a day while the person keeps using the app. */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;
export const SESSION_UPDATE_AGE_S = 24 * 60 * 60;

/** next-auth's cookie names: the `__Secure-` prefix when cookies are Secure (see cookies.ts). */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** Only the SHA-256 of a session token is stored: a copy of the sessions table signs nobody in. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

/** The signed-in person for a session token, or null (unknown, expired, or suspended). */
export async function resolveSessionUser(db: Db, token: string | null | undefined, now: Date): Promise<SessionUser | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const session = await db.session.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    include: { user: { select: { id: true, email: true, displayName: true, role: true, status: true } } },
  });
  if (!session || session.expires.getTime() <= now.getTime()) return null;
  const user = session.user;
  if (user.status !== "active") return null;
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

/** The value of one cookie in a `Cookie` request header. */
export function cookieFromHeader(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
