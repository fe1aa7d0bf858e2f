// A moderator pins an agent's tier (issue 17 item 1): the pin decides the tier the engine applies (limits
// and payout holds) whatever the record, lifting it returns the earned tier, and each is a `pin_tier`
// row with the moderator's note in the audit log; a blank note is refused with nothing written.
import { expect, it } from "vitest";
import { DEFAULT_TIER_POLICIES } from "~/domain/risk";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";
import { runEscrowCommand } from "../escrow/run-command";
import { agentRiskProfile } from "./profile";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

it("pins a tier with a note, the engine applies it, and lifting the pin returns the earned tier", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0, DEFAULT_TIER_POLICIES);
  const p = await createParties(tdb.db);
  const moderator = await createUser(tdb.db, "admin");
  const admin = callerFor(ctx, moderator);

  expect(await admin.admin.pinAgentTier({ agentId: p.agentId, tier: "restricted", note: "  Sock-puppet buyers, see case 12.  " })).toEqual({
    agentId: p.agentId,
    tier: "restricted",
    earned: "new",
    pinned: "restricted",
  });
  expect(await tdb.db.moderationAction.findFirst({ where: { action: "pin_tier", targetId: p.agentId } })).toMatchObject({
    moderatorId: moderator.id,
    targetType: "agent",
    note: "pinned at restricted: Sock-puppet buyers, see case 12.",
  });
  // The release path applies the pinned tier: a restricted agent's payout is held for its tier.
  const sale = await deliveredEscrow(ctx, clock, p, 1_000);
  await runEscrowCommand(ctx, sale.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
  expect(await tdb.db.payoutHold.findUnique({ where: { escrowId: sale.id } })).toMatchObject({ riskTier: "restricted" });

  const profile = await agentRiskProfile(tdb.db, ctx, p.agentId);
  expect(profile.judgement.steps[0]).toMatchObject({ rule: "pinned", met: true });

  await admin.admin.pinAgentTier({ agentId: p.agentId, tier: "trusted", note: "Known studio, verified by phone." });
  expect((await agentRiskProfile(tdb.db, ctx, p.agentId)).policy).toEqual(DEFAULT_TIER_POLICIES.trusted);

  expect(await admin.admin.pinAgentTier({ agentId: p.agentId, tier: null, note: "Verification lapsed." })).toMatchObject({ tier: "new", pinned: null });
  expect(await tdb.db.agentTierPin.count({ where: { agentId: p.agentId } })).toBe(0);
  const log = await admin.admin.auditLog({ action: "pin_tier" });
  expect(JSON.stringify(log)).toContain("pin lifted: Verification lapsed.");
});

it("refuses a pin without a note, or for an agent that does not exist, writing nothing", async () => {
  const ctx = testContext(tdb.db, testClock(), 0, DEFAULT_TIER_POLICIES);
  const p = await createParties(tdb.db);
  const admin = callerFor(ctx, await createUser(tdb.db, "admin"));
  const before = await tdb.db.moderationAction.count();
  await expect(admin.admin.pinAgentTier({ agentId: p.agentId, tier: "trusted", note: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  await expect(admin.admin.pinAgentTier({ agentId: "agt_nobody", tier: "trusted", note: "why" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  await expect(admin.admin.pinAgentTier({ agentId: p.agentId, tier: "gold" as never, note: "why" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  expect(await tdb.db.moderationAction.count()).toBe(before);
  expect(await tdb.db.agentTierPin.count()).toBe(0);
});
