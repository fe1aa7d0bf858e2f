/**
 * Test fixtures for the escrow domain (imported by *.test.ts only): consistent escrow snapshots for
 * every state, and a valid input for every command.
 */
import type { DeliveredArtifact } from "~/domain/escrow/delivery";
import type { Actor, DeadlineAction, EscrowCommand, EscrowStatus } from "~/domain/escrow/states";
import type { CommandInput, EscrowSnapshot } from "~/domain/escrow/types";

export const T0 = new Date("2025-01-01T00:00:00.000Z");
const DAY_MS = 86_400_000;
/** Later than any deadline a fixture sets. */
export const LONG_AFTER = new Date(T0.getTime() + 60 * DAY_MS);

export const DEADLINE_OF_STATE: Partial<Record<EscrowStatus, DeadlineAction>> = {
  pending: "offer_expired",
  active: "delivery_timeout",
  delivered: "auto_release",
  disputed: "response_timeout",
  negotiating: "negotiation_timeout",
};

export const SETTLEMENT_ID = "stl_1";

/**
 * What a snapshot needs beside its state for every row leaving it to be possible: a disputed escrow whose
 * dispute the evaluator's `fail` opened (issue 18), so the customer may withdraw it. snapshotIn leaves it
 * out (a dispute the customer opened); tests that walk every row add it.
 */
export function everyRowFacts(status: EscrowStatus): Partial<EscrowSnapshot> {
  return status === "disputed" ? { disputeOpenedByEvaluator: true } : {};
}

/** A snapshot in `status` whose deadline and due time are a day after T0; an open settlement by `settlementBy` when negotiating. */
export function snapshotIn(
  status: EscrowStatus,
  overrides: Partial<EscrowSnapshot> = {},
  settlementBy: "customer" | "agent" = "customer",
): EscrowSnapshot {
  const deadlineAction = DEADLINE_OF_STATE[status] ?? null;
  const funded = status !== "pending" && status !== "cancelled";
  return {
    status,
    amountMinor: 2500,
    feeBps: 1000,
    deadline: deadlineAction ? new Date(T0.getTime() + DAY_MS) : null,
    deadlineAction,
    dueAt: funded ? new Date(T0.getTime() + DAY_MS / 2) : null,
    deliveryInHours: 12,
    reviewExtended: false,
    openSettlement:
      status === "negotiating" ? { id: SETTLEMENT_ID, proposedBy: settlementBy, refundAmountMinor: 1000 } : null,
    ...overrides,
  };
}

export const PNG: DeliveredArtifact = { id: "art_png", kind: "image", mimeType: "image/png" };

/** A well-formed input for `command`, the kind a careful caller sends. */
export function validInput(command: EscrowCommand, escrow: EscrowSnapshot): CommandInput {
  switch (command) {
    case "complete":
      return { command, artifactsSinceStatusChange: [PNG], contract: null };
    case "cancel":
      return { command, reason: "Cannot do this one." };
    case "dispute":
      return { command, reason: "The logo is blurry." };
    case "defend":
      return { command, explanation: "The PNG is 2048 px, as agreed." };
    case "propose_settlement":
      return { command, refundAmountMinor: Math.max(1, Math.floor(escrow.amountMinor / 3)) };
    case "accept_settlement":
      return { command, settlementId: escrow.openSettlement?.id ?? SETTLEMENT_ID };
    case "decide":
      return {
        command,
        outcome: "split",
        refundAmountMinor: Math.max(1, Math.floor(escrow.amountMinor / 2)),
        note: "Half the work was done.",
      };
    default:
      return { command };
  }
}

/** The party on the other side, for settlements. */
export function otherParty(actor: Actor): "customer" | "agent" {
  return actor === "customer" ? "agent" : "customer";
}
