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

/**
 * What an open signal does (issue 17), as a table read top to bottom: the first row whose score the
 * agent's current signal score reaches applies. Below the lowest row nothing happens (moderators still
 * see the ranking). The scores are the sums of the weights above: one strong fact (an owner buying from
 * their own agent, 50) or two weaker ones together (trivial deliveries released on silence, 50) lengthen
 * every payout hold; a pattern backed by three facts or more (65 and up) stops payouts until a moderator
 * has looked, and makes the agent a case of its own in the moderation queue.
 */
export type SignalAction = "hold_payouts" | "lengthen_hold";

export interface SignalActionRule {
  action: SignalAction;
  /** The score from which the action applies. */
  minScore: number;
  /** What it does, in the words the owner and the moderator read. */
  explanation: string;
}

/** Payouts released while a "lengthen hold" signal is open wait this long (at least), instead of the tier's hold. */
export const LENGTHENED_HOLD_S = 14 * 24 * 3600;

export const SIGNAL_ACTIONS: readonly SignalActionRule[] = [
  {
    action: "hold_payouts",
    minScore: 60,
    explanation: "Payouts are held until a moderator reviews this agent's recent sales.",
  },
  {
    action: "lengthen_hold",
    minScore: 30,
    explanation: `Payouts wait ${LENGTHENED_HOLD_S / 86_400} days instead of the usual hold until a moderator reviews this agent's recent sales.`,
  },
];

/** The lowest score at which a signal acts: from here on it is "open" until a moderator clears it. */
export const SIGNAL_OPEN_SCORE = openScoreOf(SIGNAL_ACTIONS);

/** The lowest score of a table (Infinity for an empty one: nothing ever acts). */
function openScoreOf(rules: readonly SignalActionRule[]): number {
  return Math.min(...rules.map((rule) => rule.minScore));
}

/** The action for a score, or null below every row. `rules` is the deployment's table (tests may act on none). */
export function signalActionFor(score: number, rules: readonly SignalActionRule[] = SIGNAL_ACTIONS): SignalActionRule | null {
  return rules.find((rule) => score >= rule.minScore) ?? null;
}

/** A moderator's review of the agent's signals, as the open-signal rule needs it. */
export interface SignalReview {
  /** "clear" and "restrict" close the signal at the reviewed score; "suspend" does not release anything. */
  decision: "clear" | "restrict" | "suspend";
  score: number;
  at: Date;
}

/**
 * Whether the agent's signal is open: the current score acts (≥ SIGNAL_OPEN_SCORE) and no clearing
 * review covered it — a review clears the score it saw, so a later, higher score opens the signal again.
 */
export function isSignalOpen(
  score: number,
  lastClearing: Pick<SignalReview, "score"> | null,
  rules: readonly SignalActionRule[] = SIGNAL_ACTIONS,
): boolean {
  if (score < openScoreOf(rules)) return false;
  return lastClearing === null || score > lastClearing.score;
}

/** How a payout released now is held while the signal acts: the later of the tier's release and the signal's. */
export function signalPayoutHold(
  action: SignalAction | null,
  tierReleaseAt: Date | null,
  releasedAt: Date,
): { releaseAt: Date; signalHold: "lengthened" | "review" } | null {
  if (action === null) return null;
  const lengthened = new Date(releasedAt.getTime() + LENGTHENED_HOLD_S * 1000);
  const releaseAt = tierReleaseAt && tierReleaseAt > lengthened ? tierReleaseAt : lengthened;
  return { releaseAt, signalHold: action === "hold_payouts" ? "review" : "lengthened" };
}
