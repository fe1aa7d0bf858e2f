// The notification relay: sends recorded notifications through their channel, logs every attempt,
// and retries failures with capped exponential backoff until maxAttempts, then marks them failed.
//
// Each notification is claimed with FOR UPDATE SKIP LOCKED and sent inside that transaction, so any
// number of processes can run the relay without sending one notification twice while they all live.
// A process killed after the provider accepted a message but before the commit sends it again on
// the next run: delivery to an outside system is at least once (email carries our notification id
// in a header for that reason).
import { log } from "../log";
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import type { ChannelRegistry } from "./channel";

export interface RelayOptions {
  /** At most this many notifications per call. */
  limit?: number;
  maxAttempts?: number;
}

export interface RelayResult {
  sent: number;
  retrying: number;
  failed: number;
}

const BASE_BACKOFF_S = 30;
const MAX_BACKOFF_S = 3600;

export function retryDelayS(attempt: number): number {
  return Math.min(MAX_BACKOFF_S, BASE_BACKOFF_S * 2 ** Math.max(0, attempt - 1));
}

interface ClaimedRow {
  id: string;
  channel: string;
  address: string;
  subject: string;
  body: string;
  attempts: number;
}

export async function deliverDueNotifications(
  ctx: EngineContext,
  channels: ChannelRegistry,
  options: RelayOptions = {},
): Promise<RelayResult> {
  const result: RelayResult = { sent: 0, retrying: 0, failed: 0 };
  const limit = options.limit ?? 100;
  const maxAttempts = options.maxAttempts ?? 8;
  for (let i = 0; i < limit; i++) {
    const outcome = await inTransaction(ctx.db, async (tx) => {
      const now = ctx.now();
      const rows = await tx.$queryRaw<ClaimedRow[]>`
        SELECT id, channel, address, subject, body, attempts FROM notifications
        WHERE status = 'pending' AND next_attempt_at <= ${now}
        ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
      const row = rows[0];
      if (!row) return null;
      const attempt = row.attempts + 1;
      const started = Date.now();
      let error: string | null = null;
      let providerMessageId: string | null = null;
      const channel = channels.get(row.channel);
      try {
        if (!channel) throw new Error(`no ${row.channel} channel is configured on this server`);
        const receipt = await channel.send({ address: row.address, subject: row.subject, body: row.body, notificationId: row.id });
        providerMessageId = receipt.providerMessageId ?? null;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      await tx.notificationAttempt.create({
        data: {
          notificationId: row.id,
          attempt,
          channel: row.channel,
          ok: error === null,
          error,
          providerMessageId,
          durationMs: Date.now() - started,
          createdAt: now,
        },
      });
      const status = error === null ? "sent" : attempt >= maxAttempts ? "failed" : "pending";
      // One line per send: ids and outcome; never the address, subject or body (message texts).
      const fields = { notificationId: row.id, channel: row.channel, attempt, outcome: status, durationMs: Date.now() - started };
      if (error === null) log().info(fields, "notification send");
      else log().warn({ ...fields, error }, "notification send");
      await tx.notification.update({
        where: { id: row.id },
        data: {
          status,
          attempts: attempt,
          lastError: error,
          ...(status === "sent" ? { sentAt: now } : {}),
          ...(status === "pending" ? { nextAttemptAt: new Date(now.getTime() + retryDelayS(attempt) * 1000) } : {}),
        },
      });
      return status;
    });
    if (outcome === null) break;
    if (outcome === "sent") result.sent++;
    else if (outcome === "failed") result.failed++;
    else result.retrying++;
  }
  return result;
}
