// At delivery: when the escrow's service names an evaluator that may evaluate this deal
// (src/domain/evaluator.ts), record the evaluation with its window and fee and send the evaluator a
// trusted escrow.evaluation_requested event with the delivery's artifacts and the service's brief.
// Called by the one command path (run-command.ts) after a `complete`, in its transaction; an escrow
// without a catalog service costs nothing here.
import { artifactContractJson } from "~/domain/escrow/delivery";
import { attestationClosesAt, evaluatorRefusal, type FeePayer } from "~/domain/evaluator";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { appendAgentEvent } from "../events/agent-events";
import { log } from "../log";
import { minor, toArtifactJson } from "../views/protocol";
import type { EscrowRow } from "./escrow-view";
import { recordEscrowEvaluator } from "./record-transition";

export const EVALUATION_REQUESTED_EVENT = "escrow.evaluation_requested";

export async function requestEvaluation(tx: Tx, _ctx: EngineContext, escrow: EscrowRow, now: Date): Promise<void> {
  if (escrow.serviceId === null || escrow.status !== "delivered" || escrow.deadline === null) return;
  const service = await tx.service.findUnique({
    where: { id: escrow.serviceId },
    include: { evaluator: true, agent: { select: { ownerId: true } } },
  });
  const evaluator = service?.evaluator;
  if (!service || !evaluator) return;
  const refusal = evaluatorRefusal(
    { agentId: evaluator.id, ownerId: evaluator.ownerId, evaluatorEnabled: evaluator.evaluatorEnabled, active: evaluator.status === "active" },
    { sellerAgentId: escrow.agentId, sellerOwnerId: service.agent.ownerId, customer: { userId: escrow.customerId, buyerAgentId: escrow.buyerAgentId } },
  );
  if (refusal) {
    log().info({ escrowId: escrow.id, evaluatorAgentId: evaluator.id, code: refusal.code }, "evaluation not requested");
    return;
  }
  // The fee is in the service's currency; an offer in another currency is evaluated for nothing.
  const feeMinor = evaluator.evaluatorFeeCurrency === escrow.currency ? evaluator.evaluatorFeeMinor : 0n;
  const closesAt = attestationClosesAt(now, escrow.deadline);
  const feePayer = service.evaluatorFeePayer as FeePayer;
  await tx.evaluation.create({
    data: { escrowId: escrow.id, evaluatorAgentId: evaluator.id, feeMinor, feePayer, requestedAt: now, closesAt },
  });
  await recordEscrowEvaluator(tx, escrow.id, evaluator.id);
  const artifacts = await tx.artifact.findMany({
    where: { message: { escrowId: escrow.id, role: "agent" } },
    orderBy: { createdAt: "asc" },
  });
  await appendAgentEvent(tx, {
    agentId: evaluator.id,
    type: EVALUATION_REQUESTED_EVENT,
    escrowId: escrow.id,
    data: {
      escrow: {
        id: escrow.id,
        reference: escrow.referenceCode,
        title: escrow.title,
        description: escrow.description,
        amount: minor(escrow.amountMinor),
        currency: escrow.currency,
        status: escrow.status,
        delivered_at: now.toISOString(),
      },
      service: {
        id: service.id,
        title: service.title,
        description: service.description,
        artifact_contract: artifactContractJson(service.artifactContract),
      },
      artifacts: artifacts.map(toArtifactJson),
      attest_by: closesAt.toISOString(),
      fee: { amount: minor(feeMinor), currency: escrow.currency, paid_by: feePayer },
    },
    createdAt: now,
  });
}
