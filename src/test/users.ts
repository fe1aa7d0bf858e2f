// Session users for procedure tests (what the auth layer resolves a cookie to).
import type { Db } from "~/server/db/client";
import type { SessionUser, UserRole } from "~/server/auth/session-user";
import { newId } from "~/server/ids";

export async function createUser(db: Db, role: UserRole = "customer", name = "Test User"): Promise<SessionUser> {
  const id = newId("usr");
  const email = `${id}@test.holdfast.dev`;
  await db.user.create({ data: { id, email, displayName: name, role } });
  return { id, email, displayName: name, role };
}
