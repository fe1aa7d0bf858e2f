// The wording of what the non-transition timers send (docs/ARCHITECTURE.md "Timers"): review
// reminders to the customer, escrow.due_soon and escrow.overdue to the agent, the overdue email to the
// customer. WHICH timer sends WHICH notices and alerts is data: REMINDER_RULES in
// src/domain/escrow/side-effects.ts. Each runs inside the firing timer's transaction, after the escrow
// was locked and found unchanged, and the timer row is marked fired in that same transaction: each
// notice happens once.
import { REMINDER_RULES, type NoticeKind, type TimerKind } from "~/domain/escrow/side-effects";
import { formatMoney } from "~/domain/money";
import { appUrl } from "../config";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { appendAgentEvent } from "../events/agent-events";
import { minor } from "../views/protocol";
import { toEscrowJson, type EscrowRow } from "../escrow/escrow-view";
import { notifyUser } from "../notify/enqueue";
import { raiseAlerts } from "../alerts/automatic";

interface NoticeContext {
  tx: Tx;
  ctx: EngineContext;
  escrow: EscrowRow;
  /** Seconds before the deadline, for review reminders (part of the reminder's dedupe key). */
  offsetS: number;
}

const SENDERS: Record<NoticeKind, (n: NoticeContext) => Promise<void>> = {
  review_reminder: (n) => sendReviewReminder(n.tx, n.ctx, n.escrow, n.offsetS),
  due_soon: (n) => sendDueSoon(n.tx, n.ctx, n.escrow),
  overdue: (n) => sendOverdueEvent(n.tx, n.ctx, n.escrow),
  delivery_overdue: (n) => sendOverdueEmail(n.tx, n.ctx, n.escrow),
};

/** Sends what a firing reminder timer declares (REMINDER_RULES): its notices, then its owner alerts. */
export async function sendReminder(
  tx: Tx,
  ctx: EngineContext,
  escrow: EscrowRow,
  kind: Exclude<TimerKind, "deadline">,
  offsetS: number,
): Promise<void> {
  const rule = REMINDER_RULES[kind];
  for (const notice of rule.notices) await SENDERS[notice]({ tx, ctx, escrow, offsetS });
  await raiseAlerts(tx, ctx.config, rule.alerts, escrow, ctx.now());
}

function escrowLink(escrow: EscrowRow): string {
  return appUrl(`/orders/${escrow.id}`);
}

function timeLeft(until: Date, now: Date): string {
  const s = Math.max(0, Math.round((until.getTime() - now.getTime()) / 1000));
  if (s >= 2 * 3600) return `${Math.round(s / 3600)} hours`;
  if (s >= 120) return `${Math.round(s / 60)} minutes`;
  return `${s} seconds`;
}

/** SPEC §6.1: the customer is reminded before the money is released without their word. */
async function sendReviewReminder(tx: Tx, ctx: EngineContext, escrow: EscrowRow, offsetS: number): Promise<void> {
  const now = ctx.now();
  const deadline = escrow.deadline ?? now;
  const amount = formatMoney(minor(escrow.amountMinor), escrow.currency);
  const extend = escrow.reviewExtended ? "" : " If you need more time, you can extend the review window once.";
  await notifyUser(tx, escrow.customerId, {
    template: "review_reminder",
    subject: `Review "${escrow.title}" — ${amount} is released in ${timeLeft(deadline, now)}`,
    body: [
      `The agent delivered "${escrow.title}" (ref ${escrow.referenceCode}).`,
      `Unless you approve it or report a problem, ${amount} is released to the seller at ${deadline.toISOString()}.${extend}`,
      "",
      `Review it: ${escrowLink(escrow)}`,
    ].join("\n"),
    escrowId: escrow.id,
    dedupeKey: `review_reminder:${escrow.id}:${deadline.toISOString()}:${offsetS}`,
    now,
  });
}

/** SPEC §6.2: the agent hears that the due time is near (trusted platform event). */
async function sendDueSoon(tx: Tx, ctx: EngineContext, escrow: EscrowRow): Promise<void> {
  const now = ctx.now();
  await appendAgentEvent(tx, {
    agentId: escrow.agentId,
    type: "escrow.due_soon",
    escrowId: escrow.id,
    conversationId: escrow.conversationId,
    data: { due_at: escrow.dueAt?.toISOString() ?? null, escrow: toEscrowJson(escrow, null, "agent", now) },
    createdAt: now,
  });
}

/** SPEC §6.2: at the due time the agent gets escrow.overdue (the owner is alerted: REMINDER_RULES.overdue). */
async function sendOverdueEvent(tx: Tx, ctx: EngineContext, escrow: EscrowRow): Promise<void> {
  const now = ctx.now();
  await appendAgentEvent(tx, {
    agentId: escrow.agentId,
    type: "escrow.overdue",
    escrowId: escrow.id,
    conversationId: escrow.conversationId,
    data: {
      due_at: escrow.dueAt?.toISOString() ?? null,
      refund_at: escrow.deadline?.toISOString() ?? null,
      escrow: toEscrowJson(escrow, null, "agent", now),
    },
    createdAt: now,
  });
}

/** SPEC §6.2: the customer learns they may cancel for a full refund. */
async function sendOverdueEmail(tx: Tx, ctx: EngineContext, escrow: EscrowRow): Promise<void> {
  const now = ctx.now();
  const amount = formatMoney(minor(escrow.amountMinor), escrow.currency);
  await notifyUser(tx, escrow.customerId, {
    template: "delivery_overdue",
    subject: `"${escrow.title}" is overdue — you can cancel for a full refund`,
    body: [
      `"${escrow.title}" (ref ${escrow.referenceCode}) was due at ${escrow.dueAt?.toISOString() ?? "its due time"} and has not been delivered.`,
      `You can cancel now and get ${amount} back; if nothing is delivered, it is refunded automatically at ${escrow.deadline?.toISOString() ?? "the end of the grace period"}.`,
      "",
      escrowLink(escrow),
    ].join("\n"),
    escrowId: escrow.id,
    dedupeKey: `delivery_overdue:${escrow.id}`,
    now,
  });
}
