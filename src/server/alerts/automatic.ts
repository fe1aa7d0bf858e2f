// The alerts the platform raises by itself (SPEC §5), each inside the transaction of the change that
// causes it, so none is lost and none is doubled. WHICH change raises WHICH alert is data in the
// domain: each row of the lifecycle table names its `alerts`, each reminder timer its own
// (src/domain/escrow/side-effects.ts); the write path (src/server/escrow/record-transition.ts) and the
// timer notices (src/server/jobs/notices.ts) call raiseAlerts with those names. This file holds only
// each alert's wording and the facts it reads. Routine success (funded, delivered, completed) never alerts.
import { ALERT_RULES, type AlertKind } from "~/domain/escrow/side-effects";
import { formatMoney } from "~/domain/money";
import { DEFAULT_CATALOG_PRICE_ALERT_PCT, offerAlerts } from "~/domain/offer-alerts";
import { currenciesOf, type EngineConfig } from "../config";
import type { Tx } from "../db/transaction";
import type { Escrow } from "../db/generated/client";
import { raiseOwnerAlert } from "./create-alert";

interface AlertContext {
  tx: Tx;
  config: EngineConfig;
  /** The escrow as the change left it. */
  escrow: Escrow;
  now: Date;
}

type Raiser = (c: AlertContext) => Promise<void>;

const RAISERS: Record<AlertKind, Raiser> = {
  offer_rules: alertOnOffer,
  dispute: alertOnDispute,
  purchase_contested: (c) => alertBuyerOwner(c, "purchase_contested"),
  purchase_admin_review: (c) => alertBuyerOwner(c, "purchase_admin_review"),
  overdue: alertOnOverdue,
};

/** Raises the named alerts (a row's `alerts`) for this escrow, in the caller's transaction. */
export async function raiseAlerts(tx: Tx, config: EngineConfig, kinds: readonly AlertKind[], escrow: Escrow, now: Date): Promise<void> {
  for (const kind of kinds) await RAISERS[kind]({ tx, config, escrow, now });
}

function base(c: AlertContext, kind: AlertKind) {
  return { escrowId: c.escrow.id, conversationId: c.escrow.conversationId, now: c.now, severity: ALERT_RULES[kind].severity };
}

/** The offer rules of src/domain/offer-alerts.ts: outside the catalog, above its price, above the owner's threshold. */
async function alertOnOffer(c: AlertContext): Promise<void> {
  const { tx, config, escrow } = c;
  const service = escrow.serviceId ? await tx.service.findUnique({ where: { id: escrow.serviceId } }) : null;
  const agent = await tx.agent.findUniqueOrThrow({ where: { id: escrow.agentId }, select: { ownerId: true } });
  const settings = await tx.ownerSettings.findUnique({ where: { ownerId: agent.ownerId } });
  const price = service ? { priceMinor: Number(service.priceMinor), currency: service.currency } : null;
  const threshold =
    settings?.largeAmountMinor != null ? { amountMinor: Number(settings.largeAmountMinor), currency: settings.largeAmountCurrency } : null;
  const catalogPriceAlertPct = config.catalogPriceAlertPct ?? DEFAULT_CATALOG_PRICE_ALERT_PCT;
  const tripped = offerAlerts(
    { amountMinor: Number(escrow.amountMinor), currency: escrow.currency, service: price, threshold },
    { currencies: currenciesOf(config), catalogPriceAlertPct },
  );
  const amount = formatMoney(Number(escrow.amountMinor), escrow.currency);
  const alert = { ...base(c, "offer_rules"), agentId: escrow.agentId };
  const offered = `Your agent offered "${escrow.title}" for ${amount} (ref ${escrow.referenceCode})`;
  for (const rule of tripped) {
    if (rule.kind === "off_catalog") {
      await raiseOwnerAlert(tx, { ...alert, reason: rule.reason, title: `Off-catalog offer: "${escrow.title}" for ${amount}`, message: `${offered}, which is not in its catalog.` });
    } else if (rule.kind === "above_catalog_price" && service && price) {
      const listed = formatMoney(price.priceMinor, price.currency);
      await raiseOwnerAlert(tx, {
        ...alert,
        reason: rule.reason,
        title: `Offer above catalog price: "${escrow.title}" for ${amount} (listed at ${listed})`,
        message: `${offered} for your catalog service "${service.title}", listed at ${listed}: more than ${catalogPriceAlertPct}% of its price.`,
      });
    } else if (rule.kind === "large_amount" && threshold) {
      const limit = formatMoney(threshold.amountMinor, threshold.currency);
      await raiseOwnerAlert(tx, { ...alert, reason: rule.reason, title: `Large offer: "${escrow.title}" for ${amount}`, message: `${offered}, above your threshold of ${limit}.` });
    }
  }
}

async function alertOnDispute(c: AlertContext): Promise<void> {
  const { escrow } = c;
  await raiseOwnerAlert(c.tx, {
    ...base(c, "dispute"),
    agentId: escrow.agentId,
    reason: "dispute",
    title: `Dispute on "${escrow.title}" (ref ${escrow.referenceCode})`,
    message: `The customer disputed "${escrow.title}" (${formatMoney(Number(escrow.amountMinor), escrow.currency)}): ${escrow.disputeReason || "no reason given"}`,
  });
}

/**
 * Agent-to-agent purchases (SPEC §6.6) have no customer in the chat: when the seller contests the
 * buying agent's dispute, and again when the dispute goes to moderators, the buying agent's owner is
 * alerted. Their reply reaches their agent as an owner.instruction; they can also act on the purchase
 * themselves (it is paid from their wallet, so it is among their orders).
 */
const PURCHASE_ESCALATION_WORDS: Record<"purchase_contested" | "purchase_admin_review", string> = {
  purchase_contested:
    "The seller contested your agent's dispute; your agent is negotiating. Reply to instruct it (for example: accept a 50% refund, or escalate), or act on the order yourself.",
  purchase_admin_review: "The dispute went to a moderator for a decision. Reply to instruct your agent, or add your side from the order page.",
};

async function alertBuyerOwner(c: AlertContext, kind: "purchase_contested" | "purchase_admin_review"): Promise<void> {
  const { escrow } = c;
  if (!escrow.buyerAgentId) return; // a person bought it: they are in the chat and see it there
  const seller = await c.tx.agent.findUniqueOrThrow({ where: { id: escrow.agentId }, select: { displayName: true } });
  const amount = formatMoney(Number(escrow.amountMinor), escrow.currency);
  await raiseOwnerAlert(c.tx, {
    ...base(c, kind),
    agentId: escrow.buyerAgentId,
    reason: "dispute",
    title: `Your agent's purchase "${escrow.title}" from ${seller.displayName} is disputed (ref ${escrow.referenceCode})`,
    message: `${PURCHASE_ESCALATION_WORDS[kind]} Purchase: "${escrow.title}", ${amount}. Your agent's reason: ${escrow.disputeReason ?? "none given"}.`,
  });
}

/**
 * The owner of an agent that missed its due time is alerted (SPEC §5, §6.2): an owner alert (PROTOCOL
 * "Alert", reason `other`) in the owner's inbox, delivered to the owner's channels by the owner loop.
 */
async function alertOnOverdue(c: AlertContext): Promise<void> {
  const { escrow } = c;
  const agent = await c.tx.agent.findUnique({ where: { id: escrow.agentId }, select: { handle: true } });
  if (!agent) return;
  await raiseOwnerAlert(c.tx, {
    ...base(c, "overdue"),
    agentId: escrow.agentId,
    reason: "other",
    title: `Delivery overdue: "${escrow.title}" (ref ${escrow.referenceCode})`,
    message: [
      `@${agent.handle} has not delivered "${escrow.title}" (ref ${escrow.referenceCode}), due at ${escrow.dueAt?.toISOString() ?? "?"}.`,
      `The customer may now cancel for a full refund; it is refunded automatically at ${escrow.deadline?.toISOString() ?? "the end of the grace period"}.`,
    ].join("\n"),
  });
}
