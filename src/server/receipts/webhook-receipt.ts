// Webhooks carry the receipt of their event (issue 18): an escrow event's payload names the escrow's version
// after the change, which is the audit row's version; the receipt of that row is sealed on demand.
import type { Db } from "../db/client";
import type { AgentEvent } from "../db/generated/client";
import { log } from "../log";
import { sealEscrowReceipts, toReceiptJson, type ReceiptJson } from "./sealer";

function escrowVersionOf(data: unknown): number | null {
  const escrow = (data as { escrow?: { version?: unknown } } | null)?.escrow;
  return typeof escrow?.version === "number" ? escrow.version : null;
}

/** The receipt of the escrow change this agent event reports, or null (not an escrow change; sealing failed). */
export async function receiptForAgentEvent(db: Db, event: AgentEvent): Promise<ReceiptJson | null> {
  const version = escrowVersionOf(event.data);
  if (!event.escrowId || version === null) return null;
  try {
    const audit = await db.escrowEvent.findFirst({ where: { escrowId: event.escrowId, version }, orderBy: { id: "asc" }, select: { id: true } });
    if (!audit) return null;
    const receipts = await sealEscrowReceipts(db, event.escrowId);
    const receipt = receipts.find((r) => r.eventId === audit.id);
    return receipt ? toReceiptJson(receipt) : null;
  } catch (error) {
    // A webhook without its receipt still tells the agent what happened; GET /escrows/{id}/receipts has it later.
    log().warn({ err: error, escrowId: event.escrowId }, "could not seal the receipt for a webhook");
    return null;
  }
}
