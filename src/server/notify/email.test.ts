// Notifications end to end over a real SMTP server on loopback (smtp-server): a review reminder fired
// by the timer reaches the customer's mailbox once; a failed send is logged and retried with backoff.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { Mailbox } from "~/test/mailbox";
import { createParties, deliveredEscrow, testClock } from "~/test/engine-fixtures";
import { drainDueTimers } from "../jobs/scheduler";
import { timerTestContext } from "~/test/timer-fixtures";
import { channelRegistry } from "./channel";
import { createEmailChannel } from "./email";
import { deliverDueNotifications, retryDelayS } from "./relay";

const tdb = databaseForThisFile();

/** Just enough MIME for a text mail from nodemailer: Q-encoded subject, quoted-printable body. */
function readMail(raw: string): { subject: string; body: string } {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const subjectLine = /^Subject: (.*)$/m.exec(unfolded)?.[1] ?? "";
  const qp = (text: string) => Buffer.from(text.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
  const subject = subjectLine
    .replace(/\?= =\?UTF-8\?Q\?/g, "")
    .replace(/=\?UTF-8\?Q\?(.*?)\?=/g, (_, words: string) => qp(words.replace(/_/g, " ")));
  const body = qp(rest.join("\n\n").replace(/=\r?\n/g, ""));
  return { subject, body };
}

/** A delivered escrow 25 hours into its review window, its 24-hour reminder queued by the timer. */
async function reviewReminderQueued() {
  const clock = testClock();
  const ctx = timerTestContext(tdb.db, clock);
  const p = await createParties(tdb.db);
  const escrow = await deliveredEscrow(ctx, clock, p);
  clock.advanceSeconds(25 * 3600); // 23 h left: the 24 h reminder is due
  await drainDueTimers(ctx, 2);
  return { clock, ctx, p, escrow };
}

describe("email notifications over SMTP", () => {
  it("a review reminder reaches the customer's mailbox exactly once", async () => {
    const mailbox = new Mailbox();
    await mailbox.listen();
    const email = createEmailChannel({ smtpUrl: mailbox.smtpUrl, from: "Holdfast <no-reply@holdfast.test>" });
    const channels = channelRegistry([email]);
    try {
      const { ctx, p, escrow } = await reviewReminderQueued();
      await drainDueTimers(ctx, 2); // a second round queues nothing more

      const first = await deliverDueNotifications(ctx, channels);
      const again = await deliverDueNotifications(ctx, channels);
      expect(first).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(again).toEqual({ sent: 0, retrying: 0, failed: 0 });

      const customer = await tdb.db.user.findUniqueOrThrow({ where: { id: p.customerId } });
      expect(mailbox.received).toHaveLength(1);
      const mail = mailbox.received[0]!;
      expect(mail.to).toEqual([customer.email]);
      const { subject, body } = readMail(mail.raw);
      expect(subject).toBe('Review "Logo design" — $25.00 is released in 23 hours');
      expect(body).toContain(`Review it: http://localhost:3000/orders/${escrow.id}`);
      expect(body).toContain("you can extend the review window once");

      const notification = await tdb.db.notification.findFirstOrThrow({ where: { escrowId: escrow.id, template: "review_reminder" } });
      expect(notification).toMatchObject({ status: "sent", attempts: 1, lastError: null });
      const attempts = await tdb.db.notificationAttempt.findMany({ where: { notificationId: notification.id } });
      expect(attempts).toEqual([expect.objectContaining({ attempt: 1, ok: true, channel: "email" })]);
      expect(mail.raw).toContain(notification.id); // X-Holdfast-Notification header
    } finally {
      email.close();
      await mailbox.close();
    }
  });

  it("a failed send is logged and retried with backoff until the server takes it", async () => {
    const { clock, ctx, p } = await reviewReminderQueued();

    // A free port nothing listens on yet: a mailbox takes it and closes.
    const first = new Mailbox();
    const port = await first.listen();
    await first.close();
    const email = createEmailChannel({ smtpUrl: `smtp://127.0.0.1:${port}`, from: "no-reply@holdfast.test", timeoutMs: 2_000 });
    const channels = channelRegistry([email]);
    const failed = await deliverDueNotifications(ctx, channels);
    expect(failed.retrying).toBeGreaterThanOrEqual(1);
    const pending = await tdb.db.notification.findFirstOrThrow({ where: { userId: p.customerId, template: "review_reminder" } });
    expect(pending).toMatchObject({ status: "pending", attempts: 1 });
    expect(pending.lastError).toBeTruthy();
    expect(pending.nextAttemptAt.getTime() - clock.now().getTime()).toBe(retryDelayS(1) * 1000);

    // Not before the backoff has passed; then it goes through.
    const revived = new Mailbox();
    await revived.listen(port);
    try {
      expect((await deliverDueNotifications(ctx, channels)).sent).toBe(0);
      clock.advanceSeconds(retryDelayS(1));
      expect((await deliverDueNotifications(ctx, channels)).sent).toBeGreaterThanOrEqual(1);
      const sent = await tdb.db.notification.findUniqueOrThrow({ where: { id: pending.id } });
      expect(sent).toMatchObject({ status: "sent", attempts: 2 });
      const log = await tdb.db.notificationAttempt.findMany({ where: { notificationId: pending.id }, orderBy: { attempt: "asc" } });
      expect(log.map((a) => a.ok)).toEqual([false, true]);
      expect(revived.received).toHaveLength(1);
    } finally {
      email.close();
      await revived.close();
    }
  });

  it("gives up after the last attempt and says why", async () => {
    const { clock, ctx, p } = await reviewReminderQueued();
    const none = channelRegistry([]); // no email channel configured on this server
    for (let i = 0; i < 3; i++) {
      await deliverDueNotifications(ctx, none, { maxAttempts: 3 });
      clock.advanceSeconds(3600);
    }
    const n = await tdb.db.notification.findFirstOrThrow({ where: { userId: p.customerId } });
    expect(n).toMatchObject({ status: "failed", attempts: 3, lastError: "no email channel is configured on this server" });
  });
});
