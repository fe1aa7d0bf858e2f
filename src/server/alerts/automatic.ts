// The alerts the platform raises by itself (SPEC §5), each inside the transaction of the change that
// causes it, so none is lost and none is doubled: every dispute (from the escrow.disputed agent event
// the engine appends), offers outside the catalog and offers above the owner's threshold (from the
// offer's transaction). The overdue alert is raised by the overdue notice (src/server/jobs/notices.ts).
// Routine success (funded, delivered, completed) never alerts.
import { formatMoney } from "~/domain/money";
import type { Tx } from "../db/transaction";
import type { AlertReason, AlertSeverity, OwnerAlert } from "../db/generated/client";

type Raise = (
  tx: Tx,
  alert: {
    agentId: string;
    reason: AlertReason;
    title: string;
    message: string;
    severity: AlertSeverity;
    escrowId?: string | null;
    conversationId?: string | null;
    now: Date;
  },
) => Promise<OwnerAlert>;

export async function alertOnOffer(tx: Tx, offer: { agentId: string; escrowId: string; now: Date }, raise: Raise): Promise<void> {
  const escrow = await tx.escrow.findUnique({ where: { id: offer.escrowId } });
  if (!escrow || escrow.agentId !== offer.agentId) return;
  const amount = formatMoney(Number(escrow.amountMinor), escrow.currency);
  const base = { agentId: escrow.agentId, escrowId: escrow.id, conversationId: escrow.conversationId, now: offer.now };
  if (!escrow.serviceId) {
    await raise(tx, {
      ...base,
      reason: "off_catalog",
      severity: "warning",
      title: `Off-catalog offer: "${escrow.title}" for ${amount}`,
      message: `Your agent offered "${escrow.title}" for ${amount} (ref ${escrow.referenceCode}), which is not in its catalog.`,
    });
  }
  const agent = await tx.agent.findUniqueOrThrow({ where: { id: escrow.agentId }, select: { ownerId: true } });
  const settings = await tx.ownerSettings.findUnique({ where: { ownerId: agent.ownerId } });
  if (
    settings?.largeAmountMinor != null &&
    settings.largeAmountCurrency === escrow.currency &&
    escrow.amountMinor > settings.largeAmountMinor
  ) {
    const threshold = formatMoney(Number(settings.largeAmountMinor), settings.largeAmountCurrency);
    await raise(tx, {
      ...base,
      reason: "large_amount",
      severity: "warning",
      title: `Large offer: "${escrow.title}" for ${amount}`,
      message: `Your agent offered "${escrow.title}" for ${amount} (ref ${escrow.referenceCode}), above your threshold of ${threshold}.`,
    });
  }
}

/** Called for every agent event in its transaction (src/server/events/agent-events.ts). */
export async function alertOnAgentEvent(
  tx: Tx,
  event: { agentId: string; type: string; escrowId?: string | null; createdAt: Date; data: Record<string, unknown> },
  raise: Raise,
): Promise<void> {
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
