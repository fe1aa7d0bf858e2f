// The outbox relay for Inngest: every escrow.changed row written by a transition is published to
// Inngest as holdfast/escrow.changed, after its transaction committed. Rows are claimed with FOR
// UPDATE SKIP LOCKED (several processes may relay), published in batches, and marked processed;
// each event carries the id escrow.changed:<escrow>:<version>, so a batch published twice (a crash
// between publishing and marking) is deduplicated by Inngest. A failed publish is retried later.
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import { ESCROW_CHANGED_EVENT, inngest, type EscrowChangedData } from "./inngest/client";
import { pollingLoop, type Worker } from "./polling-loop";

export interface OutboundEvent {
  id: string;
  name: string;
  data: EscrowChangedData;
}

export type PublishEvents = (events: OutboundEvent[]) => Promise<unknown>;

const publishToInngest: PublishEvents = (events) => inngest.send(events);

interface OutboxRow {
  id: bigint;
  payload: EscrowChangedData;
  attempts: number;
}

/** Publishes up to `limit` pending escrow.changed rows; returns how many were published. */
export async function relayOutboxOnce(ctx: EngineContext, publish: PublishEvents = publishToInngest, limit = 100): Promise<number> {
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.now();
    const rows = await tx.$queryRaw<OutboxRow[]>`
      SELECT id, payload, attempts FROM outbox
      WHERE topic = 'escrow.changed' AND processed_at IS NULL AND available_at <= ${now}
      ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    try {
      await publish(
        rows.map((r) => ({
          id: `escrow.changed:${r.payload.escrow_id}:${r.payload.version}`,
          name: ESCROW_CHANGED_EVENT,
          data: r.payload,
        })),
      );
    } catch (error) {
      const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
      await tx.outboxMessage.updateMany({
        where: { id: { in: ids } },
        data: {
          attempts: { increment: 1 },
          lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500),
          availableAt: new Date(now.getTime() + Math.min(300, 2 ** attempts) * 1000),
        },
      });
      return 0;
    }
    await tx.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { processedAt: now } });
    return rows.length;
  });
}

export function startOutboxRelay(
  ctx: EngineContext,
  options: { publish?: PublishEvents; everyMs?: number; log?: (line: string) => void } = {},
): Worker {
  return pollingLoop("inngest-relay", () => relayOutboxOnce(ctx, options.publish), {
    everyMs: options.everyMs ?? 500,
    db: ctx.db,
    log: options.log ?? ((line) => console.log(`[holdfast] ${line}`)),
  });
}
