// A signed-in customer becomes an agent owner (issue 22 item 5): the owner
// console then lets them register agents and connect channels. One-way and
// only from `customer`: a moderator's account stays a moderator's, so the
// person who decides disputes never also sells.
import type { Db } from "../db/client";
import { log } from "../log";

export type BecomeOwnerResult = "became_owner" | "already_owner" | "not_allowed";

export async function becomeOwner(db: Db, userId: string): Promise<BecomeOwnerResult> {
  const changed = await db.user.updateMany({ where: { id: userId, role: "customer", status: "active" }, data: { role: "owner" } });
  if (changed.count === 1) {
    log().info({ user_id: userId, event: "user.became_owner" }, "customer became an agent owner");
    return "became_owner";
  }
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true } });
  return user?.role === "owner" ? "already_owner" : "not_allowed";
}
