// A moderator's actions on a failing outbox item from /admin/ops: "retry now" makes it due at once (the
// relay that always sends it does so on its next round — one write path, the same signing, logging and
// backoff), "give up" stops it for good. Each is one transaction with its row in the moderation log.
import type { EngineContext } from "../context";
import { inTransaction, type Tx } from "../db/transaction";
import { notFound, ServiceError } from "../errors";
import type { DeliveryKind } from "./overview";
import { isBigintParam } from "../db/bigint-param";

export interface DeliveryActionInput {
  kind: DeliveryKind;
  id: string;
  /** Optional words for the log, after the generated description. */
  note?: string;
}

export interface DeliveryActionResult {
  kind: DeliveryKind;
  id: string;
  status: "pending" | "failed";
  nextAttemptAt: Date | null;
}

const TARGET_TYPE: Record<DeliveryKind, string> = {
  webhook: "webhook_delivery",
  notification: "notification",
  outbox: "outbox",
};

const GIVEN_UP_ERROR = "Given up by a moderator.";

function conflict(message: string): ServiceError {
  return new ServiceError("conflict", message);
}

function outboxId(id: string): bigint {
  // Beyond a bigint's range no row can have it: not found, not the database's out-of-range error.
  if (!isBigintParam(id)) throw notFound("outbox item");
  return BigInt(id);
}

async function logAction(tx: Tx, ctx: EngineContext, moderatorId: string, action: "retry_delivery" | "give_up_delivery", input: DeliveryActionInput, what: string) {
  const note = [what, input.note?.trim()].filter(Boolean).join(" — ");
  await tx.moderationAction.create({
    data: { moderatorId, action, targetType: TARGET_TYPE[input.kind], targetId: input.id, note, createdAt: ctx.now() },
  });
}

/** Locks the item and says what it is; refuses items that were delivered, sent or given up. */
async function lockOpenItem(tx: Tx, input: DeliveryActionInput): Promise<string> {
  if (input.kind === "webhook") {
    const rows = await tx.$queryRaw<{ status: string; attempts: number; given_up_at: Date | null; handle: string; url: string | null }[]>`
      SELECT d.status::text AS status, d.attempts, d.given_up_at, a.handle, a.webhook_url AS url
        FROM webhook_deliveries d JOIN agents a ON a.id = d.agent_id WHERE d.id = ${input.id} FOR UPDATE OF d`;
    const row = rows[0];
    if (!row) throw notFound("webhook delivery");
    if (row.status === "delivered") throw conflict("This webhook was delivered already.");
    if (row.given_up_at) throw conflict("This webhook was given up already.");
    return `webhook to @${row.handle} ${row.url ?? "(no URL)"} after ${row.attempts} attempt(s)`;
  }
  if (input.kind === "notification") {
    const rows = await tx.$queryRaw<{ status: string; attempts: number; given_up_at: Date | null; channel: string; template: string }[]>`
      SELECT status::text AS status, attempts, given_up_at, channel, template FROM notifications WHERE id = ${input.id} FOR UPDATE`;
    const row = rows[0];
    if (!row) throw notFound("notification");
    if (row.status === "sent") throw conflict("This notification was sent already.");
    if (row.given_up_at) throw conflict("This notification was given up already.");
    return `${row.channel} notification ${row.template} after ${row.attempts} attempt(s)`;
  }
  const rows = await tx.$queryRaw<{ processed_at: Date | null; given_up_at: Date | null; topic: string; attempts: number }[]>`
    SELECT processed_at, given_up_at, topic, attempts FROM outbox WHERE id = ${outboxId(input.id)} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw notFound("outbox item");
  if (row.given_up_at) throw conflict("This outbox item was given up already.");
  if (row.processed_at) throw conflict("This outbox item was relayed already.");
  return `outbox ${row.topic} after ${row.attempts} attempt(s)`;
}

/** Makes the item due now; a failed one gets one more attempt (a failure then fails it again). */
export function retryDeliveryNow(ctx: EngineContext, moderatorId: string, input: DeliveryActionInput): Promise<DeliveryActionResult> {
  return inTransaction(ctx.db, async (tx) => {
    const what = await lockOpenItem(tx, input);
    const now = ctx.now();
    if (input.kind === "webhook") await tx.webhookDelivery.update({ where: { id: input.id }, data: { status: "pending", nextAttemptAt: now } });
    else if (input.kind === "notification") await tx.notification.update({ where: { id: input.id }, data: { status: "pending", nextAttemptAt: now } });
    else await tx.outboxMessage.update({ where: { id: outboxId(input.id) }, data: { availableAt: now } });
    await logAction(tx, ctx, moderatorId, "retry_delivery", input, `Retry now: ${what}`);
    return { kind: input.kind, id: input.id, status: "pending", nextAttemptAt: now };
  });
}

/** Stops the item for good: no relay picks it up again, and it leaves the page's failing list. */
export function giveUpDelivery(ctx: EngineContext, moderatorId: string, input: DeliveryActionInput): Promise<DeliveryActionResult> {
  return inTransaction(ctx.db, async (tx) => {
    const what = await lockOpenItem(tx, input);
    const now = ctx.now();
    const data = { status: "failed" as const, givenUpAt: now, lastError: GIVEN_UP_ERROR };
    if (input.kind === "webhook") await tx.webhookDelivery.update({ where: { id: input.id }, data });
    else if (input.kind === "notification") await tx.notification.update({ where: { id: input.id }, data });
    else await tx.outboxMessage.update({ where: { id: outboxId(input.id) }, data: { processedAt: now, givenUpAt: now, lastError: GIVEN_UP_ERROR } });
    await logAction(tx, ctx, moderatorId, "give_up_delivery", input, `Gave up: ${what}`);
    return { kind: input.kind, id: input.id, status: "failed", nextAttemptAt: null };
  });
}

/** The moderator's "run now": the check runs at once, and the log says who asked. */
export async function logLedgerCheckRequest(ctx: EngineContext, moderatorId: string, runId: string, summary: string): Promise<void> {
  await ctx.db.moderationAction.create({
    data: { moderatorId, action: "run_ledger_check", targetType: "ledger_check_run", targetId: runId, note: summary, createdAt: ctx.now() },
  });
}
