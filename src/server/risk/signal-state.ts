// The persisted side of signals (issue 17): whether an agent's signal is open (its score acts and no
// moderator's review cleared it), the restriction a moderator pinned, and whether an escrow's customer
// stayed absent after delivery. Signals are measured on read (risk/signals.ts); only the reviews
// are stored, so a review that cleared score 50 does not cover a later 65.
import {
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
import { agentSignals } from "./signals";

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

/** The last review that closed a signal ('clear' or 'restrict'); 'suspend' keeps it open. */
async function lastClearingReview(db: Client, agentId: string) {
  return db.agentSignalReview.findFirst({
    where: { agentId, decision: { in: ["clear", "restrict"] } },
    orderBy: { createdAt: "desc" },
    select: { score: true, createdAt: true },
  });
}

/** The agent's open signal, or null when its score does not act or a moderator cleared it. */
export async function openSignalOf(
  db: Client,
  agentId: string,
  /** The deployment's table (EngineConfig.signalActions). */
  rules: readonly SignalActionRule[] = SIGNAL_ACTIONS,
): Promise<OpenSignal | null> {
  if (rules.length === 0) return null;
  const agent = await db.agent.findUnique({ where: { id: agentId }, select: { id: true, ownerId: true } });
  if (!agent) return null;
  const { signals } = await agentSignals(db, agent);
  const score = signalScore(signals);
  const cleared = await lastClearingReview(db, agentId);
  const rule = signalActionFor(score, rules);
  if (!rule || !isSignalOpen(score, cleared, rules)) return null;
  return { score, action: rule.action, explanation: rule.explanation, signals, lastClearedAt: cleared?.createdAt ?? null };
}

/** The moderator's restriction of the agent (its tier pinned to restricted), or null. */
export function restrictionOf(db: Client, agentId: string) {
  return db.agentRestriction.findUnique({ where: { agentId } });
}

/**
 * Whether the customer stayed away after the delivery: no message from the customer's side in the
 * conversation since the escrow was delivered (its last status change). The customer's commands change
 * the status, so a customer who approved, disputed or extended is not "absent".
 */
export async function customerAbsentSinceDelivery(
  db: Client,
  escrow: { conversationId: string; statusChangedAt: Date },
): Promise<boolean> {
  const spoke = await db.message.findFirst({
    where: { conversationId: escrow.conversationId, role: "customer", createdAt: { gte: escrow.statusChangedAt } },
    select: { id: true },
  });
  return spoke === null;
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
  if (!(await customerAbsentSinceDelivery(db, escrow))) return false;
  return (await openSignalOf(db, escrow.agentId, config.signalActions)) !== null;
}
