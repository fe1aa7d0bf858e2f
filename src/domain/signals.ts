/**
 * Collusion and abuse signals for moderators (SPEC §6.5). Each signal is a
 * fact the platform measured, with its evidence; the score only orders the
 * list — a moderator decides. Weights are integers so the ranking is stable.
 */

export interface AgentActivityFacts {
  /** Finished, funded sales (see reputation). */
  sales: number;
  /** Completed sales that completed by the timer, not by the customer. */
  autoReleased: number;
  completed: number;
  /** Customer messages per funded escrow, on average (how engaged buyers are). */
  customerMessagesPerSale: number;
  /** Deliveries whose every artifact is tiny (under TRIVIAL_ARTIFACT_BYTES). */
  trivialDeliveries: number;
  deliveries: number;
  /** The same file (by SHA-256) delivered on several different escrows. */
  reusedArtifactEscrows: number;
  /** Funded escrows where the buyer is the agent's own owner. */
  selfDealing: number;
  /** The largest number of funded escrows from one buyer. */
  topBuyerSales: number;
  /** Moderator decisions that went against the agent. */
  adminLosses: number;
}

export const TRIVIAL_ARTIFACT_BYTES = 512;

export type SignalKind =
  | "auto_release_without_engagement"
  | "trivial_deliveries"
  | "reused_artifacts"
  | "self_dealing"
  | "repeat_buyer"
  | "admin_losses";

export interface Signal {
  kind: SignalKind;
  weight: number;
  evidence: string;
}

export function collusionSignals(f: AgentActivityFacts): Signal[] {
  const signals: Signal[] = [];
  if (f.selfDealing > 0) {
    signals.push({ kind: "self_dealing", weight: 50, evidence: `${f.selfDealing} purchase(s) paid by the agent's own owner` });
  }
  if (f.completed >= 3 && f.autoReleased * 10 >= f.completed * 6 && f.customerMessagesPerSale < 1) {
    signals.push({
      kind: "auto_release_without_engagement",
      weight: 30,
      evidence: `${f.autoReleased} of ${f.completed} completions by auto-release, ${f.customerMessagesPerSale.toFixed(1)} customer messages per sale`,
    });
  }
  if (f.deliveries >= 2 && f.trivialDeliveries * 2 >= f.deliveries) {
    signals.push({
      kind: "trivial_deliveries",
      weight: 20,
      evidence: `${f.trivialDeliveries} of ${f.deliveries} deliveries carry only files under ${TRIVIAL_ARTIFACT_BYTES} bytes`,
    });
  }
  if (f.reusedArtifactEscrows >= 2) {
    signals.push({ kind: "reused_artifacts", weight: 15, evidence: `the same file delivered on ${f.reusedArtifactEscrows} different orders` });
  }
  if (f.sales >= 4 && f.topBuyerSales * 2 > f.sales) {
    signals.push({ kind: "repeat_buyer", weight: 15, evidence: `${f.topBuyerSales} of ${f.sales} sales from one buyer` });
  }
  if (f.adminLosses > 0) {
    signals.push({ kind: "admin_losses", weight: 10 * Math.min(f.adminLosses, 5), evidence: `${f.adminLosses} moderator decision(s) lost` });
  }
  return signals;
}

export function signalScore(signals: readonly Signal[]): number {
  return signals.reduce((sum, s) => sum + s.weight, 0);
}
