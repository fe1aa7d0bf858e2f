// The owner's notification channels (console → Channels): email (on by default at the account's
// address), WhatsApp (a number), Telegram (linked by deep link, telegram-link.ts). Each can be
// disabled and given a minimum severity. "Send test" records a notification like any other, so it
// travels the same outbox, retries and delivery log as a real alert.
import { z } from "zod";
import type { Tx } from "../db/transaction";
import type { AlertSeverity } from "../db/generated/client";
import { invalid, notFound } from "../errors";
import { newId } from "../ids";
import { enqueueNotification } from "../notify/enqueue";
import { ownerChannels, type OwnerChannelName } from "../alerts/fan-out";

const emailAddress = z.string().trim().toLowerCase().email().max(320);
/** E.164 without the plus: WhatsApp's wa_id form, which is what inbound messages carry in `from`. */
export function normalizeWhatsAppNumber(input: string): string {
  const digits = input.replace(/[\s().+-]/g, "");
  if (!/^[1-9]\d{6,14}$/.test(digits)) throw invalid("address", "a phone number in international form, e.g. +1 555 010 2030");
  return digits;
}

export interface ChannelUpdate {
  channel: OwnerChannelName;
  /** email address or WhatsApp number; Telegram addresses come only from linking. */
  address?: string;
  enabled?: boolean;
  minSeverity?: AlertSeverity;
}

export async function saveOwnerChannel(tx: Tx, ownerId: string, update: ChannelUpdate, now: Date): Promise<void> {
  const existing = await tx.ownerChannel.findUnique({ where: { ownerId_channel: { ownerId, channel: update.channel } } });
  let address = existing?.address;
  if (update.address !== undefined) {
    if (update.channel === "telegram") throw invalid("address", "Telegram is linked from the bot, not typed in");
    if (update.channel === "email") {
      const parsed = emailAddress.safeParse(update.address);
      if (!parsed.success) throw invalid("address", "an email address");
      address = parsed.data;
    } else address = normalizeWhatsAppNumber(update.address);
  }
  if (!address && update.channel === "email") {
    address = (await tx.user.findUniqueOrThrow({ where: { id: ownerId }, select: { email: true } })).email;
  }
  if (!address) throw update.channel === "telegram" ? notFound("linked Telegram chat") : invalid("address", "required");
  const taken = await tx.ownerChannel.findUnique({ where: { channel_address: { channel: update.channel, address } } });
  if (taken && taken.ownerId !== ownerId) throw invalid("address", "already used by another account");
  const fields = {
    address,
    ...(update.enabled !== undefined ? { enabled: update.enabled } : {}),
    ...(update.minSeverity !== undefined ? { minSeverity: update.minSeverity } : {}),
    updatedAt: now,
  };
  await tx.ownerChannel.upsert({
    where: { ownerId_channel: { ownerId, channel: update.channel } },
    create: { id: newId("och"), ownerId, channel: update.channel, ...fields, createdAt: now },
    update: fields,
  });
}

export async function removeOwnerChannel(tx: Tx, ownerId: string, channel: OwnerChannelName): Promise<void> {
  if (channel === "email") {
    // Email cannot vanish (it is the account's address); removing it turns it off.
    await saveOwnerChannel(tx, ownerId, { channel, enabled: false }, new Date());
    return;
  }
  await tx.ownerChannel.deleteMany({ where: { ownerId, channel } });
}

export async function sendTestNotification(tx: Tx, ownerId: string, channel: OwnerChannelName, now: Date): Promise<string> {
  const target = (await ownerChannels(tx, ownerId)).find((c) => c.channel === channel);
  if (!target) throw invalid("channel", `set up ${channel} first`);
  const dedupeKey = `channel_test:${channel}:${newId("ntf")}`;
  await enqueueNotification(tx, {
    userId: ownerId,
    channel,
    address: target.address,
    template: "channel_test",
    subject: "Holdfast test message",
    body: "This channel works: your agents' alerts will arrive here.",
    dedupeKey,
    now,
  });
  const row = await tx.notification.findUniqueOrThrow({ where: { dedupeKey }, select: { id: true } });
  return row.id;
}
