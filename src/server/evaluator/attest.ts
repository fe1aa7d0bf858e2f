// `attest`: the evaluator's one verdict on a delivery (src/domain/evaluator.ts decides whether it may).
// In the caller's transaction, under the escrow's row lock: the attestation, its audit row (an
// escrow_events row with actor `evaluator`, so it enters the receipt chain), the parties' events, and
// on `fail` the dispute opened on the customer's behalf through the one command path, the report as reason.
import { DomainError } from "~/domain/escrow/errors";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { attestRefusal, failDisputeReason, reportProblem, VERDICT_EFFECTS, type Verdict } from "~/domain/evaluator";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { invalid, notFound } from "../errors";
import { appendAgentEvent } from "../events/agent-events";
import type { ActorRef } from "../escrow/actors";
import { escrowRefFilter } from "../escrow/actors";
import type { EscrowRow } from "../escrow/escrow-view";
import { recordAuditOnly, recordEvaluatorDispute, purchaseEventType } from "../escrow/record-transition";
import { executeOnLockedEscrow } from "../escrow/run-command";
import { attestationJson, type AttestationJson } from "./evaluation-view";

export const ATTESTED_EVENT = "escrow.attested";

/**
 * The escrow this evaluator may attest to, locked: the evaluator named on it, or a party to it (who is
 * then told it is not the evaluator). Anyone else is told the escrow does not exist.
 */
export async function requireAttestableEscrow(tx: Tx, agentId: string, ref: unknown): Promise<{ id: string }> {
  if (typeof ref !== "string" || ref.length === 0 || ref.length > FIELD_LIMITS.escrowRefChars) throw notFound("escrow");
  const found = await tx.escrow.findFirst({
    where: { AND: [escrowRefFilter(ref), { OR: [{ evaluatorAgentId: agentId }, { agentId }, { buyerAgentId: agentId }] }] },
    select: { id: true },
  });
  if (!found) throw notFound("escrow");
  return found;
}

async function lockEvaluatedEscrow(tx: Tx, agentId: string, ref: string): Promise<EscrowRow> {
  const found = await requireAttestableEscrow(tx, agentId, ref);
  await tx.$queryRaw`SELECT id FROM escrows WHERE id = ${found.id} FOR UPDATE`;
  return tx.escrow.findUniqueOrThrow({ where: { id: found.id } });
}

export async function attest(
  tx: Tx,
  ctx: EngineContext,
  evaluatorAgentId: string,
  ref: string,
  input: { verdict: Verdict; report: string },
): Promise<{ attestation: AttestationJson; escrow: EscrowRow }> {
  const problem = reportProblem(input.report);
  if (problem) throw invalid("report", problem);
  const row = await lockEvaluatedEscrow(tx, evaluatorAgentId, ref);
  const now = ctx.now();
  const evaluation = await tx.evaluation.findUnique({ where: { escrowId: row.id }, include: { evaluator: { select: { displayName: true } } } });
  const refusal = attestRefusal(
    evaluation
      ? { evaluatorAgentId: evaluation.evaluatorAgentId, closesAt: evaluation.closesAt, verdict: evaluation.verdict as Verdict | null }
      : { evaluatorAgentId: "", closesAt: now, verdict: null },
    evaluatorAgentId,
    row.status,
    now,
  );
  if (refusal || !evaluation) throw new DomainError(refusal ?? { code: "not_evaluator", message: "This escrow has no evaluator." });
  const saved = await tx.evaluation.update({
    where: { escrowId: row.id },
    data: { verdict: input.verdict, report: input.report, attestedAt: now },
    include: { evaluator: { select: { displayName: true, handle: true } } },
  });
  await recordAuditOnly(tx, {
    escrowId: row.id,
    status: row.status,
    version: row.version,
    command: "attest",
    actor: { kind: "evaluator", agentId: evaluatorAgentId },
    reason: `${input.verdict}: ${input.report}`,
    now,
  });
  const attestation = attestationJson(saved, now);
  const eventFor = (agentId: string, type: string) =>
    appendAgentEvent(tx, { agentId, type, escrowId: row.id, conversationId: row.conversationId, data: { escrow_id: row.id, attestation }, createdAt: now });
  if (row.buyerAgentId) await eventFor(row.buyerAgentId, purchaseEventType(ATTESTED_EVENT));
  await eventFor(row.agentId, ATTESTED_EVENT);
  if (!VERDICT_EFFECTS[input.verdict].opensDispute) return { attestation, escrow: row };
  const customer: ActorRef = row.buyerAgentId ? { kind: "buyer_agent", agentId: row.buyerAgentId } : { kind: "customer", userId: row.customerId };
  const disputed = await executeOnLockedEscrow(tx, ctx, row, customer, {
    command: "dispute",
    reason: failDisputeReason(saved.evaluator.displayName, input.report),
  });
  // This dispute is the evaluator's: the customer may withdraw it while the escrow stays at this version
  // (disputed, the agent has not answered: `withdraw_dispute`, src/domain/escrow/transitions.ts).
  const { version } = disputed.escrow;
  await recordEvaluatorDispute(tx, row.id, version);
  return { attestation, escrow: { ...disputed.escrow, evaluatorDisputeVersion: version } };
}
