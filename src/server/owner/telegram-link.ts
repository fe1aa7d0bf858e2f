// Linking an owner's Telegram chat: the console shows a deep link t.me/<bot>?start=<token>; Telegram
// sends the bot "/start <token>" from the owner's chat, and that chat becomes the owner's Telegram
// channel. Tokens are random, stored hashed, expire after 15 minutes and work once.
import { createHash, randomBytes } from "node:crypto";
import type { Tx } from "../db/transaction";
import { newId } from "../ids";

export const TELEGRAM_LINK_TTL_S = 15 * 60;

const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export async function createTelegramLinkToken(tx: Tx, ownerId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(24).toString("base64url"); // 32 chars of [A-Za-z0-9_-], as deep links allow
  const expiresAt = new Date(now.getTime() + TELEGRAM_LINK_TTL_S * 1000);
  await tx.telegramLinkToken.create({ data: { tokenHash: hashToken(token), ownerId, expiresAt, createdAt: now } });
  return { token, expiresAt };
}

export function telegramDeepLink(botUsername: string | undefined, token: string): string | null {
  return botUsername ? `https://t.me/${botUsername.replace(/^@/, "")}?start=${token}` : null;
}

/** Consumes a token and makes `chatId` the owner's Telegram channel; null when the token is unknown, used or expired. */
export async function linkTelegramChat(tx: Tx, token: string, chatId: string, now: Date): Promise<{ ownerId: string } | null> {
  const claimed = await tx.telegramLinkToken.updateMany({
    where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) return null;
  const { ownerId } = await tx.telegramLinkToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
  // A chat belongs to one owner: linking it here unlinks it elsewhere.
  await tx.ownerChannel.deleteMany({ where: { channel: "telegram", address: chatId, ownerId: { not: ownerId } } });
  await tx.ownerChannel.upsert({
    where: { ownerId_channel: { ownerId, channel: "telegram" } },
    create: { id: newId("och"), ownerId, channel: "telegram", address: chatId, createdAt: now, updatedAt: now },
    update: { address: chatId, enabled: true, updatedAt: now },
  });
  return { ownerId };
}
