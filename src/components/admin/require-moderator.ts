// The gate of every moderation page, checked on the server for each request:
// nobody signed in → sign in and come back; signed in but not a moderator →
// the page renders "moderators only" instead of its content. The procedures
// behind the pages check the role again on every call (adminProcedure).
import { requireUser } from "~/server/auth/request-user";
import type { SessionUser } from "~/server/auth/session-user";

export async function requireModerator(returnTo: string): Promise<{ user: SessionUser; moderator: boolean }> {
  const user = await requireUser(returnTo);
  return { user, moderator: user.role === "admin" };
}
