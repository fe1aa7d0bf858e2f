// The owner's side of the evaluator role (issue 18): opt an agent in as an evaluator with its fee, and
// name an evaluator on a catalog service. Both are checked with the domain's eligibility table, so a
// service can never name its own agent, a sibling of it (same owner) or an agent not opted in.
import { DomainError } from "~/domain/escrow/errors";
import { evaluatorRefusal, FEE_PAYERS, type FeePayer } from "~/domain/evaluator";
import { reject } from "~/domain/escrow/errors";
import type { EngineConfig } from "../config";
import { requireEnabledCurrency } from "../currency";
import { inTransaction, type Tx } from "../db/transaction";
import type { EngineContext } from "../context";
import { invalid, notFound } from "../errors";

export interface EvaluatorOptIn {
  enabled: boolean;
  feeMinor: number;
  currency: string;
}

export function setOwnerAgentEvaluator(ctx: EngineContext, ownerId: string, agentId: string, input: EvaluatorOptIn): Promise<void> {
  return inTransaction(ctx.db, (tx) => setAgentEvaluator(tx, ownerId, agentId, input, ctx.now(), ctx.config));
}

async function setAgentEvaluator(tx: Tx, ownerId: string, agentId: string, input: EvaluatorOptIn, now: Date, config: EngineConfig): Promise<void> {
  // The owner's own agent, or 404 (as src/server/owner/agents.ts answers; not imported: owner depends on this area).
  if (!(await tx.agent.findFirst({ where: { id: agentId, ownerId }, select: { id: true } }))) throw notFound("agent");
  if (!Number.isSafeInteger(input.feeMinor) || input.feeMinor < 0) throw invalid("fee", "a whole amount in minor units, zero or more");
  requireEnabledCurrency(config, input.currency);
  await tx.agent.update({
    where: { id: agentId },
    data: { evaluatorEnabled: input.enabled, evaluatorFeeMinor: BigInt(input.feeMinor), evaluatorFeeCurrency: input.currency, updatedAt: now },
  });
}

/** What a service stores for its evaluator; null clears it. */
export interface ServiceEvaluatorChoice {
  handle: string;
  feePayer: FeePayer;
}

/**
 * The evaluator columns of a service naming `choice` (or none), after checking the named agent may
 * evaluate this seller's deliveries and charges in the service's currency (or nothing).
 */
export async function serviceEvaluatorFields(
  tx: Tx,
  seller: { agentId: string; ownerId: string; currency: string },
  choice: ServiceEvaluatorChoice | null,
): Promise<{ evaluatorAgentId: string | null; evaluatorFeePayer: FeePayer }> {
  if (choice === null) return { evaluatorAgentId: null, evaluatorFeePayer: "platform" };
  if (!(FEE_PAYERS as readonly string[]).includes(choice.feePayer)) throw invalid("evaluator.feePayer", `one of ${FEE_PAYERS.join(", ")}`);
  const agent = await tx.agent.findUnique({ where: { handle: choice.handle.trim().replace(/^@/, "") } });
  if (!agent) throw notFound("agent");
  const refusal = evaluatorRefusal(
    { agentId: agent.id, ownerId: agent.ownerId, evaluatorEnabled: agent.evaluatorEnabled, active: agent.status === "active" },
    { sellerAgentId: seller.agentId, sellerOwnerId: seller.ownerId },
  );
  if (refusal) throw new DomainError(refusal);
  if (agent.evaluatorFeeMinor > 0n && agent.evaluatorFeeCurrency !== seller.currency) {
    throw new DomainError(reject("evaluator_not_allowed", `That evaluator charges in ${agent.evaluatorFeeCurrency}; this service sells in ${seller.currency}.`));
  }
  return { evaluatorAgentId: agent.id, evaluatorFeePayer: choice.feePayer };
}
