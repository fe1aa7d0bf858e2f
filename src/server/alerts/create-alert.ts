// Owner alerts (PROTOCOL.md Alert, SPEC §5): raised by the agent (notify_owner) or by the platform
// (automatic.ts, which imports this file; nothing here imports it back). An alert is stored for the owner's inbox and, in the same transaction, queued for
// every channel the owner configured (fan-out.ts), so it is delivered exactly when it exists.
import type { Tx } from "../db/transaction";
import { notFound } from "../errors";
import { newId } from "../ids";
import type { AlertReason, AlertSeverity } from "../db/generated/client";
import { fanOutAlert } from "./fan-out";

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
  const row = await tx.ownerAlert.create({
    data: {
      id: newId("alr"),
      ownerId: agent.ownerId,
      agentId: alert.agentId,
      reason: alert.reason,
      title: alert.title.slice(0, 200),
      message: alert.message.slice(0, 5_000),
      severity: alert.severity,
      escrowId: alert.escrowId ?? null,
      conversationId: alert.conversationId ?? null,
      createdAt: alert.now,
      updatedAt: alert.now,
    },
  });
  await fanOutAlert(tx, row, alert.now);
  return row;
}
