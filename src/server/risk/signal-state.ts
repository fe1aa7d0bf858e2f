// The persisted side of signals (issue 17): whether an agent's signal is open (its score acts and no
// moderator's review cleared it), the restriction a moderator pinned, and whether an escrow's customer
// stayed absent after delivery. Signals are measured on read (risk/signals.ts); only the reviews
// are stored, so a review that cleared score 50 does not cover a later 65.
import {
  collusionSignals,
  isSignalOpen,
  SIGNAL_ACTIONS,
  signalActionFor,
  signalScore,
  type Signal,
  type SignalAction,
  type SignalActionRule,
} from "~/domain/signals";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { agentStanding, agentStandingFor, type AgentStanding } from "./standing";

type Client = EngineContext["db"] | Tx;

export interface OpenSignal {
  score: number;
  action: SignalAction;
  /** What the action does, in plain words (owner and moderator). */
  explanation: string;
  signals: Signal[];
  /** The last moderator review that cleared an earlier signal of this agent; null if none did. */
  lastClearedAt: Date | null;
}

/** The agent's open signal, or null when its score does not act or a moderator cleared it. */
export async function openSignalOf(
  db: Client,
  agentId: string,
  /** The deployment's table (EngineConfig.signalActions). */
  rules: readonly SignalActionRule[] = SIGNAL_ACTIONS,
): Promise<OpenSignal | null> {
  if (rules.length === 0) return null;
  return openSignalIn(await agentStanding(db, agentId), rules);
}

/** The open signal of a standing already measured (one statement: src/server/risk/standing.ts). */
export function openSignalIn(standing: AgentStanding, rules: readonly SignalActionRule[] = SIGNAL_ACTIONS): OpenSignal | null {
  if (rules.length === 0) return null;
  const signals = collusionSignals(standing.facts);
  const score = signalScore(signals);
  const cleared = standing.lastClearing;
  const rule = signalActionFor(score, rules);
  if (!rule || !isSignalOpen(score, cleared, rules)) return null;
  return { score, action: rule.action, explanation: rule.explanation, signals, lastClearedAt: cleared?.createdAt ?? null };
}


/**
 * The auto-release timer's domain input (SPEC §6.1, issue 17 item 4): the money is not released on
 * silence to an agent with an open signal — the escrow goes to a moderator instead.
 */
export async function agentUnderReviewAtRelease(
  db: Client,
  config: { signalActions?: readonly SignalActionRule[] },
  escrow: { agentId: string; conversationId: string; statusChangedAt: Date },
): Promise<boolean> {
  const rules = config.signalActions ?? SIGNAL_ACTIONS;
  if (rules.length === 0) return false;
  // The customer's silence since the delivery (no customer message since the escrow's last status change:
  // the customer's commands change the status) and the agent's signals, in the standing's one statement,
  // which the release's payout routing then reuses.
  const standing = await agentStandingFor(db, escrow);
  if (!standing.customerAbsent) return false;
  return openSignalIn(standing, rules) !== null;
}
