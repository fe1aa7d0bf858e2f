// The agent case (issue 17): an agent whose open signal acts is a case of its own for moderators — the
// evidence, the escrows involved, the payouts its signal holds — decided "clear", "restrict" or "suspend"
// with a note. Each decision is one transaction with its review row and its moderation-log entry.
import { collusionSignals, signalScore, type Signal, type SignalAction } from "~/domain/signals";
import { hasVisibleText, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import { agentAccessChanged } from "../auth/agent-key-cache";
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import { newId } from "../ids";
import { invalid, notFound } from "../errors";
import { resetSignalHolds } from "../risk/holds";
import { openSignalIn } from "../risk/signal-state";
import { agentSignals, rankMeasured } from "../risk/signals";
import { agentStanding, sellingAgentStandings, type MeasuredAgent } from "../risk/standing";

export type AgentCaseDecision = "clear" | "restrict" | "suspend";

export interface AgentCase {
  /** `restricted`: a moderator's pin holds the tier at restricted (an agent case's "restrict", or admin.pinAgentTier). */
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

const ESCROWS_PER_CASE = 50;
const REVIEWS_PER_CASE = 20;

/**
 * The cases of agents already measured (their standing: signals, open signal, pin), with the escrows
 * involved, the held payouts and the past reviews read for all of them at once — three reads whatever
 * the number of cases.
 */
async function casesOf(ctx: EngineContext, measured: readonly MeasuredAgent[]): Promise<AgentCase[]> {
  if (measured.length === 0) return [];
  const ids = measured.map((m) => m.agent.id);
  const [escrows, holds, reviews] = await Promise.all([
    ctx.db.$queryRaw<{ id: string; agent_id: string; reference_code: string; title: string; amount_minor: bigint; currency: string; status: string; customer_id: string }[]>`
      SELECT x.* FROM unnest(${ids}::text[]) AS ag(id) CROSS JOIN LATERAL (
        SELECT e.id, e.agent_id, e.reference_code, e.title, e.amount_minor, e.currency, e.status::text AS status, e.customer_id FROM escrows e
         WHERE e.agent_id = ag.id AND EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.escrow_id = e.id AND t.kind = 'fund')
         ORDER BY e.created_at DESC, e.id DESC LIMIT ${ESCROWS_PER_CASE}) x`,
    ctx.db.payoutHold.findMany({ where: { agentId: { in: ids }, releasedAt: null }, orderBy: { createdAt: "asc" } }),
    ctx.db.$queryRaw<{ agent_id: string; decision: string; score: number; note: string; created_at: Date }[]>`
      SELECT x.* FROM unnest(${ids}::text[]) AS ag(id) CROSS JOIN LATERAL (
        SELECT r.agent_id, r.decision, r.score, r.note, r.created_at FROM agent_signal_reviews r
         WHERE r.agent_id = ag.id ORDER BY r.created_at DESC LIMIT ${REVIEWS_PER_CASE}) x`,
  ]);
  return measured.map(({ agent, standing }) => {
    const signals = collusionSignals(standing.facts);
    const open = openSignalIn(standing, ctx.config.signalActions);
    return {
      agent: { id: agent.id, handle: agent.handle, display_name: agent.display_name, status: agent.status, restricted: standing.record.pinned === "restricted" },
      score: signalScore(signals),
      action: open?.action ?? null,
      explanation: open?.explanation ?? null,
      signals,
      escrows: escrows
        .filter((e) => e.agent_id === agent.id)
        .map((e) => ({
          id: e.id,
          reference_code: e.reference_code,
          title: e.title,
          amount: Number(e.amount_minor),
          currency: e.currency,
          status: e.status,
          customer_id: e.customer_id,
        })),
      held_payouts: holds
        .filter((h) => h.agentId === agent.id)
        .map((h) => ({
          escrow_id: h.escrowId,
          amount: Number(h.amountMinor),
          currency: h.currency,
          release_at: h.releaseAt.toISOString(),
          signal_hold: h.signalHold,
        })),
      reviews: reviews
        .filter((r) => r.agent_id === agent.id)
        .map((r) => ({ decision: r.decision, score: r.score, note: r.note, at: new Date(r.created_at).toISOString() })),
    };
  });
}

export async function agentCase(ctx: EngineContext, agentId: string): Promise<AgentCase> {
  const agent = await ctx.db.agent.findUnique({ where: { id: agentId }, select: { id: true, handle: true, displayName: true, status: true, ownerId: true } });
  if (!agent) throw notFound("agent");
  const standing = await agentStanding(ctx.db, agentId);
  const [found] = await casesOf(ctx, [
    { agent: { id: agent.id, handle: agent.handle, display_name: agent.displayName, status: agent.status, owner_id: agent.ownerId }, standing },
  ]);
  return found!;
}

/**
 * The agents whose signal is open (the queue's agent cases), most suspicious first: every seller measured
 * in one statement, then the cases' details in three reads — not a handful of reads per agent.
 */
export async function agentCaseQueue(ctx: EngineContext): Promise<AgentCase[]> {
  const open = rankMeasured(await sellingAgentStandings(ctx.db)).filter((m) => openSignalIn(m.standing, ctx.config.signalActions) !== null);
  return casesOf(ctx, open.slice(0, 100));
}

const DECISION_LOG = { clear: "clear_signal", restrict: "restrict_agent", suspend: "suspend_agent" } as const;

/**
 * A moderator's decision on the agent case. "clear" closes the signal at the score reviewed (a later,
 * higher score opens it again) and the payouts it held follow the tier's normal hold; "restrict" closes
 * it too, pins the agent's tier to restricted (agent_tier_pins, the restriction's one record), and the
 * held payouts follow the restricted hold;
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
    const score = signalScore(await agentSignals(tx, agent.id));
    const now = ctx.now();
    await tx.agentSignalReview.create({
      data: { id: newId("srv"), agentId: agent.id, moderatorId, decision: input.decision, score, note, createdAt: now },
    });
    let holdsReset = 0;
    if (input.decision === "restrict") {
      // The restriction is the tier pin, its one record: the tier follows everywhere (offer limits, GET /me,
      // the owner's console, the case's `restricted`), not only the payout hold.
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
