// The one way an escrow command runs: find and lock the row (one statement) → gather the facts the
// domain needs → decide (pure) → record (record-transition.ts, the one write path) in the same
// transaction. Either all of it commits or none of it does.
import type { CommandInput } from "~/domain/escrow/decide";
import { decide } from "~/domain/escrow/decide";
import { readStoredArtifactContract, type DeliveredArtifact } from "~/domain/escrow/delivery";
import { DomainError, isDomainError } from "~/domain/escrow/errors";
import { windowsForCommand } from "~/domain/escrow/review-policy";
import { currenciesOf } from "../config";
import type { EngineContext } from "../context";
import { inTransaction, type Tx } from "../db/transaction";
import { notFound, ServiceError } from "../errors";
import { countTransition } from "../ops/metrics";
import { log } from "../log";
import { inSpan } from "../tracing";
import { assertAcceptWithinLimits } from "../risk/limits";
import { assertNoOpenCardDispute } from "../risk/wallet-freeze";
import { actorKind, escrowRefAndScopeSql, type ActorRef } from "./actors";
import { openSettlementOf, toSnapshot, type EscrowRow, type SettlementRow } from "./escrow-view";
import { minor } from "../views/protocol";
import { recordTransition } from "./record-transition";
import { requestEvaluation } from "./evaluation-request";

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

/**
 * Finds the caller's escrow (by id or reference code, within its scope) and locks its row for the rest
 * of the transaction, in ONE statement; then reads it. Every transition locks its escrow exactly once.
 */
export async function lockEscrow(tx: Tx, escrowRef: string, actor: ActorRef): Promise<EscrowRow> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM escrows WHERE ${escrowRefAndScopeSql(escrowRef, actor)} FOR UPDATE`;
  const id = locked[0]?.id;
  const row = id === undefined ? null : await tx.escrow.findUnique({ where: { id } });
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
  const { config } = ctx;
  const escrowAmount = { amountMinor: minor(row.amountMinor), currency: row.currency };
  const windows = windowsForCommand(input.command, escrowAmount, config.windows, config.reviewPolicy ?? null, currenciesOf(config));
  const result = decide(toSnapshot(row, openSettlementOf(settlements)), input, actorKind(actor), now, windows, row.currency);
  if (!result.ok) throw new DomainError(result.rejection);
  if (result.noop) return { escrow: row, settlements, noop: true };
  // Funding re-checks the seller's tier limits under its row lock (taken after the escrow's and the
  // buying agent's, the lock order of every path): its tier may have dropped since the offer.
  if (input.command === "accept") {
    // A chargeback in progress freezes the customer's wallet for new orders (issue 15 item 5).
    await assertNoOpenCardDispute(tx, row.customerId);
    await assertAcceptWithinLimits(tx, ctx, row);
  }
  const recorded = await recordTransition(tx, ctx, row, actor, input.command, result, now);
  // A delivery of a service that names an evaluator asks it to check (issue 18, src/server/evaluator/).
  if (input.command === "complete") await requestEvaluation(tx, ctx, recorded.escrow, now);
  return { ...recorded, noop: false };
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
    sha256: a.sha256,
    sizeBytes: minor(a.sizeBytes),
    ...(a.data !== null ? { data: a.data } : {}),
  }));
  return {
    command: "complete",
    artifactsSinceStatusChange: delivered,
    contract: readStoredArtifactContract(service?.artifactContract ?? null),
  };
}
