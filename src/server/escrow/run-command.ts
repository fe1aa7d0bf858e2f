// The one way an escrow command runs: find, lock and read the row with the facts the domain needs (one
// statement) → decide (pure) → record (record-transition.ts, the one write path: one statement) in the
// same transaction. Either all of it commits or none of it does.
import type { CommandInput } from "~/domain/escrow/decide";
import { decide } from "~/domain/escrow/decide";
import { readStoredArtifactContract, type DeliveredArtifact } from "~/domain/escrow/delivery";
import { DomainError, isDomainError } from "~/domain/escrow/errors";
import { windowsForCommand } from "~/domain/escrow/review-policy";
import { currenciesOf } from "../config";
import type { EngineContext } from "../context";
import { Prisma } from "../db/generated/client";
import { inTransaction, type Tx } from "../db/transaction";
import { notFound, ServiceError } from "../errors";
import { countTransition } from "../ops/metrics";
import { log } from "../log";
import { inSpan } from "../tracing";
import { assertAcceptWithinLimits } from "../risk/limits";
import { assertNoOpenCardDispute, CLOSED_DISPUTE_STATUSES, walletFrozenError } from "../risk/wallet-freeze";
import { actorKind, escrowRefAndScopeSql, type ActorRef } from "./actors";
import { openSettlementOf, toSnapshot, type EscrowRow, type SettlementRow } from "./escrow-view";
import { minor } from "../views/protocol";
import { recordTransition, type TransitionExtras, type TransitionFacts } from "./record-transition";
import { requestEvaluation } from "./evaluation-request";
import { settlementsOf } from "./escrow-reads";

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

/** What the lock-and-read statement knows beside the row, kept for the decision made on it. */
const lockedFacts = new WeakMap<EscrowRow, TransitionFacts & { openCardDisputes: number | null }>();

/**
 * Finds the caller's escrow (by id or reference code, within its scope), locks its row for the rest of
 * the transaction and reads it with what a transition needs (its settlements, the seller's owner, the
 * customer's open card disputes), in ONE statement. Every transition locks its escrow exactly once.
 */
export async function lockEscrow(tx: Tx, escrowRef: string, actor: ActorRef): Promise<EscrowRow> {
  const [escrow] = await lockEscrowsWhere(tx, escrowRefAndScopeSql(escrowRef, actor));
  if (!escrow) throw notFound("escrow");
  return escrow;
}

/** Several escrows by id, locked in id order (the order every batch takes), each read as `lockEscrow` reads one. */
export async function lockEscrowsById(tx: Tx, ids: readonly string[]): Promise<Map<string, EscrowRow>> {
  const sorted = [...new Set(ids)].sort();
  const rows = await lockEscrowsWhere(tx, Prisma.sql`e.id = ANY(${sorted}::text[]) ORDER BY e.id`);
  return new Map(rows.map((r) => [r.id, r]));
}

async function lockEscrowsWhere(tx: Tx, where: Prisma.Sql): Promise<EscrowRow[]> {
  const rows = await tx.$queryRaw<LockedRow[]>`
    SELECT e.id, e.reference_code AS "referenceCode", e.conversation_id AS "conversationId", e.agent_id AS "agentId",
           e.customer_id AS "customerId", e.buyer_agent_id AS "buyerAgentId", e.service_id AS "serviceId", e.title,
           e.description, e.amount_minor AS "amountMinor", e.currency, e.fee_bps AS "feeBps",
           e.fee_amount_minor AS "feeAmountMinor", e.status::text AS status, e.version, e.deadline,
           e.deadline_action::text AS "deadlineAction", e.delivery_in_hours AS "deliveryInHours", e.due_at AS "dueAt",
           e.dispute_reason AS "disputeReason", e.outcome::text AS outcome, e.refund_amount_minor AS "refundAmountMinor",
           e.review_extended AS "reviewExtended", e.status_changed_at AS "statusChangedAt", e.created_at AS "createdAt",
           e.updated_at AS "updatedAt", e.evaluator_agent_id AS "evaluatorAgentId", e.evaluator_dispute_version AS "evaluatorDisputeVersion",
           (SELECT s.version FROM escrows s WHERE s.id = e.id) AS "snapshotVersion",
           (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', st.id, 'proposedBy', st.proposed_by, 'refundAmountMinor',
                   st.refund_amount_minor::text, 'status', st.status, 'createdAt', st.created_at, 'updatedAt', st.updated_at)
                   ORDER BY st.created_at, st.id), '[]'::jsonb)
              FROM settlements st WHERE st.escrow_id = e.id) AS settlements,
           (SELECT a.owner_id FROM agents a WHERE a.id = e.agent_id) AS "sellerOwnerId",
           (SELECT count(*) FROM card_disputes d
             WHERE e.status = 'pending' AND d.user_id = e.customer_id AND d.status <> ALL (${CLOSED_DISPUTE_STATUSES}::text[]))::int AS "openCardDisputes"
      FROM escrows e WHERE ${where} FOR UPDATE OF e`;
  const out: EscrowRow[] = [];
  for (const locked of rows) {
    const { snapshotVersion, settlements, sellerOwnerId, openCardDisputes, ...row } = locked;
    const escrow = row as EscrowRow;
    // The subqueries read the statement's snapshot; if this statement waited for the lock while another
    // transition committed, the row is the new version but they may be stale: read them again.
    const fresh = snapshotVersion === escrow.version;
    lockedFacts.set(escrow, {
      settlements: fresh ? settlements.map(settlementFromJson(escrow.id)) : await settlementsOf(tx, escrow.id),
      sellerOwnerId,
      openCardDisputes,
    });
    out.push(escrow);
  }
  return out;
}

type LockedRow = Omit<EscrowRow, never> & {
  snapshotVersion: number | null;
  settlements: { id: string; proposedBy: string; refundAmountMinor: string; status: string; createdAt: string; updatedAt: string }[];
  sellerOwnerId: string;
  openCardDisputes: number;
};

function settlementFromJson(escrowId: string) {
  return (s: LockedRow["settlements"][number]): SettlementRow => ({
    id: s.id,
    escrowId,
    proposedBy: s.proposedBy as SettlementRow["proposedBy"],
    refundAmountMinor: BigInt(s.refundAmountMinor),
    status: s.status as SettlementRow["status"],
    createdAt: new Date(s.createdAt),
    updatedAt: new Date(s.updatedAt),
  });
}

/** The facts read with the lock, or (a row locked some other way) read now. */
async function factsFor(tx: Tx, row: EscrowRow) {
  const known = lockedFacts.get(row);
  if (known) return known;
  const [settlements, seller] = await Promise.all([
    settlementsOf(tx, row.id),
    tx.agent.findUniqueOrThrow({ where: { id: row.agentId }, select: { ownerId: true } }),
  ]);
  return { settlements, sellerOwnerId: seller.ownerId, openCardDisputes: null };
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
  extras: TransitionExtras = {},
): Promise<CommandResult> {
  // The transition's span (a child of the request's or the timer's), its one log line, which carries
  // the request id of the run that caused it (src/server/log.ts), and its count by outcome (metrics).
  // Logged when decided: a transaction that later rolls back shows as the request's 5xx or the job's
  // failure line.
  const fields = { escrowId: row.id, command: request.command, from: row.status, version: row.version, actorKind: actor.kind };
  return inSpan(`escrow.transition ${request.command}`, { attributes: { "holdfast.escrow_id": row.id, "holdfast.command": request.command } }, async (span) => {
    try {
      const result = await decideAndApply(tx, ctx, row, actor, request, extras);
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
  extras: TransitionExtras,
): Promise<CommandResult> {
  const now = ctx.now();
  const facts = await factsFor(tx, row);
  const { settlements } = facts;
  const { input, service } = await completeInput(tx, row, request);
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
    if (facts.openCardDisputes === null) await assertNoOpenCardDispute(tx, row.customerId);
    else if (facts.openCardDisputes > 0) throw walletFrozenError();
    await assertAcceptWithinLimits(tx, ctx, row);
  }
  const recorded = await recordTransition(tx, ctx, row, actor, input.command, result, now, facts, extras);
  // A delivery of a service that names an evaluator asks it to check (issue 18, src/server/evaluator/).
  // Only a service that names one costs a read more (the service row was read for the contract).
  if (input.command === "complete" && service?.evaluatorAgentId) await requestEvaluation(tx, ctx, recorded.escrow, now);
  // Still locked by this transaction: a batch firing the escrow's next timer decides on it without a read.
  lockedFacts.set(recorded.escrow, { settlements: recorded.settlements, sellerOwnerId: facts.sellerOwnerId, openCardDisputes: null });
  return { ...recorded, noop: false };
}

/** `complete` is decided on the platform's record: artifacts the agent sent on this escrow since its last status change. */
async function completeInput(
  tx: Tx,
  row: EscrowRow,
  request: CommandRequest,
): Promise<{ input: CommandInput; service: { evaluatorAgentId: string | null } | null }> {
  if (request.command !== "complete") return { input: request, service: null };
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
    input: { command: "complete", artifactsSinceStatusChange: delivered, contract: readStoredArtifactContract(service?.artifactContract ?? null) },
    service,
  };
}
