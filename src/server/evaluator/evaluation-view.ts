// The evaluation as the parties, the evaluator and the web app see it (additive PROTOCOL object
// `attestation`), and the evaluator's public record: its verdicts and how often moderators agreed.
import { evaluationState, evaluatorRecord, type EvaluationState, type EvaluatorRecord, type Verdict } from "~/domain/evaluator";
import type { EscrowOutcome } from "~/domain/escrow/states";
import type { EngineContext } from "../context";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { escrowRefFilter } from "../escrow/actors";
import type { Tx } from "../db/transaction";

export interface AttestationJson {
  evaluator: { handle: string; display_name: string };
  state: EvaluationState;
  verdict: Verdict | null;
  report: string | null;
  attested_at: string | null;
  attest_by: string;
}

interface EvaluationRow {
  verdict: string | null;
  report: string | null;
  attestedAt: Date | null;
  closesAt: Date;
  evaluatorAgentId: string;
  evaluator: { displayName: string; handle: string };
}

export function attestationJson(row: EvaluationRow, now: Date): AttestationJson {
  const verdict = row.verdict as Verdict | null;
  return {
    evaluator: { handle: row.evaluator.handle, display_name: row.evaluator.displayName },
    state: evaluationState({ evaluatorAgentId: row.evaluatorAgentId, closesAt: row.closesAt, verdict }, now),
    verdict,
    report: row.report,
    attested_at: row.attestedAt?.toISOString() ?? null,
    attest_by: row.closesAt.toISOString(),
  };
}

/** The escrow's evaluation, or null when its service names no evaluator. */
export async function evaluationOf(db: Db | Tx, escrowId: string, now: Date): Promise<AttestationJson | null> {
  const row = await db.evaluation.findUnique({ where: { escrowId }, include: { evaluator: { select: { displayName: true, handle: true } } } });
  return row ? attestationJson(row, now) : null;
}

/** An evaluator's public record: verdicts given, and of the escrows a moderator later decided, how many agreed. */
export async function evaluatorPublicRecord(db: Db | Tx, agentId: string): Promise<EvaluatorRecord> {
  const rows = await db.evaluation.findMany({
    where: { evaluatorAgentId: agentId, verdict: { not: null } },
    select: { verdict: true, escrow: { select: { outcome: true, events: { where: { command: "decide" }, select: { id: true }, take: 1 } } } },
  });
  return evaluatorRecord(
    rows.map((r) => ({
      verdict: r.verdict as Verdict,
      moderatorOutcome: r.escrow.events.length > 0 ? (r.escrow.outcome as EscrowOutcome | null) : null,
    })),
  );
}

/** The evaluation of the customer's own escrow (the chat shows it beside the delivery); 404 for anyone else's. */
export async function customerEvaluation(ctx: EngineContext, customerId: string, escrowRef: string): Promise<AttestationJson | null> {
  const escrow = await ctx.db.escrow.findFirst({ where: { AND: [escrowRefFilter(escrowRef), { customerId }] }, select: { id: true } });
  if (!escrow) throw notFound("escrow");
  return evaluationOf(ctx.db, escrow.id, ctx.now());
}
