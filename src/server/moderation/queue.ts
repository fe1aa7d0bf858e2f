// The moderation queue and the case file: everything a moderator needs to
// decide an admin_review case in one place.
import type { EngineContext } from "../context";
import { notFound } from "../errors";
import { escrowRefFilter } from "../escrow/actors";
import { openSettlementOf, toEscrowJson } from "../escrow/escrow-view";
import { toSettlementJson } from "../views/protocol";
import { toMessageView } from "../conversations/customer-chat";
import { openCardDisputes } from "../payments/disputes";
import { agentReputation } from "../reputation/reputation";
import { STATEMENT_COMMAND } from "./statements";

/** How long a case may wait before the queue highlights it. */
export const DEFAULT_ADMIN_SLA_S = 24 * 3600;

export type ReviewRoute = "response_timeout" | "negotiation_timeout" | "escalate" | "agent_under_review" | "unknown";

export interface QueueItem {
  escrow_id: string;
  reference_code: string;
  title: string;
  amount: number;
  currency: string;
  agent: { id: string; handle: string; display_name: string };
  customer: { id: string; display_name: string };
  route: ReviewRoute;
  escalated_by: string | null;
  waiting_since: string;
  age_seconds: number;
  /** The SLA this queue is held to, and what is left of it for this case (negative once past it). */
  sla_seconds: number;
  time_left_seconds: number;
  over_sla: boolean;
}

export async function adminQueue(ctx: EngineContext, slaSeconds = DEFAULT_ADMIN_SLA_S): Promise<QueueItem[]> {
  const rows = await ctx.db.escrow.findMany({
    where: { status: "admin_review" },
    orderBy: { statusChangedAt: "asc" },
    take: 500,
    include: {
      agent: { select: { id: true, handle: true, displayName: true } },
      customer: { select: { id: true, displayName: true } },
      // How the case arrived: the last entry into admin_review, not a party's statement added since.
      events: { where: { toStatus: "admin_review", command: { not: STATEMENT_COMMAND } }, orderBy: { id: "desc" }, take: 1 },
    },
  });
  const now = ctx.now().getTime();
  return rows.map((row) => {
    const entry = row.events[0];
    const route: ReviewRoute =
      entry?.command === "response_timeout" || entry?.command === "negotiation_timeout" || entry?.command === "escalate"
        ? entry.command
        : entry?.command === "auto_release"
          ? "agent_under_review"
          : "unknown";
    const ageSeconds = Math.max(0, Math.floor((now - row.statusChangedAt.getTime()) / 1000));
    return {
      escrow_id: row.id,
      reference_code: row.referenceCode,
      title: row.title,
      amount: Number(row.amountMinor),
      currency: row.currency,
      agent: { id: row.agent.id, handle: row.agent.handle, display_name: row.agent.displayName },
      customer: { id: row.customer.id, display_name: row.customer.displayName },
      route,
      escalated_by: route === "escalate" ? (entry?.actorKind ?? null) : null,
      waiting_since: row.statusChangedAt.toISOString(),
      age_seconds: ageSeconds,
      sla_seconds: slaSeconds,
      time_left_seconds: slaSeconds - ageSeconds,
      over_sla: ageSeconds > slaSeconds,
    };
  });
}

/** An open card chargeback (issue 15): beside the escrow cases, for moderators to see and follow. */
export interface ChargebackItem {
  dispute_id: string;
  customer: { id: string; display_name: string; email: string };
  amount: number;
  currency: string;
  /** Stripe's reason code (fraudulent, product_not_received, …); the console says it in words. */
  reason: string;
  /** Stripe's dispute status (needs_response, under_review, …). */
  status: string;
  evidence_submitted: boolean;
  opened_at: string;
  age_seconds: number;
}

/** Open chargebacks, oldest first. The customer's wallet is frozen for new accepts while one is open. */
export async function chargebackQueue(ctx: EngineContext): Promise<ChargebackItem[]> {
  const now = ctx.now().getTime();
  return (await openCardDisputes(ctx.db)).map((d) => ({
    dispute_id: d.id,
    customer: { id: d.customer.id, display_name: d.customer.name, email: d.customer.email },
    amount: d.amountMinor,
    currency: d.currency,
    reason: d.reason,
    status: d.status,
    evidence_submitted: d.evidenceSubmitted,
    opened_at: d.createdAt.toISOString(),
    age_seconds: Math.max(0, Math.floor((now - d.createdAt.getTime()) / 1000)),
  }));
}

/** The most recent moderator decisions, newest first: what was decided, by whom, and how long the case waited. */
export async function recentDecisions(ctx: EngineContext, limit = 20) {
  const events = await ctx.db.escrowEvent.findMany({
    where: { command: "decide" },
    orderBy: { id: "desc" },
    take: limit,
    include: {
      escrow: {
        select: {
          id: true,
          referenceCode: true,
          title: true,
          amountMinor: true,
          refundAmountMinor: true,
          currency: true,
          outcome: true,
          agent: { select: { displayName: true } },
          customer: { select: { displayName: true } },
        },
      },
    },
  });
  const moderatorIds = [...new Set(events.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
  const moderators = moderatorIds.length ? await ctx.db.user.findMany({ where: { id: { in: moderatorIds } }, select: { id: true, displayName: true } }) : [];
  const nameOf = new Map(moderators.map((m) => [m.id, m.displayName]));
  return events.map((e) => ({
    escrow_id: e.escrow.id,
    reference_code: e.escrow.referenceCode,
    title: e.escrow.title,
    amount: Number(e.escrow.amountMinor),
    refund_amount: Number(e.escrow.refundAmountMinor),
    currency: e.escrow.currency,
    outcome: e.escrow.outcome,
    agent: { display_name: e.escrow.agent.displayName },
    customer: { display_name: e.escrow.customer.displayName },
    moderator: e.actorId ? (nameOf.get(e.actorId) ?? null) : null,
    note: e.reason,
    decided_at: e.createdAt.toISOString(),
  }));
}

/** Past disputes of a party and how they ended. */
async function disputeHistory(ctx: EngineContext, where: { agentId: string } | { customerId: string }, excludeId: string) {
  const rows = await ctx.db.escrow.findMany({
    where: { ...where, id: { not: excludeId }, events: { some: { toStatus: "disputed" } } },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, referenceCode: true, title: true, status: true, outcome: true, amountMinor: true, currency: true, refundAmountMinor: true },
  });
  return rows.map((r) => ({
    escrow_id: r.id,
    reference_code: r.referenceCode,
    title: r.title,
    status: r.status,
    outcome: r.outcome,
    amount: Number(r.amountMinor),
    refund_amount: Number(r.refundAmountMinor),
    currency: r.currency,
  }));
}

export async function adminCase(ctx: EngineContext, escrowRef: string) {
  const row = await ctx.db.escrow.findFirst({
    where: escrowRefFilter(escrowRef),
    include: {
      agent: { select: { id: true, handle: true, displayName: true, status: true, owner: { select: { id: true, displayName: true } } } },
      customer: { select: { id: true, displayName: true, email: true, status: true } },
      buyerAgent: { select: { id: true, handle: true, displayName: true } },
      settlements: { orderBy: { createdAt: "asc" } },
      events: { orderBy: { id: "asc" } },
      transfers: { orderBy: { createdAt: "asc" }, include: { fromAccount: true, toAccount: true } },
    },
  });
  if (!row) throw notFound("escrow");
  // The whole transcript, owner instructions included (marked by role) — moderators see everything.
  const messages = await ctx.db.message.findMany({
    where: { conversationId: row.conversationId },
    orderBy: { seq: "asc" },
    include: { artifacts: { orderBy: { createdAt: "asc" } } },
  });
  const defence = row.events.find((e) => e.command === "defend")?.reason ?? null;
  return {
    escrow: toEscrowJson(row, openSettlementOf(row.settlements), "moderator", ctx.now()),
    agent: {
      id: row.agent.id,
      handle: row.agent.handle,
      display_name: row.agent.displayName,
      status: row.agent.status,
      owner: { id: row.agent.owner.id, display_name: row.agent.owner.displayName },
    },
    customer: { id: row.customer.id, display_name: row.customer.displayName, email: row.customer.email, status: row.customer.status },
    /** An agent-to-agent purchase: the agent that bought (the customer above is its owner, whose wallet paid). */
    buyer_agent: row.buyerAgent ? { id: row.buyerAgent.id, handle: row.buyerAgent.handle, display_name: row.buyerAgent.displayName } : null,
    dispute_reason: row.disputeReason,
    defence,
    settlements: row.settlements.map(toSettlementJson),
    timeline: row.events.map((e) => ({
      from: e.fromStatus,
      to: e.toStatus,
      command: e.command,
      actor: e.actorKind,
      actor_id: e.actorId,
      reason: e.reason,
      at: e.createdAt.toISOString(),
    })),
    transfers: row.transfers.map((t) => ({
      id: t.id,
      kind: t.kind,
      amount: Number(t.amountMinor),
      currency: t.currency,
      from: t.fromAccount.key,
      to: t.toAccount.key,
      at: t.createdAt.toISOString(),
    })),
    transcript: messages.map((m) => toMessageView(m, (id) => `/api/admin/artifacts/${id}`)),
    agent_reputation: await agentReputation(ctx, row.agentId),
    history: {
      agent: await disputeHistory(ctx, { agentId: row.agentId }, row.id),
      customer: await disputeHistory(ctx, { customerId: row.customerId }, row.id),
    },
  };
}
