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

export type TelegramLinkOutcome =
  | { kind: "linked"; ownerId: string }
  /** Unknown, used or expired. */
  | { kind: "bad_token" }
  /** The chat is another account's channel: it stays there and the token stays unused (issue 16). */
  | { kind: "linked_elsewhere" };

/**
 * Consumes a token and makes `chatId` the owner's Telegram channel. A chat already linked to another
 * account is refused, not moved: otherwise one tap on someone else's deep link would silently take the
 * chat away from its owner (who stops getting alerts while their replies answer the other account's).
 */
export async function linkTelegramChat(tx: Tx, token: string, chatId: string, now: Date): Promise<TelegramLinkOutcome> {
  const tokenHash = hashToken(token);
  const row = await tx.telegramLinkToken.findUnique({ where: { tokenHash } });
  if (!row || row.usedAt !== null || row.expiresAt <= now) return { kind: "bad_token" };
  const { ownerId } = row;
  const elsewhere = await tx.ownerChannel.findFirst({ where: { channel: "telegram", address: chatId, ownerId: { not: ownerId } }, select: { id: true } });
  if (elsewhere) return { kind: "linked_elsewhere" };
  const claimed = await tx.telegramLinkToken.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) return { kind: "bad_token" };
  await tx.ownerChannel.upsert({
    where: { ownerId_channel: { ownerId, channel: "telegram" } },
    // The chat itself sent the owner's one-time token: that is its proof.
    create: { id: newId("och"), ownerId, channel: "telegram", address: chatId, verifiedAt: now, createdAt: now, updatedAt: now },
    update: { address: chatId, enabled: true, verifiedAt: now, verifyCodeHash: null, verifyCodeExpiresAt: null, verifyAttempts: 0, updatedAt: now },
  });
  return { kind: "linked", ownerId };
}
