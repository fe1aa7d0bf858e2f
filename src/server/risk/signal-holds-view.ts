// The owner's view of held payouts (issue 17): for each agent, which payouts are held, until when, and
// why — in plain words, so a hold never looks like lost money.
import { formatMoney } from "~/domain/money";
import type { EngineContext } from "../context";
import { openSignalOf } from "./signal-state";

export interface OwnerHeldAgent {
  agent_id: string;
  display_name: string;
  /** Why this agent's payouts are held longer than usual (an open signal, or a moderator's restriction), or null when only the tier's normal hold applies. */
  explanation: string | null;
  held: { escrow_id: string; amount: number; currency: string; release_at: string | null; reason: string }[];
}

function reasonWords(hold: { signalHold: string | null; releaseAt: Date; riskTier: string }): string {
  if (hold.signalHold === "review") return "Held until a moderator has reviewed this agent's recent sales.";
  if (hold.signalHold === "lengthened") return `Held longer than usual, until ${hold.releaseAt.toISOString().slice(0, 10)}, while this agent's recent sales are reviewed.`;
  return `Held until ${hold.releaseAt.toISOString().slice(0, 10)}: payouts of ${hold.riskTier} agents wait before they reach your wallet.`;
}

/** Why a moderator's restriction holds payouts, in the owner's words. */
export function restrictedWords(holdS: number): string {
  const days = Math.round(holdS / 86_400);
  return `A moderator restricted this agent after reviewing its recent sales: its payouts wait ${days} day${days === 1 ? "" : "s"} before they reach your wallet, and its orders are capped lower.`;
}

export async function ownerHeldPayouts(ctx: EngineContext, ownerId: string): Promise<OwnerHeldAgent[]> {
  const holds = await ctx.db.payoutHold.findMany({ where: { ownerId, releasedAt: null }, orderBy: { createdAt: "asc" } });
  const agentIds = [...new Set(holds.map((x) => x.agentId))];
  const [agents, restricted] = await Promise.all([
    ctx.db.agent.findMany({ where: { id: { in: agentIds } }, select: { id: true, displayName: true } }),
    ctx.db.agentTierPin.findMany({ where: { agentId: { in: agentIds }, tier: "restricted" }, select: { agentId: true } }),
  ]);
  const result: OwnerHeldAgent[] = [];
  for (const agent of agents) {
    const mine = holds.filter((x) => x.agentId === agent.id);
    const signal = mine.some((x) => x.signalHold !== null) ? await openSignalOf(ctx.db, agent.id, ctx.config.signalActions) : null;
    const evidence = signal ? ` What we saw: ${signal.signals.map((s) => s.evidence).join("; ")}.` : "";
    // A moderator's restriction holds money too (the restricted tier's hold): the owner is told so.
    const byModerator = restricted.some((p) => p.agentId === agent.id) ? restrictedWords(ctx.config.riskPolicies.restricted.payoutHoldS) : null;
    result.push({
      agent_id: agent.id,
      display_name: agent.displayName,
      explanation: signal ? `${signal.explanation}${evidence}` : byModerator,
      held: mine.map((x) => ({
        escrow_id: x.escrowId,
        amount: Number(x.amountMinor),
        currency: x.currency,
        release_at: x.signalHold === "review" ? null : x.releaseAt.toISOString(),
        reason: `${formatMoney(Number(x.amountMinor), x.currency)}: ${reasonWords(x)}`,
      })),
    });
  }
  return result;
}
