// An agent's risk tier and what it allows, from its reputation.
import { riskTierFor, type RiskTier, type TierPolicy } from "~/domain/risk";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import type { Reputation } from "~/domain/reputation";
import { agentReputation } from "../reputation/reputation";

export interface RiskProfile {
  /** The record the tier was judged on. */
  reputation: Reputation;
  tier: RiskTier;
  policy: TierPolicy;
}

export async function agentRiskProfile(
  client: EngineContext["db"] | Tx,
  policies: Readonly<Record<RiskTier, TierPolicy>>,
  agentId: string,
  /** The escrow being released: judged on the record before it, not including it. */
  excludeEscrowId?: string,
): Promise<RiskProfile> {
  const reputation = await agentReputation({ db: client as Tx }, agentId, excludeEscrowId ? { excludeEscrowId } : {});
  const tier = riskTierFor(reputation);
  return { reputation, tier, policy: policies[tier] };
}
