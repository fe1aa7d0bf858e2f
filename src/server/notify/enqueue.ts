// Recording a notification: a row written in the caller's transaction (the outbox pattern), so a
// notification exists exactly when the change that caused it committed. The relay sends it later.
// dedupe_key is unique: asking twice for the same notification records it once.
import type { Tx } from "../db/transaction";
import { newId } from "../ids";

export interface NewNotification {
  userId?: string | null;
  channel: string;
  address: string;
  template: string;
  subject: string;
  body: string;
  escrowId?: string | null;
  /** The owner alert this delivers (replies to the sent message route to it). */
  alertId?: string | null;
  dedupeKey: string;
  now: Date;
}

/** True when recorded now, false when a notification with this dedupe key already existed. */
export async function enqueueNotification(tx: Tx, n: NewNotification): Promise<boolean> {
  const { count } = await tx.notification.createMany({
    data: [
      {
        id: newId("ntf"),
        userId: n.userId ?? null,
        channel: n.channel,
        address: n.address,
        template: n.template,
        subject: n.subject,
        body: n.body,
        escrowId: n.escrowId ?? null,
        alertId: n.alertId ?? null,
        dedupeKey: n.dedupeKey,
        nextAttemptAt: n.now,
        createdAt: n.now,
      },
    ],
    skipDuplicates: true,
  });
  return count === 1;
}

/**
 * Notifies one of our users by email. Owner alerts go to every channel the owner configured
 * (Telegram, WhatsApp, email): src/server/alerts/fan-out.ts.
 */
export async function notifyUser(
  tx: Tx,
  userId: string,
  n: Omit<NewNotification, "userId" | "channel" | "address">,
): Promise<number> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user?.email) return 0;
  const created = await enqueueNotification(tx, { ...n, userId, channel: "email", address: user.email, dedupeKey: `${n.dedupeKey}:email` });
  return created ? 1 : 0;
}
