// A moderator pins an agent's risk tier, or lifts the pin (issue 17 item 1): while pinned, the agent has
// that tier whatever its record says (judgeTier's first step). One transaction writes the pin and its
// `pin_tier` entry, with the moderator's note, in the moderation log.
import { hasVisibleText, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import type { RiskTier } from "~/domain/risk";
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import { invalid, notFound } from "../errors";
import { agentRiskProfile } from "./profile";

/** Pins `tier` (null lifts the pin); returns the tier the agent has now. */
export async function pinAgentTier(ctx: EngineContext, moderatorId: string, agentId: string, tier: RiskTier | null, note: string) {
  const reason = note.trim();
  if (!hasVisibleText(reason)) throw invalid("note", `say why, for the record: the note ${VISIBLE_TEXT_REQUIRED}`);
  return inTransaction(ctx.db, async (tx) => {
    // Locks the agent: a pin and an offer judged against the tier are serialised.
    const [agent] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM agents WHERE id = ${agentId} FOR UPDATE`;
    if (!agent) throw notFound("agent");
    const now = ctx.now();
    if (tier) {
      await tx.agentTierPin.upsert({
        where: { agentId },
        create: { agentId, tier, pinnedBy: moderatorId, note: reason, createdAt: now },
        update: { tier, pinnedBy: moderatorId, note: reason, createdAt: now },
      });
    } else {
      await tx.agentTierPin.deleteMany({ where: { agentId } });
    }
    await tx.moderationAction.create({
      data: { moderatorId, action: "pin_tier", targetType: "agent", targetId: agentId, note: `${tier ? `pinned at ${tier}` : "pin lifted"}: ${reason}`, createdAt: now },
    });
    const profile = await agentRiskProfile(tx, ctx, agentId);
    return { agentId, tier: profile.tier, earned: profile.judgement.earned, pinned: tier };
  });
}
