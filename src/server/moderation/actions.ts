// Moderator actions: deciding a case and suspending or reinstating agents and
// users. Each is one transaction with its entry in the moderation log.
import { hasVisibleText, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import { agentAccessChanged } from "../auth/agent-key-cache";
import type { EngineContext } from "../context";
import { inTransaction, type Tx } from "../db/transaction";
import { invalid, notFound } from "../errors";
import { executeEscrowCommand } from "../escrow/run-command";
import type { ModerationActionKind } from "../db/generated/client";

export interface DecisionInput {
  escrowRef: string;
  outcome: "release" | "refund" | "split";
  refundAmountMinor?: number;
  note: string;
}

async function logAction(tx: Tx, ctx: EngineContext, moderatorId: string, action: ModerationActionKind, targetType: string, targetId: string, note: string) {
  await tx.moderationAction.create({
    data: { moderatorId, action, targetType, targetId, note, createdAt: ctx.now() },
  });
}

/**
 * One decision per case: the engine locks the escrow, so of two moderators
 * deciding at once the second finds it `resolved` and gets invalid_transition.
 */
export function decideCase(ctx: EngineContext, moderatorId: string, input: DecisionInput) {
  return inTransaction(ctx.db, async (tx) => {
    const result = await executeEscrowCommand(
      tx,
      ctx,
      input.escrowRef,
      { kind: "moderator", userId: moderatorId },
      {
        command: "decide",
        outcome: input.outcome,
        note: input.note,
        ...(input.refundAmountMinor !== undefined ? { refundAmountMinor: input.refundAmountMinor } : {}),
      },
    );
    await logAction(tx, ctx, moderatorId, "decide", "escrow", result.escrow.id, `${input.outcome}: ${input.note.trim()}`);
    return result;
  });
}

function requireNote(note: string): string {
  const trimmed = note.trim();
  if (!hasVisibleText(trimmed)) throw invalid("note", `say why, for the record: the note ${VISIBLE_TEXT_REQUIRED}`);
  return trimmed;
}

/**
 * A suspended agent's keys stop working at once (the API checks the agent's
 * status on every request); its open escrows keep running under the engine's
 * rules, so customers are neither stranded nor paid twice.
 */
export async function setAgentSuspended(ctx: EngineContext, moderatorId: string, agentId: string, suspended: boolean, note: string) {
  const reason = requireNote(note);
  const updated = await inTransaction(ctx.db, async (tx) => {
    const agent = await tx.agent.findUnique({ where: { id: agentId } });
    if (!agent) throw notFound("agent");
    const row = await tx.agent.update({ where: { id: agentId }, data: { status: suspended ? "suspended" : "active" } });
    await logAction(tx, ctx, moderatorId, suspended ? "suspend_agent" : "reinstate_agent", "agent", agentId, reason);
    return row;
  });
  agentAccessChanged();
  return updated;
}

export async function setUserSuspended(ctx: EngineContext, moderatorId: string, userId: string, suspended: boolean, note: string) {
  const reason = requireNote(note);
  const updated = await inTransaction(ctx.db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound("user");
    if (user.role === "admin" && suspended) throw invalid("userId", "moderators cannot be suspended here");
    const row = await tx.user.update({ where: { id: userId }, data: { status: suspended ? "suspended" : "active" } });
    await logAction(tx, ctx, moderatorId, suspended ? "suspend_user" : "reinstate_user", "user", userId, reason);
    return row;
  });
  agentAccessChanged();
  return updated;
}

export interface AuditLogFilter {
  moderatorId?: string;
  action?: ModerationActionKind;
  targetId?: string;
  beforeId?: bigint;
  limit?: number;
}

export async function moderationLog(ctx: EngineContext, filter: AuditLogFilter = {}) {
  const rows = await ctx.db.moderationAction.findMany({
    where: {
      ...(filter.moderatorId ? { moderatorId: filter.moderatorId } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.targetId ? { targetId: filter.targetId } : {}),
      ...(filter.beforeId ? { id: { lt: filter.beforeId } } : {}),
    },
    orderBy: { id: "desc" },
    take: Math.min(filter.limit ?? 100, 500),
  });
  return rows.map((r) => ({
    id: r.id.toString(),
    moderator_id: r.moderatorId,
    action: r.action,
    target_type: r.targetType,
    target_id: r.targetId,
    note: r.note,
    at: r.createdAt.toISOString(),
  }));
}
