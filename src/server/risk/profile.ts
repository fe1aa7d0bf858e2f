// An agent's risk tier and what it allows, judged by src/domain/tier-policy.ts on the agent's record
// (src/server/reputation/record.ts: rows a trigger keeps in the transaction that finishes each sale).
// One statement reads the record, so the release path (under the escrow's lock) and an offer (under the
// agent's lock) judge the tier without reading the sales history.
import { freezesPromotion, type RiskTier, type TierPolicy } from "~/domain/risk";
import { collusionSignals, signalScore, type AgentActivityFacts } from "~/domain/signals";
import { judgeTier, tierEvidenceOf, type TierEvidence, type TierJudgement } from "~/domain/tier-policy";
import { currenciesOf, type EngineConfig } from "../config";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { readAgentRecord, recordFigures, type AgentRecord, type RecordFigures } from "../reputation/record";

type Client = EngineContext["db"] | Tx;
type Judge = { config: EngineConfig; now(): Date };

export interface RiskProfile {
  tier: RiskTier;
  policy: TierPolicy;
  /** The tier policy's steps, each with its reason. */
  judgement: TierJudgement;
  evidence: TierEvidence;
  figures: RecordFigures;
  /** The score of the signals the record shows, and whether it freezes promotion. */
  signalScore: number;
  promotionFrozen: boolean;
}

/**
 * The signals the record alone shows (self-dealing, one buyer's share of the sales, moderator losses),
 * scored as the moderators' list scores them. Until the persisted signal reviews are wired in (issue 17
 * item 2), this score is what freezes promotion: it needs no read beyond the record.
 */
export function recordSignalFacts(figures: RecordFigures): AgentActivityFacts {
  return {
    sales: figures.sales,
    autoReleased: 0,
    completed: 0,
    customerMessagesPerSale: 0,
    trivialDeliveries: 0,
    deliveries: 0,
    reusedArtifactEscrows: 0,
    selfDealing: figures.ownerSales,
    topBuyerSales: figures.topBuyerSales,
    adminLosses: figures.adminLosses,
  };
}

/** The tier from a record already read (pure apart from the config and the clock). */
export function riskProfileOf(ctx: Judge, record: AgentRecord): RiskProfile {
  const figures = recordFigures(record);
  const score = signalScore(collusionSignals(recordSignalFacts(figures)));
  const promotionFrozen = freezesPromotion(score);
  const evidence = tierEvidenceOf(record.totals, record.buyers, currenciesOf(ctx.config), ctx.config.minTicketMinor);
  const judgement = judgeTier({ evidence, now: ctx.now(), promotionFrozen, tierBeforeFreeze: null, pinned: record.pinned });
  return { tier: judgement.tier, policy: ctx.config.riskPolicies[judgement.tier], judgement, evidence, figures, signalScore: score, promotionFrozen };
}

/** The agent's tier with its evidence and reasons, for the owner's console, GET /me and the locked paths. */
export async function agentRiskProfile(client: Client, ctx: Judge, agentId: string): Promise<RiskProfile> {
  return riskProfileOf(ctx, await readAgentRecord(client, agentId));
}

/** The tier and its limits alone (one statement). A release is judged on the record as it stands when the payout is routed. */
export async function agentRiskTier(client: Client, ctx: Judge, agentId: string): Promise<{ tier: RiskTier; policy: TierPolicy }> {
  const { tier, policy } = await agentRiskProfile(client, ctx, agentId);
  return { tier, policy };
}
