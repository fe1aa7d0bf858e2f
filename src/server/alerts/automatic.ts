// The alerts the platform raises by itself (SPEC §5), each inside the transaction of the change that
// causes it, so none is lost and none is doubled: every dispute (from the escrow.disputed agent event
// the engine appends), and the offer rules of src/domain/offer-alerts.ts — outside the catalog, above
// the catalog price, above the owner's threshold (converted into its currency) — from the offer's
// transaction. The overdue alert is raised by the overdue notice (src/server/jobs/notices.ts).
// Routine success (funded, delivered, completed) never alerts.
import { formatMoney } from "~/domain/money";
import { DEFAULT_CATALOG_PRICE_ALERT_PCT, offerAlerts } from "~/domain/offer-alerts";
import { currenciesOf, type EngineConfig } from "../config";
import type { Tx } from "../db/transaction";
import type { AlertSeverity, OwnerAlert } from "../db/generated/client";
import type { NewOwnerAlert } from "./create-alert";

// Passed in by create-alert.ts rather than imported from it, which imports this module.
type Raise = (tx: Tx, alert: NewOwnerAlert) => Promise<OwnerAlert>;

export async function alertOnOffer(
  tx: Tx,
  offer: { agentId: string; escrowId: string; now: Date },
  raise: Raise,
  config: EngineConfig,
): Promise<void> {
  const escrow = await tx.escrow.findUnique({ where: { id: offer.escrowId }, include: { service: true } });
  if (!escrow || escrow.agentId !== offer.agentId) return;
  const agent = await tx.agent.findUniqueOrThrow({ where: { id: escrow.agentId }, select: { ownerId: true } });
  const settings = await tx.ownerSettings.findUnique({ where: { ownerId: agent.ownerId } });
  const service = escrow.service ? { priceMinor: Number(escrow.service.priceMinor), currency: escrow.service.currency } : null;
  const threshold =
    settings?.largeAmountMinor != null ? { amountMinor: Number(settings.largeAmountMinor), currency: settings.largeAmountCurrency } : null;
  const tripped = offerAlerts(
    { amountMinor: Number(escrow.amountMinor), currency: escrow.currency, service, threshold },
    { currencies: currenciesOf(config), catalogPriceAlertPct: config.catalogPriceAlertPct ?? DEFAULT_CATALOG_PRICE_ALERT_PCT },
  );
  const amount = formatMoney(Number(escrow.amountMinor), escrow.currency);
  const base = { agentId: escrow.agentId, escrowId: escrow.id, conversationId: escrow.conversationId, now: offer.now, severity: "warning" as const };
  const offered = `Your agent offered "${escrow.title}" for ${amount} (ref ${escrow.referenceCode})`;
  for (const rule of tripped) {
    if (rule.kind === "off_catalog") {
      await raise(tx, { ...base, reason: rule.reason, title: `Off-catalog offer: "${escrow.title}" for ${amount}`, message: `${offered}, which is not in its catalog.` });
    } else if (rule.kind === "above_catalog_price" && escrow.service && service) {
      const price = formatMoney(service.priceMinor, service.currency);
      await raise(tx, {
        ...base,
        reason: rule.reason,
        title: `Offer above catalog price: "${escrow.title}" for ${amount} (listed at ${price})`,
        message: `${offered} for your catalog service "${escrow.service.title}", listed at ${price}: more than ${config.catalogPriceAlertPct ?? DEFAULT_CATALOG_PRICE_ALERT_PCT}% of its price.`,
      });
    } else if (rule.kind === "large_amount" && threshold) {
      const limit = formatMoney(threshold.amountMinor, threshold.currency);
      await raise(tx, { ...base, reason: rule.reason, title: `Large offer: "${escrow.title}" for ${amount}`, message: `${offered}, above your threshold of ${limit}.` });
    }
  }
}

/** Called for every agent event in its transaction (src/server/events/agent-events.ts). */
export async function alertOnAgentEvent(
  tx: Tx,
  event: { agentId: string; type: string; escrowId?: string | null; createdAt: Date; data: Record<string, unknown> },
  raise: Raise,
): Promise<void> {
  if (PURCHASE_ESCALATIONS[event.type] && event.escrowId) return alertBuyerOwner(tx, event, raise);
  if (event.type !== "escrow.disputed" || !event.escrowId) return;
  const escrow = await tx.escrow.findUnique({ where: { id: event.escrowId } });
  if (!escrow) return;
  const reason = typeof event.data.reason === "string" ? event.data.reason : (escrow.disputeReason ?? "");
  await raise(tx, {
    agentId: escrow.agentId,
    escrowId: escrow.id,
    conversationId: escrow.conversationId,
    reason: "dispute",
    severity: "urgent",
    title: `Dispute on "${escrow.title}" (ref ${escrow.referenceCode})`,
    message: `The customer disputed "${escrow.title}" (${formatMoney(Number(escrow.amountMinor), escrow.currency)}): ${reason || "no reason given"}`,
    now: event.createdAt,
  });
}

/**
 * Agent-to-agent purchases (SPEC §6.6) have no customer in the chat: when the seller contests the
 * buying agent's dispute, and again when the dispute goes to moderators, the buying agent's owner is
 * alerted. Their reply reaches their agent as an owner.instruction; they can also act on the purchase
 * themselves (it is paid from their wallet, so it is among their orders).
 */
const PURCHASE_ESCALATIONS: Record<string, { severity: AlertSeverity; what: string } | undefined> = {
  "purchase.negotiating": {
    severity: "warning",
    what: "The seller contested your agent's dispute; your agent is negotiating. Reply to instruct it (for example: accept a 50% refund, or escalate), or act on the order yourself.",
  },
  "purchase.admin_review": {
    severity: "urgent",
    what: "The dispute went to a moderator for a decision. Reply to instruct your agent, or add your side from the order page.",
  },
};

async function alertBuyerOwner(
  tx: Tx,
  event: { agentId: string; type: string; escrowId?: string | null; createdAt: Date },
  raise: Raise,
): Promise<void> {
  const escalation = PURCHASE_ESCALATIONS[event.type];
  const escrow = event.escrowId ? await tx.escrow.findUnique({ where: { id: event.escrowId }, include: { agent: true } }) : null;
  if (!escalation || !escrow || escrow.buyerAgentId !== event.agentId) return;
  const amount = formatMoney(Number(escrow.amountMinor), escrow.currency);
  await raise(tx, {
    agentId: event.agentId,
    escrowId: escrow.id,
    conversationId: escrow.conversationId,
    reason: "dispute",
    severity: escalation.severity,
    title: `Your agent's purchase "${escrow.title}" from ${escrow.agent.displayName} is disputed (ref ${escrow.referenceCode})`,
    message: `${escalation.what} Purchase: "${escrow.title}", ${amount}. Your agent's reason: ${escrow.disputeReason ?? "none given"}.`,
    now: event.createdAt,
  });
}
