// An agent's risk tier and what it allows, judged by src/domain/tier-policy.ts on the agent's record
// (src/server/reputation/record.ts: rows a trigger keeps in the transaction that finishes each sale).
// One statement reads the record, so the release path (under the escrow's lock) and an offer (under the
// agent's lock) judge the tier without reading the sales history.
import { promotionFrozenBy, type RiskTier, type TierPolicy } from "~/domain/risk";
import { collusionSignals, signalScore } from "~/domain/signals";
import { judgeTier, tierEvidenceOf, type TierEvidence, type TierJudgement } from "~/domain/tier-policy";
import { currenciesOf, type EngineConfig } from "../config";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { recordFigures, type RecordFigures } from "../reputation/record";
import { agentStanding, type AgentStanding } from "./standing";

type Client = EngineContext["db"] | Tx;
type Judge = { config: EngineConfig; now(): Date };

export interface RiskProfile {
  tier: RiskTier;
  policy: TierPolicy;
  /** The tier policy's steps, each with its reason. */
  judgement: TierJudgement;
  evidence: TierEvidence;
  figures: RecordFigures;
  /** The score of the agent's signals (every signal, measured as the moderators' list measures them), and whether its open signal freezes promotion. */
  signalScore: number;
  promotionFrozen: boolean;
}

/**
 * The tier from a standing already measured (pure apart from the config and the clock). Promotion is
 * frozen by the agent's open signal — every signal the moderators see, not only those the record shows —
 * until a moderator's clearing review covers its score (promotionFrozenBy): the same open-signal state
 * that holds its payouts (signal-state.ts).
 */
export function riskProfileOf(ctx: Judge, standing: Pick<AgentStanding, "record" | "facts" | "lastClearing">): RiskProfile {
  const { record } = standing;
  const figures = recordFigures(record);
  const score = signalScore(collusionSignals(standing.facts));
  const promotionFrozen = promotionFrozenBy(score, standing.lastClearing);
  const evidence = tierEvidenceOf(record.totals, record.buyers, currenciesOf(ctx.config), ctx.config.minTicketMinor);
  const judgement = judgeTier({ evidence, now: ctx.now(), promotionFrozen, tierBeforeFreeze: null, pinned: record.pinned });
  return { tier: judgement.tier, policy: ctx.config.riskPolicies[judgement.tier], judgement, evidence, figures, signalScore: score, promotionFrozen };
}

/** The agent's tier with its evidence and reasons, for the owner's console, GET /me and the locked paths (one statement: its standing). */
export async function agentRiskProfile(client: Client, ctx: Judge, agentId: string): Promise<RiskProfile> {
  return riskProfileOf(ctx, await agentStanding(client, agentId));
}

/** The tier and its limits alone (one statement). A release is judged on the record as it stands when the payout is routed. */
export async function agentRiskTier(client: Client, ctx: Judge, agentId: string): Promise<{ tier: RiskTier; policy: TierPolicy }> {
  const { tier, policy } = await agentRiskProfile(client, ctx, agentId);
  return { tier, policy };
}
