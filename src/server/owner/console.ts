// Read models of the owner console: the owner's agents with keys, catalogs, track record and risk tier,
// their escrows, the earnings from the ledger (available and held), channels with the delivery log, and
// the alert inbox.
import { artifactContractJson } from "~/domain/escrow/delivery";
import { env } from "~/env";
import type { EngineContext } from "../context";
import { walletBalances } from "../ledger/wallet";
import { ownerChannels } from "../alerts/fan-out";
import { spentInWindow } from "../purchases/purchasing";
import { currenciesOf } from "../config";
import { limitsCurrency } from "../currency";
import { agentRiskProfile } from "../risk/profile";
import { agentReputation } from "../reputation/reputation";
import { escrowRefFilter } from "../escrow/actors";
import { toMessageView } from "../conversations/customer-chat";

export async function ownerOverview(ctx: EngineContext, ownerId: string) {
  const db = ctx.db;
  const [agents, settings, balances] = await Promise.all([
    db.agent.findMany({
      where: { ownerId },
      orderBy: { createdAt: "asc" },
      include: { apiKeys: { orderBy: { createdAt: "desc" } }, services: { orderBy: { createdAt: "asc" }, include: { evaluator: { select: { handle: true } } } } },
    }),
    db.ownerSettings.findUnique({ where: { ownerId } }),
    walletBalances(ctx, ownerId),
  ]);
  // What each agent's purchases took from the owner's wallet in the limit's window, for all at once.
  const spent = await spentInWindow(db, agents.map((a) => a.id), ctx.now(), currenciesOf(ctx.config));
  return {
    agents: agents.map((a) => ({
      id: a.id,
      handle: a.handle,
      displayName: a.displayName,
      status: a.status,
      webhookUrl: a.webhookUrl,
      webhookSecret: a.webhookSecret,
      purchasing: {
        enabled: a.purchasingEnabled,
        limitMinor: Number(a.purchaseLimitMinor),
        currency: a.purchaseLimitCurrency,
        spentMinor: spent.get(a.id)?.spentMinor ?? 0,
      },
      // Evaluator opt-in (issue 18): the console's small form reads it back.
      evaluator: { enabled: a.evaluatorEnabled, feeMinor: Number(a.evaluatorFeeMinor), currency: a.evaluatorFeeCurrency },
      keys: a.apiKeys.map((k) => ({ id: k.id, prefix: k.prefix, createdAt: k.createdAt, revokedAt: k.revokedAt, lastUsedAt: k.lastUsedAt })),
      services: a.services.map((s) => ({
        id: s.id,
        title: s.title,
        description: s.description,
        priceMinor: Number(s.priceMinor),
        currency: s.currency,
        deliveryInHours: s.deliveryInHours,
        active: s.active,
        artifactContract: artifactContractJson(s.artifactContract),
        evaluator: s.evaluator ? { handle: s.evaluator.handle, feePayer: s.evaluatorFeePayer } : null,
      })),
    })),
    threshold: settings?.largeAmountMinor != null ? { amountMinor: Number(settings.largeAmountMinor), currency: settings.largeAmountCurrency } : null,
    balances,
  };
}

/**
 * Each agent's track record and the risk tier it puts the agent in, with that tier's limits and the
 * reasons, as the engine applies them (SPEC §6.5). The counted figures are the agent's record (the same
 * rows the tier, the signals and reputation read); the reputation adds how sales completed and on-time delivery.
 */
export async function ownerAgentRecords(ctx: EngineContext, ownerId: string) {
  const agents = await ctx.db.agent.findMany({ where: { ownerId }, select: { id: true }, orderBy: { createdAt: "asc" } });
  return Promise.all(
    agents.map(async ({ id }) => {
      const [profile, reputation] = await Promise.all([agentRiskProfile(ctx.db, ctx, id), agentReputation(ctx, id)]);
      const { tier, policy, judgement, evidence, figures, promotionFrozen } = profile;
      return {
        agentId: id,
        reputation,
        tier,
        limits: { ...policy, currency: limitsCurrency(ctx.config) },
        tierReasons: judgement.steps,
        evidence: {
          qualifyingBuyers: evidence.qualifyingBuyers,
          qualifyingVolumeMinor: evidence.qualifyingVolumeMinor,
          firstQualifyingSaleAt: evidence.firstQualifyingSaleAt,
          distinctBuyers: figures.distinctBuyers,
          linkedSales: figures.linkedSales,
          promotionFrozen,
          pinned: judgement.steps[0]?.rule === "pinned",
        },
      };
    }),
  );
}

export async function ownerEscrows(ctx: EngineContext, ownerId: string) {
  const rows = await ctx.db.escrow.findMany({
    where: { agent: { ownerId } },
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { agent: { select: { handle: true } }, customer: { select: { displayName: true } } },
  });
  return rows.map((e) => ({
    id: e.id,
    referenceCode: e.referenceCode,
    agentHandle: e.agent.handle,
    customer: e.customer.displayName,
    title: e.title,
    amountMinor: Number(e.amountMinor),
    currency: e.currency,
    status: e.status,
    dueAt: e.dueAt,
    createdAt: e.createdAt,
  }));
}

export async function ownerChannelsView(ctx: EngineContext, ownerId: string) {
  const e = env();
  const [channels, deliveries] = await Promise.all([
    ctx.db.$transaction((tx) => ownerChannels(tx, ownerId)),
    ctx.db.notification.findMany({
      where: { userId: ownerId },
      orderBy: { createdAt: "desc" },
      take: 30,
      include: { attemptsLog: { orderBy: { attempt: "asc" } } },
    }),
  ]);
  return {
    channels,
    telegram: { configured: Boolean(e.HOLDFAST_TELEGRAM_BOT_TOKEN), botUsername: e.HOLDFAST_TELEGRAM_BOT_USERNAME ?? null },
    deliveries: deliveries.map((n) => ({
      id: n.id,
      channel: n.channel,
      address: n.address,
      subject: n.subject,
      template: n.template,
      status: n.status,
      attempts: n.attempts,
      lastError: n.lastError,
      createdAt: n.createdAt,
      sentAt: n.sentAt,
      log: n.attemptsLog.map((a) => ({ attempt: a.attempt, ok: a.ok, error: a.error, at: a.createdAt })),
    })),
  };
}

/**
 * One of the owner's agents' orders with its whole conversation (owner instructions included: the owner
 * wrote them), for the console's order page that alerts link to. Another owner's order is null.
 */
export async function ownerOrder(ctx: EngineContext, ownerId: string, escrowRef: string) {
  const row = await ctx.db.escrow.findFirst({
    where: { AND: [escrowRefFilter(escrowRef), { agent: { ownerId } }] },
    include: {
      agent: { select: { handle: true, displayName: true } },
      customer: { select: { displayName: true } },
      events: { where: { command: "defend" }, orderBy: { id: "desc" }, take: 1, select: { reason: true } },
    },
  });
  if (!row) return null;
  const messages = await ctx.db.message.findMany({
    where: { conversationId: row.conversationId },
    orderBy: { seq: "asc" },
    take: 500,
    include: { artifacts: { orderBy: { createdAt: "asc" } } },
  });
  return {
    id: row.id,
    referenceCode: row.referenceCode,
    conversationId: row.conversationId,
    title: row.title,
    description: row.description,
    agent: { handle: row.agent.handle, displayName: row.agent.displayName },
    customer: row.customer.displayName,
    amountMinor: Number(row.amountMinor),
    refundAmountMinor: Number(row.refundAmountMinor),
    currency: row.currency,
    status: row.status,
    outcome: row.outcome,
    disputeReason: row.disputeReason,
    defence: row.events[0]?.reason ?? null,
    dueAt: row.dueAt,
    deadline: row.deadline,
    createdAt: row.createdAt,
    transcript: messages.map((m) => toMessageView(m, (id) => `/api/artifacts/${id}`)),
  };
}

// An alert about an order carries the order's state now (not when the alert was raised), so the inbox
// says whether the dispute is still open.
const alertInclude = {
  agent: { select: { handle: true } },
  replies: { orderBy: { createdAt: "asc" as const } },
} as const;

async function withOrders<T extends { escrowId: string | null }>(ctx: EngineContext, rows: T[]) {
  const ids = [...new Set(rows.flatMap((r) => (r.escrowId ? [r.escrowId] : [])))];
  const escrows = ids.length
    ? await ctx.db.escrow.findMany({ where: { id: { in: ids } }, select: { id: true, referenceCode: true, title: true, status: true, amountMinor: true, currency: true } })
    : [];
  const byId = new Map(escrows.map((e) => [e.id, { referenceCode: e.referenceCode, title: e.title, status: e.status, amountMinor: Number(e.amountMinor), currency: e.currency }]));
  return (row: T) => (row.escrowId ? (byId.get(row.escrowId) ?? null) : null);
}

export async function ownerAlerts(ctx: EngineContext, ownerId: string) {
  const rows = await ctx.db.ownerAlert.findMany({ where: { ownerId }, orderBy: { createdAt: "desc" }, take: 100, include: alertInclude });
  const orderOf = await withOrders(ctx, rows);
  return rows.map((row) => alertView(row, orderOf(row)));
}

export async function ownerAlert(ctx: EngineContext, ownerId: string, alertId: string) {
  const row = await ctx.db.ownerAlert.findFirst({ where: { id: alertId, ownerId }, include: alertInclude });
  if (!row) return null;
  const orderOf = await withOrders(ctx, [row]);
  return alertView(row, orderOf(row));
}

type AlertRow = NonNullable<Awaited<ReturnType<EngineContext["db"]["ownerAlert"]["findFirst"]>>> & {
  agent: { handle: string } | null;
  replies: { id: string; via: string; routedBy: string; text: string; createdAt: Date }[];
};

type AlertOrder = { referenceCode: string; title: string; status: string; amountMinor: number; currency: string } | null;

function alertView(a: AlertRow, order: AlertOrder) {
  return {
    id: a.id,
    reason: a.reason,
    title: a.title,
    message: a.message,
    severity: a.severity,
    status: a.status,
    agentHandle: a.agent?.handle ?? null,
    escrowId: a.escrowId,
    conversationId: a.conversationId,
    order,
    createdAt: a.createdAt,
    replies: a.replies.map((r) => ({ id: r.id, via: r.via, routedBy: r.routedBy, text: r.text, createdAt: r.createdAt })),
  };
}
