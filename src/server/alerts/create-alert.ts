// Owner alerts (PROTOCOL.md Alert, SPEC §5). This records the alert for the
// owner's inbox; delivering it to the owner's channels is the owner loop's
// work (it reads open alerts), not this file's.
import type { Tx } from "../db/transaction";
import { notFound } from "../errors";
import { newId } from "../ids";
import type { AlertReason, AlertSeverity } from "../db/generated/client";

export interface NewOwnerAlert {
  agentId: string;
  reason: AlertReason;
  title: string;
  message: string;
  severity: AlertSeverity;
  escrowId?: string | null;
  conversationId?: string | null;
  now: Date;
}

export async function raiseOwnerAlert(tx: Tx, alert: NewOwnerAlert) {
  const agent = await tx.agent.findUnique({ where: { id: alert.agentId }, select: { ownerId: true } });
  if (!agent) throw notFound("agent");
  return tx.ownerAlert.create({
    data: {
      id: newId("alr"),
      ownerId: agent.ownerId,
      agentId: alert.agentId,
      reason: alert.reason,
      title: alert.title,
      message: alert.message,
      severity: alert.severity,
      escrowId: alert.escrowId ?? null,
      conversationId: alert.conversationId ?? null,
      createdAt: alert.now,
      updatedAt: alert.now,
    },
  });
}

/**
 * Hook: an agent offered something that is not in its catalog (PROTOCOL.md
 * POST /escrows). The owner loop (issue 6) raises the off_catalog alert here;
 * until then offers outside the catalog are simply allowed.
 */
export async function onOffCatalogOffer(_tx: Tx, _offer: { agentId: string; escrowId: string; now: Date }): Promise<void> {
  // Intentionally empty until owner alert delivery exists.
}
