// The owner's notification channels (console → Channels): email (on by default at the account's
// address), WhatsApp (a number), Telegram (linked by deep link, telegram-link.ts). Each can be
// disabled and given a minimum severity. "Send test" records a notification like any other, so it
// travels the same outbox, retries and delivery log as a real alert.
//
// A typed-in address is anyone's until proven (issue 16): saving one stores it unverified and sends a
// one-time code there; only after the owner enters it (verifyOwnerChannel) does it receive alerts or
// test messages. Codes are stored hashed, expire after 15 minutes and allow 5 guesses; code sends and
// test sends are rate-limited per owner and per address. A number is unique among verified WhatsApp
// channels only (replies route by it), so a second owner typing the same address learns nothing.
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/client";
import { inTransaction, type Tx } from "../db/transaction";
import type { AlertSeverity } from "../db/generated/client";
import { invalid, notFound, rateLimited } from "../errors";
import { newId } from "../ids";
import { enqueueNotification } from "../notify/enqueue";
import { hitRateLimit, type RateLimitPolicy } from "../rate-limit/rate-limit";
import { ownerChannels, type OwnerChannelName } from "../alerts/fan-out";
import { mailboxKey } from "../auth/sign-in-throttle";
import { EMAIL_ADDRESS_RULE, normalizedEmailAddress } from "~/domain/email-address";

export const CHANNEL_CODE_TTL_S = 15 * 60;
export const CHANNEL_CODE_MAX_ATTEMPTS = 5;
/** Verification codes sent: per owner, and per address whoever asks (a stranger's inbox is not a target). */
export const CHANNEL_CODE_LIMITS = { perOwner: { limit: 5, windowS: 3_600 }, perAddress: { limit: 3, windowS: 3_600 } } satisfies Record<string, RateLimitPolicy>;
/** "Send test" messages: per owner, and per address. */
export const CHANNEL_TEST_LIMITS = { perOwner: { limit: 5, windowS: 900 }, perAddress: { limit: 3, windowS: 900 } } satisfies Record<string, RateLimitPolicy>;

/** E.164 without the plus: WhatsApp's wa_id form, which is what inbound messages carry in `from`. */
export function normalizeWhatsAppNumber(input: string): string {
  const digits = input.replace(/[\s().+-]/g, "");
  if (!/^[1-9]\d{6,14}$/.test(digits)) throw invalid("address", "a phone number in international form, e.g. +1 555 010 2030");
  return digits;
}

/** The stored form of a typed-in address. */
export function normalizeChannelAddress(channel: OwnerChannelName, address: string): string {
  if (channel === "telegram") throw invalid("address", "Telegram is linked from the bot, not typed in");
  if (channel === "whatsapp") return normalizeWhatsAppNumber(address);
  const email = normalizedEmailAddress(address);
  if (email === null) throw invalid("address", EMAIL_ADDRESS_RULE);
  return email;
}

export interface ChannelUpdate {
  channel: OwnerChannelName;
  /** email address or WhatsApp number; Telegram addresses come only from linking. */
  address?: string;
  enabled?: boolean;
  minSeverity?: AlertSeverity;
}

/** The per-address limits count an inbox: `victim+1@x` and `v.ictim@gmail.com` are victim's inbox too. */
const limitKey = (channel: OwnerChannelName, address: string) => `${channel}:${channel === "email" ? mailboxKey(address) : address}`;

const codeHash = (channelId: string, code: string) => createHash("sha256").update(`${channelId}:${code}`, "utf8").digest("hex");

/** Counts one use against every policy; throws rate_limited when any is spent (the rest still count). */
async function spend(db: Db, what: string, checks: { key: string; policy: RateLimitPolicy }[], now: Date): Promise<void> {
  let retryAfterS = 0;
  for (const { key, policy } of checks) {
    const decision = await hitRateLimit(db, key, policy, now);
    if (!decision.allowed) retryAfterS = Math.max(retryAfterS, decision.retryAfterS);
  }
  if (retryAfterS > 0) throw rateLimited(`Too many ${what}.`, retryAfterS);
}

async function accountEmail(db: Db | Tx, ownerId: string): Promise<string | null> {
  const user = await db.user.findUnique({ where: { id: ownerId }, select: { email: true } });
  return user?.email?.trim().toLowerCase() ?? null;
}

/**
 * Saves a channel's address and settings. A new address is stored unverified and gets a code (unless it
 * is the account's own sign-in address); returns whether a code was sent.
 */
export async function saveOwnerChannel(db: Db, ownerId: string, update: ChannelUpdate, now: Date): Promise<{ codeSent: boolean }> {
  const typed = update.address === undefined ? undefined : normalizeChannelAddress(update.channel, update.address);
  const account = update.channel === "email" ? await accountEmail(db, ownerId) : null;
  const current = await db.ownerChannel.findUnique({ where: { ownerId_channel: { ownerId, channel: update.channel } } });
  const alreadyProven = (address: string) => address === account || (current?.address === address && current.verifiedAt !== null);
  const needsCode = typed !== undefined && !alreadyProven(typed);
  if (needsCode) {
    await spend(
      db,
      "verification codes",
      [
        { key: `channel_code:owner:${ownerId}`, policy: CHANNEL_CODE_LIMITS.perOwner },
        { key: `channel_code:${limitKey(update.channel, typed)}`, policy: CHANNEL_CODE_LIMITS.perAddress },
      ],
      now,
    );
  }
  return inTransaction(db, async (tx) => {
    const existing = await tx.ownerChannel.findUnique({ where: { ownerId_channel: { ownerId, channel: update.channel } } });
    const address = typed ?? existing?.address ?? account ?? undefined;
    if (!address) throw update.channel === "telegram" ? notFound("linked Telegram chat") : invalid("address", "required");
    const keepsProof = existing?.address === address && existing.verifiedAt !== null;
    // The account's sign-in address is proven by signing in; any other address by its code.
    const verifiedAt = keepsProof ? existing.verifiedAt : address === account ? now : null;
    const id = existing?.id ?? newId("och");
    const code = needsCode ? String(randomInt(0, 1_000_000)).padStart(6, "0") : null;
    const fields = {
      address,
      verifiedAt,
      ...(code !== null
        ? { verifyCodeHash: codeHash(id, code), verifyCodeExpiresAt: new Date(now.getTime() + CHANNEL_CODE_TTL_S * 1000), verifyAttempts: 0 }
        : verifiedAt !== null
          ? { verifyCodeHash: null, verifyCodeExpiresAt: null, verifyAttempts: 0 }
          : {}),
      ...(update.enabled !== undefined ? { enabled: update.enabled } : {}),
      ...(update.minSeverity !== undefined ? { minSeverity: update.minSeverity } : {}),
      updatedAt: now,
    };
    await tx.ownerChannel.upsert({
      where: { ownerId_channel: { ownerId, channel: update.channel } },
      create: { id, ownerId, channel: update.channel, ...fields, createdAt: now },
      update: fields,
    });
    if (code !== null) {
      await enqueueNotification(tx, {
        userId: ownerId,
        channel: update.channel,
        address,
        template: "channel_verify",
        subject: "Your Holdfast verification code",
        body: [
          `Your Holdfast verification code is ${code}.`,
          "Enter it in the owner console (Channels) within 15 minutes to receive alerts here.",
          "If you did not ask for it, ignore this message: nothing more is sent here unless the code is entered.",
        ].join("\n"),
        dedupeKey: `channel_verify:${id}:${newId("ntf")}`,
        now,
      });
    }
    return { codeSent: code !== null };
  });
}

/** The owner enters the code sent to the address; a wrong code counts against its 5 guesses. */
export async function verifyOwnerChannel(db: Db, ownerId: string, channel: OwnerChannelName, code: string, now: Date): Promise<void> {
  const outcome = await inTransaction(db, async (tx) => {
    const row = await tx.ownerChannel.findUnique({ where: { ownerId_channel: { ownerId, channel } } });
    if (!row || row.verifiedAt !== null || row.verifyCodeHash === null || row.verifyCodeExpiresAt === null) return "none" as const;
    if (row.verifyCodeExpiresAt <= now) return "expired" as const;
    // Count the guess first, conditionally, so parallel guesses cannot exceed the limit.
    const counted = await tx.ownerChannel.updateMany({
      where: { id: row.id, verifyCodeHash: row.verifyCodeHash, verifyAttempts: { lt: CHANNEL_CODE_MAX_ATTEMPTS } },
      data: { verifyAttempts: { increment: 1 } },
    });
    if (counted.count !== 1) return "locked" as const;
    const given = Buffer.from(codeHash(row.id, code.trim()), "utf8");
    if (!timingSafeEqual(given, Buffer.from(row.verifyCodeHash, "utf8"))) return "wrong" as const;
    // A chat number routes replies to one account; a mailbox proven by two accounts may serve both.
    const elsewhere =
      channel !== "email" &&
      (await tx.ownerChannel.findFirst({
        where: { channel, address: row.address, verifiedAt: { not: null }, ownerId: { not: ownerId } },
        select: { id: true },
      }));
    if (elsewhere) return "linked_elsewhere" as const;
    await tx.ownerChannel.update({
      where: { id: row.id },
      data: { verifiedAt: now, verifyCodeHash: null, verifyCodeExpiresAt: null, verifyAttempts: 0, updatedAt: now },
    });
    return "verified" as const;
  });
  switch (outcome) {
    case "verified":
      return;
    case "none":
      throw invalid("code", "no code is waiting for this channel; save the address to get one");
    case "expired":
      throw invalid("code", "this code has expired; save the address again for a new one");
    case "locked":
      throw invalid("code", "too many wrong codes; save the address again for a new one");
    case "wrong":
      throw invalid("code", "that is not the code we sent");
    case "linked_elsewhere":
      throw invalid("address", "this address is linked to another Holdfast account; remove it there first");
  }
}

export async function removeOwnerChannel(db: Db, ownerId: string, channel: OwnerChannelName, now: Date): Promise<void> {
  if (channel === "email") {
    // Email cannot vanish (it is the account's address); removing it turns it off.
    await saveOwnerChannel(db, ownerId, { channel, enabled: false }, now);
    return;
  }
  await db.ownerChannel.deleteMany({ where: { ownerId, channel } });
}

export async function sendTestNotification(db: Db, ownerId: string, channel: OwnerChannelName, now: Date): Promise<string> {
  const target = (await inTransaction(db, (tx) => ownerChannels(tx, ownerId))).find((c) => c.channel === channel);
  if (!target) throw invalid("channel", `set up ${channel} first`);
  if (!target.verified) throw invalid("channel", "verify this address first: enter the code we sent to it");
  await spend(
    db,
    "test messages",
    [
      { key: `channel_test:owner:${ownerId}`, policy: CHANNEL_TEST_LIMITS.perOwner },
      { key: `channel_test:${limitKey(channel, target.address)}`, policy: CHANNEL_TEST_LIMITS.perAddress },
    ],
    now,
  );
  const dedupeKey = `channel_test:${channel}:${newId("ntf")}`;
  return inTransaction(db, async (tx) => {
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
  });
}
