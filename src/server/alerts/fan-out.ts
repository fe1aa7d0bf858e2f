// Delivering an owner alert (SPEC §5): one notification per channel the owner configured, written in
// the alert's own transaction (the outbox), so an alert is delivered exactly when it was stored; the
// notification relay sends them with retries and logs every attempt. Email is on by default at the
// account's address; Telegram and WhatsApp once the owner set them up in the console and proved the
// address theirs (owner/channels.ts): an unverified channel gets nothing.
import { appUrl } from "../config";
import type { Tx } from "../db/transaction";
import type { AlertSeverity, OwnerAlert } from "../db/generated/client";
import { enqueueNotification } from "../notify/enqueue";

export const OWNER_CHANNELS = ["email", "telegram", "whatsapp"] as const;
export type OwnerChannelName = (typeof OWNER_CHANNELS)[number];

const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, urgent: 2 };

export interface ResolvedChannel {
  channel: OwnerChannelName;
  /** Where this channel's alerts go (for an email channel waiting for its code: the account's address). */
  address: string;
  enabled: boolean;
  minSeverity: AlertSeverity;
  /** True for the implicit email channel (no row yet). */
  implicit: boolean;
  /** Proven to be the owner's (issue 16): only verified channels receive alerts and test messages. */
  verified: boolean;
  /** An address typed in and waiting for its verification code; it receives nothing else until then. */
  pendingAddress: string | null;
}

/**
 * The owner's channels. Email goes to the account's (sign-in proven) address unless the owner turned it
 * off or verified another address; an address typed in but not yet verified only waits for its code.
 */
export async function ownerChannels(tx: Tx, ownerId: string): Promise<ResolvedChannel[]> {
  const rows = await tx.ownerChannel.findMany({ where: { ownerId } });
  const out: ResolvedChannel[] = [];
  for (const r of rows) {
    const verified = r.verifiedAt !== null;
    const base = { channel: r.channel as OwnerChannelName, enabled: r.enabled, minSeverity: r.minSeverity, implicit: false };
    if (verified) {
      out.push({ ...base, address: r.address, verified: true, pendingAddress: null });
      continue;
    }
    const accountEmail =
      r.channel === "email" ? (await tx.user.findUnique({ where: { id: ownerId }, select: { email: true } }))?.email ?? null : null;
    out.push(
      accountEmail
        ? { ...base, address: accountEmail, verified: true, pendingAddress: r.address }
        : { ...base, address: r.address, verified: false, pendingAddress: r.address },
    );
  }
  if (!rows.some((r) => r.channel === "email")) {
    const user = await tx.user.findUnique({ where: { id: ownerId }, select: { email: true } });
    if (user?.email) out.push({ channel: "email", address: user.email, enabled: true, minSeverity: "info", implicit: true, verified: true, pendingAddress: null });
  }
  return out.sort((a, b) => OWNER_CHANNELS.indexOf(a.channel) - OWNER_CHANNELS.indexOf(b.channel));
}

export function alertLink(alertId: string): string {
  return appUrl(`/owner/alerts/${alertId}`);
}

/** Subject and body of an alert on one channel: chat channels ask for a reply, email links to the console. */
export function alertText(
  alert: Pick<OwnerAlert, "id" | "title" | "message" | "severity">,
  context: { agentHandle: string | null; referenceCode: string | null },
  channel: OwnerChannelName,
): { subject: string; body: string } {
  const who = context.agentHandle ? `@${context.agentHandle}` : "your agent";
  const lines = [alert.message];
  if (context.referenceCode) lines.push(`Order ref ${context.referenceCode}.`);
  lines.push("");
  lines.push(
    channel === "email"
      ? `Answer ${who} from the console: ${alertLink(alert.id)}`
      : `Reply to this message to instruct ${who}. The customer does not see your reply.`,
  );
  return { subject: `[${alert.severity}] ${alert.title}`, body: lines.join("\n") };
}

/** Records one notification per enabled channel that takes this severity; returns how many. */
export async function fanOutAlert(tx: Tx, alert: OwnerAlert, now: Date): Promise<number> {
  const channels = await ownerChannels(tx, alert.ownerId);
  const [agent, escrow] = await Promise.all([
    alert.agentId ? tx.agent.findUnique({ where: { id: alert.agentId }, select: { handle: true } }) : null,
    alert.escrowId ? tx.escrow.findUnique({ where: { id: alert.escrowId }, select: { referenceCode: true } }) : null,
  ]);
  let count = 0;
  for (const c of channels) {
    if (!c.enabled || !c.verified || SEVERITY_RANK[alert.severity] < SEVERITY_RANK[c.minSeverity]) continue;
    const text = alertText(alert, { agentHandle: agent?.handle ?? null, referenceCode: escrow?.referenceCode ?? null }, c.channel);
    const created = await enqueueNotification(tx, {
      userId: alert.ownerId,
      channel: c.channel,
      address: c.address,
      template: "owner_alert",
      ...text,
      escrowId: alert.escrowId,
      alertId: alert.id,
      dedupeKey: `owner_alert:${alert.id}:${c.channel}`,
      now,
    });
    if (created) count++;
  }
  return count;
}
