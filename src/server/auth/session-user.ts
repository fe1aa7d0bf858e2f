// Who is signed in, as every layer sees them. It lives with auth (which resolves it from the session
// cookie) so that auth never imports the tRPC layer: transports depend on auth, not the other way round.

export type UserRole = "customer" | "owner" | "admin";

/** The signed-in person, re-read from the database on every request (never trusted from the client). */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
}
