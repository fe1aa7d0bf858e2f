// Webhook push (PROTOCOL.md "Webhook push"): appendAgentEvent writes a
// webhook_deliveries row in the same transaction as the event (the outbox);
// this relay POSTs each one to the agent's URL, signed per Standard Webhooks
// (webhook-id, webhook-timestamp, webhook-signature: v1,<HMAC-SHA256>),
// retrying with backoff and logging every attempt in webhook_attempts. The
// feed stays the source of truth: pushes may arrive late or out of order.
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { Db } from "../db/client";
import { getDb } from "../db/client";
import { inTransaction } from "../db/transaction";
import { registerWorker } from "../ops/heartbeats";
import { countWebhookAttempt } from "../ops/metrics";
import { toEventJson } from "../views/protocol";
import { receiptForAgentEvent } from "../receipts/webhook-receipt";
import type { WebhookTargetPolicy } from "~/domain/webhook-target";
import { pinnedPost, webhookTargetPolicy, type Resolver } from "./pinned-post";
import type { Prisma } from "../db/generated/client";
import { log as logger, withRunContext } from "../log";
import { countSummary, observeJob } from "../jobs/observe-job";

/** Seconds to wait before attempt n+1 after n failures; after the last, the delivery is marked failed. */
export const DEFAULT_BACKOFF_S: readonly number[] = [5, 30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800];
/** How long a claimed delivery stays invisible to other relays while it is being sent. */
const CLAIM_LEASE_MS = 60_000;

export interface WebhookRelayOptions {
  now?: () => Date;
  backoffS?: readonly number[];
  timeoutMs?: number;
  batchSize?: number;
  /** Where webhooks may go; default: the deployment's (HOLDFAST_WEBHOOK_ALLOWED_HOSTS, https in production). */
  policy?: WebhookTargetPolicy;
  /** DNS; default: the system resolver. Tests inject one to play a rebinding DNS server. */
  resolve?: Resolver;
  /** Called after each batch (the worker's heartbeat: a long backlog is progress, not a hang). */
  onBatch?: () => void;
}

/** A new Standard Webhooks secret (`whsec_` + base64 of 32 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** The signer for an agent's secret: a `whsec_…` secret as Standard Webhooks defines it, else its raw bytes. */
export function webhookSigner(secret: string): Webhook {
  return secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(new TextEncoder().encode(secret), { format: "raw" });
}

async function claimDue(db: Db, now: Date, batchSize: number): Promise<string[]> {
  return inTransaction(db, async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, id
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED`;
    const ids = rows.map((r) => r.id);
    if (ids.length) {
      await tx.webhookDelivery.updateMany({ where: { id: { in: ids } }, data: { nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) } });
    }
    return ids;
  });
}

type ResolvedRelayOptions = Required<Omit<WebhookRelayOptions, "resolve" | "onBatch">> & Pick<WebhookRelayOptions, "resolve">;

async function deliverOne(db: Db, deliveryId: string, options: ResolvedRelayOptions): Promise<void> {
  const delivery = await db.webhookDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    include: { agent: { select: { webhookUrl: true, webhookSecret: true } } },
  });
  // The attempt runs (and logs) under the id of the request that caused the event.
  await withRunContext({ requestId: delivery.requestId ?? undefined }, () => attemptDelivery(db, delivery, options));
}

type ClaimedDelivery = Prisma.WebhookDeliveryGetPayload<{ include: { agent: { select: { webhookUrl: true; webhookSecret: true } } } }>;

async function attemptDelivery(db: Db, delivery: ClaimedDelivery, options: ResolvedRelayOptions): Promise<void> {
  const deliveryId = delivery.id;
  const now = options.now();
  const { webhookUrl, webhookSecret } = delivery.agent;
  if (!webhookUrl || !webhookSecret) {
    await db.webhookDelivery.update({
      where: { id: deliveryId },
      data: { status: "failed", lastError: "the agent has no webhook URL and secret any more" },
    });
    return;
  }
  const event = await db.agentEvent.findUniqueOrThrow({ where: { id: delivery.eventId } });
  // The receipt of the escrow change this event reports (issue 18), signed into the escrow's chain.
  const receipt = await receiptForAgentEvent(db, event);
  const body = JSON.stringify({ ...toEventJson(event), ...(receipt ? { receipt } : {}) });
  const signature = webhookSigner(webhookSecret).sign(delivery.id, now, body);
  const started = Date.now();
  const outcome = await pinnedPost(
    webhookUrl,
    {
      "content-type": "application/json",
      "user-agent": "Holdfast-Webhooks/1",
      "webhook-id": delivery.id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body,
    { timeoutMs: options.timeoutMs, policy: options.policy, resolve: options.resolve },
  );
  const attempt = delivery.attempts + 1;
  const exhausted = attempt > options.backoffS.length;
  // One line per attempt: ids, the target's host (never the URL: its path or query may hold a token), the outcome.
  const outcomeFields = {
    deliveryId,
    agentId: delivery.agentId,
    eventId: String(delivery.eventId),
    attempt,
    host: new URL(webhookUrl).host,
    statusCode: outcome.statusCode,
    outcome: outcome.ok ? "delivered" : exhausted ? "failed" : "retrying",
    durationMs: Date.now() - started,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  if (outcome.ok) logger().info(outcomeFields, "webhook attempt");
  else logger().warn(outcomeFields, "webhook attempt");
  await inTransaction(db, async (tx) => {
    await tx.webhookAttempt.create({
      data: {
        deliveryId,
        attempt,
        url: webhookUrl,
        statusCode: outcome.statusCode,
        error: outcome.error,
        durationMs: Date.now() - started,
        createdAt: now,
      },
    });
    countWebhookAttempt(outcome.ok ? "delivered" : exhausted ? "failed" : "retrying");
    await tx.webhookDelivery.update({
      where: { id: deliveryId },
      data: outcome.ok
        ? { status: "delivered", attempts: attempt, deliveredAt: now, lastStatusCode: outcome.statusCode, lastError: null }
        : {
            status: exhausted ? "failed" : "pending",
            attempts: attempt,
            lastStatusCode: outcome.statusCode,
            lastError: outcome.error,
            nextAttemptAt: new Date(now.getTime() + (options.backoffS[attempt - 1] ?? 0) * 1000),
          },
    });
  });
}

/** Sends every delivery that is due now; returns how many were attempted. Safe to run in several processes. */
export async function deliverDueWebhooks(db: Db, options: WebhookRelayOptions = {}): Promise<number> {
  const resolved: ResolvedRelayOptions = {
    now: options.now ?? (() => new Date()),
    policy: options.policy ?? webhookTargetPolicy(),
    resolve: options.resolve,
    backoffS: options.backoffS ?? DEFAULT_BACKOFF_S,
    timeoutMs: options.timeoutMs ?? 10_000,
    batchSize: options.batchSize ?? 20,
  };
  let attempted = 0;
  for (;;) {
    const ids = await claimDue(db, resolved.now(), resolved.batchSize);
    if (ids.length === 0) return attempted;
    await Promise.all(ids.map((id) => deliverOne(db, id, resolved)));
    attempted += ids.length;
    options.onBatch?.();
  }
}

const globalForRelay = globalThis as unknown as { holdfastWebhookWorker?: () => void };

/** The background relay for this process (src/instrumentation.ts starts it): polls every `intervalMs`. */
export function startWebhookWorker(intervalMs = 2_000): () => void {
  if (globalForRelay.holdfastWebhookWorker) return globalForRelay.holdfastWebhookWorker;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  // A backlog is sent batch by batch in one round; each batch counts as a beat.
  const heartbeat = registerWorker("webhooks", { db: getDb(), everyMs: intervalMs });
  const tick = async () => {
    try {
      await observeJob("webhook relay", { summary: countSummary }, () => deliverDueWebhooks(getDb(), { onBatch: () => heartbeat.beat() }));
    } catch {
      // observeJob logged it (error level, with its stack); try again on the next tick.
    }
    heartbeat.beat();
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), intervalMs);
  const stop = () => {
    stopped = true;
    heartbeat.stop();
    if (timer) clearTimeout(timer);
    globalForRelay.holdfastWebhookWorker = undefined;
  };
  globalForRelay.holdfastWebhookWorker = stop;
  return stop;
}
