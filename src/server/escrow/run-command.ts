// The one way an escrow changes state. Load (row-locked) → decide (pure) →
// one transaction writes everything the decision implies: the compare-and-set
// on status and version, the ledger transfers, the audit event, the agent
// event, the conversation's system line and the outbox row. Either all of it
// commits or none of it does.
import type { CommandInput, Decision } from "~/domain/escrow/decide";
import { decide } from "~/domain/escrow/decide";
import { readStoredArtifactContract, type DeliveredArtifact } from "~/domain/escrow/delivery";
import { DomainError, isDomainError } from "~/domain/escrow/errors";
import type { AccountRole } from "~/domain/escrow/types";
import { escrowAccountKey, platformFeeKey, walletKey } from "~/domain/ledger/accounts";
import { operationKey } from "~/domain/ledger/transfers";
import type { EngineContext } from "../context";
import type { Prisma } from "../db/generated/client";
import { inTransaction, type Tx } from "../db/transaction";
import { notFound, ServiceError } from "../errors";
import { countTransition } from "../ops/metrics";
import { appendAgentEvent } from "../events/agent-events";
import { newId } from "../ids";
import { currentRequestId, log } from "../log";
import { inSpan } from "../tracing";
import { insertMessage } from "../conversations/messages";
import { postTransfer, type AccountSpec } from "../ledger/ledger";
import { scheduleEscrowTimers, windowsForEscrow } from "../jobs/schedule-timers";
import { recordHold, sellerPayoutAccount } from "../risk/holds";
import { assertAcceptWithinLimits } from "../risk/limits";
import { actorId, actorKind, escrowRefFilter, escrowScope, type ActorRef } from "./actors";
import { toSettlementJson } from "../views/protocol";
import { openSettlementOf, toEscrowJson, toSnapshot, type EscrowRow, type SettlementRow } from "./escrow-view";

/** What callers supply; facts the engine reads itself (artifacts, contract) are filled in here. */
export type CommandRequest =
  | Exclude<CommandInput, { command: "complete" }>
  | { command: "complete" };

export interface CommandResult {
  escrow: EscrowRow;
  settlements: SettlementRow[];
  /** True when nothing was written (complete on an already delivered escrow). */
  noop: boolean;
}

export function runEscrowCommand(
  ctx: EngineContext,
  escrowRef: string,
  actor: ActorRef,
  request: CommandRequest,
): Promise<CommandResult> {
  return inTransaction(ctx.db, (tx) => executeEscrowCommand(tx, ctx, escrowRef, actor, request));
}

/** Finds the caller's escrow and locks its row for the rest of the transaction. */
export async function lockEscrow(tx: Tx, escrowRef: string, actor: ActorRef): Promise<EscrowRow> {
  const found = await tx.escrow.findFirst({
    where: { AND: [escrowRefFilter(escrowRef), escrowScope(actor)] },
    select: { id: true },
  });
  if (!found) throw notFound("escrow");
  await tx.$queryRaw`SELECT id FROM escrows WHERE id = ${found.id} FOR UPDATE`;
  const row = await tx.escrow.findUnique({ where: { id: found.id } });
  if (!row) throw notFound("escrow");
  return row;
}

export async function executeEscrowCommand(
  tx: Tx,
  ctx: EngineContext,
  escrowRef: string,
  actor: ActorRef,
  request: CommandRequest,
): Promise<CommandResult> {
  let row: EscrowRow;
  try {
    row = await lockEscrow(tx, escrowRef, actor);
  } catch (error) {
    countCommandFailure(request.command, error);
    throw error;
  }
  return executeOnLockedEscrow(tx, ctx, row, actor, request);
}

/** Every command through the engine, by outcome (metrics): rejections by their code, failures as errors. */
function countCommandFailure(command: string, error: unknown): void {
  if (isDomainError(error)) countTransition(command, "rejected", error.code);
  else if (error instanceof ServiceError) countTransition(command, "rejected", error.code);
  else countTransition(command, "error", "internal");
}

/**
 * For callers that must check their own rules under the escrow's lock before the engine acts
 * (a buying agent's spending limit): `row` must come from `lockEscrow` in this same transaction.
 */
export function executeOnLockedEscrow(
  tx: Tx,
  ctx: EngineContext,
  row: EscrowRow,
  actor: ActorRef,
  request: CommandRequest,
): Promise<CommandResult> {
  // The transition's span (a child of the request's or the timer's), its one log line, which carries
  // the request id of the run that caused it (src/server/log.ts), and its count by outcome (metrics).
  // Logged when decided: a transaction that later rolls back shows as the request's 5xx or the job's
  // failure line.
  const fields = { escrowId: row.id, command: request.command, from: row.status, version: row.version, actorKind: actor.kind };
  return inSpan(`escrow.transition ${request.command}`, { attributes: { "holdfast.escrow_id": row.id, "holdfast.command": request.command } }, async (span) => {
    try {
      const result = await decideAndApply(tx, ctx, row, actor, request);
      const outcome = result.noop ? "noop" : "applied";
      span.setAttribute("holdfast.escrow_status", result.escrow.status);
      log().info({ ...fields, to: result.escrow.status, outcome }, "transition");
      countTransition(request.command, outcome);
      return result;
    } catch (error) {
      if (error instanceof DomainError) log().info({ ...fields, outcome: "rejected", code: error.code }, "transition");
      countCommandFailure(request.command, error);
      throw error;
    }
  });
}

async function decideAndApply(
  tx: Tx,
  ctx: EngineContext,
  row: EscrowRow,
  actor: ActorRef,
  request: CommandRequest,
): Promise<CommandResult> {
  const now = ctx.now();
  const settlements = await tx.settlement.findMany({ where: { escrowId: row.id }, orderBy: { createdAt: "asc" } });
  const input = await completeInput(tx, row, request);
  // The review window follows the amount (SPEC §6.1) when a review policy is configured.
  const windows = windowsForEscrow(row, input, ctx.config);
  const result = decide(toSnapshot(row, openSettlementOf(settlements)), input, actorKind(actor), now, windows, row.currency);
  if (!result.ok) throw new DomainError(result.rejection);
  if (result.noop) return { escrow: row, settlements, noop: true };
  // Funding re-checks the seller's tier limits under its row lock (taken after the escrow's and the
  // buying agent's, the lock order of every path): its tier may have dropped since the offer.
  if (input.command === "accept") await assertAcceptWithinLimits(tx, ctx, row);
  return applyDecision(tx, ctx, row, actor, input, result, now);
}

/** `complete` is decided on the platform's record: artifacts the agent sent on this escrow since its last status change. */
async function completeInput(tx: Tx, row: EscrowRow, request: CommandRequest): Promise<CommandInput> {
  if (request.command !== "complete") return request;
  const artifacts = await tx.artifact.findMany({
    where: { message: { escrowId: row.id, role: "agent", createdAt: { gt: row.statusChangedAt } } },
    orderBy: { createdAt: "asc" },
  });
  const service = row.serviceId ? await tx.service.findUnique({ where: { id: row.serviceId } }) : null;
  const delivered: DeliveredArtifact[] = artifacts.map((a) => ({
    id: a.id,
    kind: a.kind,
    mimeType: a.mimeType,
    ...(a.data !== null ? { data: a.data } : {}),
  }));
  return {
    command: "complete",
    artifactsSinceStatusChange: delivered,
    contract: readStoredArtifactContract(service?.artifactContract ?? null),
  };
}

async function applyDecision(
  tx: Tx,
  ctx: EngineContext,
  row: EscrowRow,
  actor: ActorRef,
  input: CommandInput,
  decision: Decision,
  now: Date,
): Promise<CommandResult> {
  const { patch } = decision;
  const data: Prisma.EscrowUpdateManyMutationInput = {
    status: decision.to,
    version: { increment: 1 },
    deadline: patch.deadline,
    deadlineAction: patch.deadlineAction,
    updatedAt: now,
    ...(decision.statusChanged ? { statusChangedAt: now } : {}),
    ...(patch.dueAt !== undefined ? { dueAt: patch.dueAt } : {}),
    ...(patch.disputeReason !== undefined ? { disputeReason: patch.disputeReason } : {}),
    ...(patch.outcome !== undefined ? { outcome: patch.outcome } : {}),
    ...(patch.refundAmountMinor !== undefined ? { refundAmountMinor: BigInt(patch.refundAmountMinor) } : {}),
    ...(patch.feeAmountMinor !== undefined ? { feeAmountMinor: BigInt(patch.feeAmountMinor) } : {}),
    ...(patch.reviewExtended !== undefined ? { reviewExtended: patch.reviewExtended } : {}),
  };
  // Compare-and-set: the row lock makes a miss impossible in practice; the
  // version check keeps this correct even if the lock were ever dropped.
  const cas = await tx.escrow.updateMany({ where: { id: row.id, version: row.version, status: row.status }, data });
  if (cas.count !== 1) {
    throw new DomainError({ code: "conflict", message: "The escrow changed while this command ran. Read it again and retry." });
  }

  await postLedgerMovements(tx, ctx, row, decision, now);
  const settlementJson = await applySettlementEffect(tx, row, decision, now);

  const escrow = await tx.escrow.findUniqueOrThrow({ where: { id: row.id } });
  const settlements = await tx.settlement.findMany({ where: { escrowId: row.id }, orderBy: { createdAt: "asc" } });

  await tx.escrowEvent.create({
    data: {
      escrowId: row.id,
      fromStatus: decision.from,
      toStatus: decision.to,
      command: input.command,
      actorKind: actor.kind,
      actorId: actorId(actor),
      reason: decision.auditReason,
      version: escrow.version,
      createdAt: now,
    },
  });
  // Each side hears of the change with the escrow as it sees it (its own allowed_actions).
  const eventFor = (agentId: string, type: string, viewer: "agent" | "customer") =>
    appendAgentEvent(tx, {
      agentId,
      type,
      escrowId: row.id,
      conversationId: row.conversationId,
      data: {
        ...decision.agentEvent.data,
        ...(settlementJson ? { settlement: settlementJson } : {}),
        escrow: toEscrowJson(escrow, openSettlementOf(settlements), viewer, now),
      },
      createdAt: now,
    });
  // A buying agent hears of every change to its purchase as purchase.* (written before the seller's
  // event: locks are taken escrow → buyer agent → seller agent on every path, so none can deadlock).
  if (row.buyerAgentId) await eventFor(row.buyerAgentId, purchaseEventType(decision.agentEvent.type), "customer");
  await eventFor(row.agentId, decision.agentEvent.type, "agent");
  if (decision.systemMessage) {
    await insertMessage(tx, {
      conversationId: row.conversationId,
      escrowId: row.id,
      role: "system",
      text: `${decision.systemMessage} (ref ${row.referenceCode})`,
      createdAt: now,
    });
  }
  await tx.outboxMessage.create({
    data: {
      topic: "escrow.changed",
      requestId: currentRequestId(),
      payload: {
        escrow_id: row.id,
        version: escrow.version,
        status: escrow.status,
        event: decision.agentEvent.type,
        deadline: escrow.deadline?.toISOString() ?? null,
        deadline_action: escrow.deadlineAction ?? null,
      },
      availableAt: now,
      createdAt: now,
    },
  });
  // The timer contract: the new version's deadline and notices are recorded with the change itself.
  await scheduleEscrowTimers(tx, escrow, now, ctx.config);
  return { escrow, settlements, noop: false };
}

/** escrow.funded → purchase.funded: the buyer's feed keeps its purchases apart from its sales. */
export function purchaseEventType(sellerEventType: string): string {
  return sellerEventType.replace(/^escrow\./, "purchase.");
}

async function postLedgerMovements(tx: Tx, ctx: EngineContext, row: EscrowRow, decision: Decision, now: Date): Promise<void> {
  if (decision.ledger.length === 0) return;
  const agent = await tx.agent.findUniqueOrThrow({ where: { id: row.agentId }, select: { ownerId: true } });
  // Only a release pays the seller; a new or risky agent's payout is held first (src/server/risk/holds.ts).
  const releases = decision.ledger.some((m) => m.to === "seller_wallet");
  const payout = releases ? await sellerPayoutAccount(tx, ctx, row, agent.ownerId) : null;
  const accounts: Record<AccountRole, AccountSpec> = {
    buyer_wallet: { key: walletKey(row.customerId, row.currency), kind: "wallet", currency: row.currency, userId: row.customerId },
    seller_wallet: payout?.account ?? { key: walletKey(agent.ownerId, row.currency), kind: "wallet", currency: row.currency, userId: agent.ownerId },
    escrow: { key: escrowAccountKey(row.id), kind: "escrow", currency: row.currency, escrowId: row.id },
    platform_fee: { key: platformFeeKey(row.currency), kind: "platform_fee", currency: row.currency },
  };
  for (const movement of decision.ledger) {
    const result = await postTransfer(tx, {
      operationKey: operationKey(row.id, movement.kind),
      kind: movement.kind,
      from: accounts[movement.from],
      to: accounts[movement.to],
      amountMinor: movement.amountMinor,
      currency: row.currency,
      escrowId: row.id,
    });
    // The escrow's state machine allows each movement once; a duplicate here
    // means the state and the ledger disagree, which must never pass silently.
    if (result.status === "duplicate") {
      throw new Error(`ledger operation ${operationKey(row.id, movement.kind)} was already posted`);
    }
    if (movement.to === "seller_wallet" && payout?.hold) {
      await recordHold(tx, row, agent.ownerId, movement.amountMinor, payout.hold, now);
    }
  }
}

async function applySettlementEffect(tx: Tx, row: EscrowRow, decision: Decision, now: Date) {
  const effect = decision.settlement;
  if (!effect) return null;
  if (effect.action === "accept") {
    await tx.settlement.update({ where: { id: effect.settlementId }, data: { status: "accepted", updatedAt: now } });
    return null;
  }
  await tx.settlement.updateMany({ where: { escrowId: row.id, status: "open" }, data: { status: "superseded", updatedAt: now } });
  const created = await tx.settlement.create({
    data: {
      id: newId("stl"),
      escrowId: row.id,
      proposedBy: effect.proposedBy,
      refundAmountMinor: BigInt(effect.refundAmountMinor),
      status: "open",
      createdAt: now,
      updatedAt: now,
    },
  });
  return toSettlementJson(created);
}
