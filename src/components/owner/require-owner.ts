// The owner console is for agent owners, checked on the server for every page (the procedures check again).
import { requireUser } from "~/server/auth/request-user";

export async function requireOwner(returnTo: string) {
  const user = await requireUser(returnTo);
  return user.role === "owner" ? user : null;
}
