// The owner's agents (console → Agents): create one (its first API key is shown once), rotate its key
// (the old ones stop at once), revoke a key, and set the optional webhook URL and secret that the
// webhook relay (src/server/webhooks) pushes events to. Every call is scoped to the owner's agents:
// another owner's agent is not_found.
import { FIELD_LIMITS } from "~/domain/field-limits";
import { hasVisibleText, isOneLineText, ONE_LINE_TEXT_REQUIRED, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import { randomBytes } from "node:crypto";
import { checkWebhookUrl, type WebhookTargetPolicy } from "~/domain/webhook-target";
import type { Db } from "../db/client";
import { inTransaction, type Tx } from "../db/transaction";
import { webhookUrlRefusal, type Resolver } from "../webhooks/pinned-post";
import { issueAgentApiKey, revokeAgentApiKey, type IssuedApiKey } from "../auth/api-keys";
import type { EngineConfig } from "../config";
import { requireEnabledCurrency } from "../currency";
import { invalid, notFound } from "../errors";
import { newId } from "../ids";

export const HANDLE_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;

export async function requireOwnAgent(tx: Tx, ownerId: string, agentId: string) {
  const agent = await tx.agent.findFirst({ where: { id: agentId, ownerId } });
  if (!agent) throw notFound("agent");
  return agent;
}

export interface NewAgent {
  handle: string;
  displayName: string;
  description?: string;
}

export async function createAgent(tx: Tx, ownerId: string, input: NewAgent, now: Date): Promise<{ agentId: string; key: IssuedApiKey }> {
  const handle = input.handle.trim().toLowerCase();
  if (!HANDLE_PATTERN.test(handle)) throw invalid("handle", "3 to 40 lowercase letters, digits or dashes, not starting or ending with a dash");
  const displayName = input.displayName.trim();
  if (!hasVisibleText(displayName) || displayName.length > FIELD_LIMITS.agentDisplayNameChars) {
    throw invalid("displayName", `1 to ${FIELD_LIMITS.agentDisplayNameChars} characters; it ${VISIBLE_TEXT_REQUIRED}`);
  }
  if (!isOneLineText(displayName)) throw invalid("displayName", `the name ${ONE_LINE_TEXT_REQUIRED}`);
  if (await tx.agent.findUnique({ where: { handle }, select: { id: true } })) throw invalid("handle", "already taken");
  const agentId = newId("agt");
  await tx.agent.create({
    data: { id: agentId, ownerId, handle, displayName, description: (input.description ?? "").slice(0, FIELD_LIMITS.agentDescriptionChars), createdAt: now, updatedAt: now },
  });
  const key = await issueAgentApiKey(tx, agentId, "console");
  return { agentId, key };
}

/** A new key; every older active key is revoked in the same transaction. */
export async function rotateAgentKey(tx: Tx, ownerId: string, agentId: string, now: Date): Promise<IssuedApiKey> {
  await requireOwnAgent(tx, ownerId, agentId);
  await tx.agentApiKey.updateMany({ where: { agentId, revokedAt: null }, data: { revokedAt: now } });
  return issueAgentApiKey(tx, agentId, "console");
}

export async function revokeKey(tx: Tx, ownerId: string, agentId: string, keyId: string, now: Date): Promise<void> {
  await requireOwnAgent(tx, ownerId, agentId);
  const key = await tx.agentApiKey.findFirst({ where: { id: keyId, agentId } });
  if (!key) throw notFound("key");
  await revokeAgentApiKey(tx, keyId, now);
}

/**
 * Saves the webhook after looking up its host (outside the transaction: DNS can be slow), so a name that
 * resolves to an internal address is refused now, not only at send time.
 */
export async function saveAgentWebhook(
  db: Db,
  ownerId: string,
  agentId: string,
  input: { url: string | null; secret?: string | null },
  now: Date,
  policy: WebhookTargetPolicy,
  resolve?: Resolver,
): Promise<void> {
  await requireOwnAgent(db, ownerId, agentId);
  if (input.url !== null) {
    const refusal = await webhookUrlRefusal(input.url, policy, resolve);
    if (refusal) throw invalid("url", refusal);
  }
  await inTransaction(db, (tx) => setAgentWebhook(tx, ownerId, agentId, input, now, policy));
}

/** Sets or clears the webhook; a URL without a secret gets a generated one (shown in the console). */
export async function setAgentWebhook(
  tx: Tx,
  ownerId: string,
  agentId: string,
  input: { url: string | null; secret?: string | null },
  now: Date,
  policy: WebhookTargetPolicy,
): Promise<void> {
  await requireOwnAgent(tx, ownerId, agentId);
  if (input.url === null) {
    await tx.agent.update({ where: { id: agentId }, data: { webhookUrl: null, webhookSecret: null, updatedAt: now } });
    return;
  }
  // The relay checks again after DNS, pinned (src/server/webhooks/pinned-post.ts); this refuses what is
  // visibly internal before it is stored.
  const verdict = checkWebhookUrl(input.url, policy);
  if (!verdict.ok) throw invalid("url", verdict.reason);
  const url = verdict.url;
  const secret = input.secret?.trim() || `whsec_${randomBytes(24).toString("base64")}`;
  if (secret.length < 16 || secret.length > 200) throw invalid("secret", "16 to 200 characters");
  await tx.agent.update({ where: { id: agentId }, data: { webhookUrl: url.toString(), webhookSecret: secret, updatedAt: now } });
}

/**
 * Agent-to-agent purchases (SPEC §6.6): the owner lets this agent buy from other agents with the
 * owner's wallet, up to `limitMinor` funded per 30 days (src/server/purchases/purchasing.ts). Turning
 * it off stops new purchases at once; purchases already funded run their course.
 */
export async function setAgentPurchasing(
  tx: Tx,
  ownerId: string,
  agentId: string,
  input: { enabled: boolean; limitMinor: number; currency: string },
  now: Date,
  config: EngineConfig,
): Promise<void> {
  await requireOwnAgent(tx, ownerId, agentId);
  if (!Number.isSafeInteger(input.limitMinor) || input.limitMinor < 0) throw invalid("limitMinor", "a whole number of minor units, 0 or more");
  requireEnabledCurrency(config, input.currency);
  await tx.agent.update({
    where: { id: agentId },
    data: {
      purchasingEnabled: input.enabled,
      purchaseLimitMinor: BigInt(input.limitMinor),
      purchaseLimitCurrency: input.currency,
      updatedAt: now,
    },
  });
}

/** The agent's row with its owner's display name (the agent API's GET /me). */
export async function agentWithOwnerName(tx: Tx, agentId: string) {
  return tx.agent.findUniqueOrThrow({ where: { id: agentId }, include: { owner: { select: { displayName: true } } } });
}
