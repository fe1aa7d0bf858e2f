// The agent case (issue 17): an agent whose open signal acts is a case of its own for moderators — the
// evidence, the escrows involved, the payouts its signal holds — decided "clear", "restrict" or "suspend"
// with a note. Each decision is one transaction with its review row and its moderation-log entry.
import { signalScore, type Signal, type SignalAction } from "~/domain/signals";
import { hasVisibleText, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import { agentAccessChanged } from "../auth/agent-key-cache";
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import { newId } from "../ids";
import { invalid, notFound } from "../errors";
import { resetSignalHolds } from "../risk/holds";
import { openSignalOf } from "../risk/signal-state";
import { agentSignals, rankAgentsBySignals } from "../risk/signals";

export type AgentCaseDecision = "clear" | "restrict" | "suspend";

export interface AgentCase {
  agent: { id: string; handle: string; display_name: string; status: string; restricted: boolean };
  score: number;
  /** What the open signal does; null when no signal is open (reviewed, or below the thresholds). */
  action: SignalAction | null;
  explanation: string | null;
  signals: Signal[];
  escrows: { id: string; reference_code: string; title: string; amount: number; currency: string; status: string; customer_id: string }[];
  held_payouts: { escrow_id: string; amount: number; currency: string; release_at: string; signal_hold: string | null }[];
  reviews: { decision: string; score: number; note: string; at: string }[];
}

export async function agentCase(ctx: EngineContext, agentId: string): Promise<AgentCase> {
  const agent = await ctx.db.agent.findUnique({ where: { id: agentId } });
  if (!agent) throw notFound("agent");
  const [open, measured, restriction, escrows, holds, reviews] = await Promise.all([
    openSignalOf(ctx.db, agentId, ctx.config.signalActions),
    agentSignals(ctx.db, agent),
    ctx.db.agentRestriction.findUnique({ where: { agentId } }),
    ctx.db.escrow.findMany({ where: { agentId, transfers: { some: { kind: "fund" } } }, orderBy: { createdAt: "desc" }, take: 50 }),
    ctx.db.payoutHold.findMany({ where: { agentId, releasedAt: null }, orderBy: { createdAt: "asc" } }),
    ctx.db.agentSignalReview.findMany({ where: { agentId }, orderBy: { createdAt: "desc" }, take: 20 }),
  ]);
  return {
    agent: { id: agent.id, handle: agent.handle, display_name: agent.displayName, status: agent.status, restricted: restriction !== null },
    score: signalScore(measured.signals),
    action: open?.action ?? null,
    explanation: open?.explanation ?? null,
    signals: measured.signals,
    escrows: escrows.map((e) => ({
      id: e.id,
      reference_code: e.referenceCode,
      title: e.title,
      amount: Number(e.amountMinor),
      currency: e.currency,
      status: e.status,
      customer_id: e.customerId,
    })),
    held_payouts: holds.map((h) => ({
      escrow_id: h.escrowId,
      amount: Number(h.amountMinor),
      currency: h.currency,
      release_at: h.releaseAt.toISOString(),
      signal_hold: h.signalHold,
    })),
    reviews: reviews.map((r) => ({ decision: r.decision, score: r.score, note: r.note, at: r.createdAt.toISOString() })),
  };
}

/** The agents whose open signal holds payouts (the queue's agent cases), most suspicious first. */
export async function agentCaseQueue(ctx: EngineContext): Promise<AgentCase[]> {
  const cases: AgentCase[] = [];
  for (const ranked of await rankAgentsBySignals(ctx)) {
    const open = await openSignalOf(ctx.db, ranked.agent.id, ctx.config.signalActions);
    if (open) cases.push(await agentCase(ctx, ranked.agent.id));
  }
  return cases;
}

const DECISION_LOG = { clear: "clear_signal", restrict: "restrict_agent", suspend: "suspend_agent" } as const;

/**
 * A moderator's decision on the agent case. "clear" closes the signal at the score reviewed (a later,
 * higher score opens it again) and the payouts it held follow the tier's normal hold; "restrict" closes
 * it too, pins the agent's tier to restricted, and the held payouts follow the restricted hold;
 * "suspend" stops the agent (its keys stop working) and keeps its payouts held.
 */
export async function decideAgentCase(
  ctx: EngineContext,
  moderatorId: string,
  input: { agentId: string; decision: AgentCaseDecision; note: string },
) {
  const note = input.note.trim();
  if (!hasVisibleText(note)) throw invalid("note", `say why, for the record: the note ${VISIBLE_TEXT_REQUIRED}`);
  const decided = await inTransaction(ctx.db, async (tx) => {
    // The agent's row lock orders two moderators deciding at once.
    const [agent] = await tx.$queryRaw<{ id: string; owner_id: string }[]>`SELECT id, owner_id FROM agents WHERE id = ${input.agentId} FOR UPDATE`;
    if (!agent) throw notFound("agent");
    const { signals } = await agentSignals(tx, { id: agent.id, ownerId: agent.owner_id });
    const score = signalScore(signals);
    const now = ctx.now();
    await tx.agentSignalReview.create({
      data: { id: newId("srv"), agentId: agent.id, moderatorId, decision: input.decision, score, note, createdAt: now },
    });
    let holdsReset = 0;
    if (input.decision === "restrict") {
      await tx.agentRestriction.upsert({
        where: { agentId: agent.id },
        create: { agentId: agent.id, moderatorId, note, createdAt: now },
        update: { moderatorId, note, createdAt: now },
      });
      // The tier follows everywhere (offer limits, GET /me, the owner's console), not only the payout hold.
      await tx.agentTierPin.upsert({
        where: { agentId: agent.id },
        create: { agentId: agent.id, tier: "restricted", pinnedBy: moderatorId, note, createdAt: now },
        update: { tier: "restricted", pinnedBy: moderatorId, note, createdAt: now },
      });
    }
    if (input.decision === "suspend") {
      await tx.agent.update({ where: { id: agent.id }, data: { status: "suspended" } });
    } else {
      holdsReset = await resetSignalHolds(tx, ctx, agent.id);
    }
    await tx.moderationAction.create({
      data: {
        moderatorId,
        action: DECISION_LOG[input.decision],
        targetType: "agent",
        targetId: agent.id,
        note: `${input.decision} (signal score ${score}): ${note}`,
        createdAt: now,
      },
    });
    return { agentId: agent.id, decision: input.decision, score, holdsReset };
  });
  if (decided.decision === "suspend") agentAccessChanged();
  return decided;
}
