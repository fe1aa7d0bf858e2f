// What the owner console changes, one service per action, each in its own transaction: the tRPC
// owner router validates, calls one of these and shapes the answer (it opens no transaction and writes
// nothing itself). The rules stay in the services they call (agents.ts, services.ts, channels.ts,
// instructions.ts, telegram-link.ts).
import type { EngineContext } from "../context";
import { requireEnabledCurrency } from "../currency";
import { agentAccessChanged } from "../auth/agent-key-cache";
import { inTransaction } from "../db/transaction";
import { oncePerRequestKey, personRequest } from "../idempotency";
import type { WebhookTargetPolicy } from "~/domain/webhook-target";
import { createAgent, revokeKey, rotateAgentKey, saveAgentWebhook, setAgentPurchasing, type NewAgent } from "./agents";
import { replyFromConsole } from "./instructions";
import { saveService, type ServiceInput } from "./services";
import { createTelegramLinkToken, telegramDeepLink } from "./telegram-link";

/** A new agent of this owner and its first API key (shown once). */
export async function createOwnerAgent(ctx: EngineContext, ownerId: string, input: NewAgent) {
  const { agentId, key } = await inTransaction(ctx.db, (tx) => createAgent(tx, ownerId, input, ctx.now()));
  return { agentId, key: key.key, prefix: key.prefix };
}

/** A new key for the owner's agent; its older keys stop at once. */
export async function rotateOwnerAgentKey(ctx: EngineContext, ownerId: string, agentId: string) {
  const key = await inTransaction(ctx.db, (tx) => rotateAgentKey(tx, ownerId, agentId, ctx.now()));
  agentAccessChanged();
  return { key: key.key, prefix: key.prefix };
}

export async function revokeOwnerAgentKey(ctx: EngineContext, ownerId: string, agentId: string, keyId: string): Promise<void> {
  await inTransaction(ctx.db, (tx) => revokeKey(tx, ownerId, agentId, keyId, ctx.now()));
  agentAccessChanged();
}

/** The agent's webhook URL and secret (checked against the deployment's target policy). */
export async function setOwnerAgentWebhook(
  ctx: EngineContext,
  ownerId: string,
  agentId: string,
  input: { url: string | null; secret?: string | null | undefined },
  policy: WebhookTargetPolicy,
): Promise<void> {
  await saveAgentWebhook(ctx.db, ownerId, agentId, { url: input.url, ...(input.secret !== undefined ? { secret: input.secret } : {}) }, ctx.now(), policy);
}

/** Agent-to-agent purchases: the opt-in and the most the agent may spend per window from the owner's wallet. */
export async function setOwnerAgentPurchasing(
  ctx: EngineContext,
  ownerId: string,
  agentId: string,
  input: { enabled: boolean; limitMinor: number; currency: string },
): Promise<void> {
  await inTransaction(ctx.db, (tx) => setAgentPurchasing(tx, ownerId, agentId, input, ctx.now(), ctx.config));
}

/** Creates or updates a catalog service of the owner's agent; its id. */
export function saveOwnerService(ctx: EngineContext, ownerId: string, input: ServiceInput): Promise<string> {
  return inTransaction(ctx.db, (tx) => saveService(tx, ownerId, input, ctx.now(), ctx.config));
}

/** The large-amount alert threshold (SPEC §5); null turns it off. */
export async function setLargeAmountThreshold(
  ctx: EngineContext,
  ownerId: string,
  threshold: { amountMinor: number | null; currency: string },
): Promise<void> {
  requireEnabledCurrency(ctx.config, threshold.currency);
  const data = {
    largeAmountMinor: threshold.amountMinor === null ? null : BigInt(threshold.amountMinor),
    largeAmountCurrency: threshold.currency,
  };
  await ctx.db.ownerSettings.upsert({ where: { ownerId }, create: { ownerId, ...data }, update: data });
}

/** A one-time link that makes the Telegram chat opening it this owner's channel. */
export async function newTelegramLink(ctx: EngineContext, ownerId: string, botUsername: string | undefined) {
  const { token, expiresAt } = await inTransaction(ctx.db, (tx) => createTelegramLinkToken(tx, ownerId, ctx.now()));
  return { url: telegramDeepLink(botUsername, token), command: `/start ${token}`, expiresAt };
}

/** The owner's answer to an alert, delivered to the agent as an owner.instruction. */
/** With a request key (the reply box makes one per reply), the same reply sent twice is delivered once. */
export async function replyToOwnerAlert(ctx: EngineContext, ownerId: string, alertId: string, text: string, requestKey?: string | null) {
  return oncePerRequestKey(ctx.db, personRequest(ownerId, "owner.reply", requestKey, { alertId, text }), async (tx) => {
    const result = await replyFromConsole(tx, ctx, ownerId, alertId, text);
    return { alertId: result.alertId, messageId: result.messageId };
  });
}
