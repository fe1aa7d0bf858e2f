// Held payouts on PostgreSQL: a new agent's released money waits in the
// owner's held account until the hold ends, is released exactly once however
// many workers race for it, and an established agent is paid at once.
import { expect, it } from "vitest";
import { DEFAULT_TIER_POLICIES, type RiskTier, type TierPolicy } from "~/domain/risk";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { runEscrowCommand } from "../escrow/run-command";
import { newId } from "../ids";
import { checkDatabaseLedger } from "../ledger/check";
import { walletBalances } from "../ledger/wallet";
import { releaseDueHolds } from "./holds";
import { agentRiskProfile } from "./profile";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

const HOLD_S = 3600;
const policies: Record<RiskTier, TierPolicy> = {
  ...DEFAULT_TIER_POLICIES,
  new: { ...DEFAULT_TIER_POLICIES.new, payoutHoldS: HOLD_S },
  standard: { ...DEFAULT_TIER_POLICIES.standard, payoutHoldS: 0 },
};

it("holds a new agent's payout until the hold ends, then releases it once", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 1000, policies);
  const p = await createParties(tdb.db);
  const escrow = await deliveredEscrow(ctx, clock, p, 2_000);
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "approve" });

  expect(await walletBalances(ctx, p.ownerId)).toEqual([{ currency: "USD", balanceMinor: 0, heldMinor: 1_800 }]);
  const hold = await tdb.db.payoutHold.findUniqueOrThrow({ where: { escrowId: escrow.id } });
  expect(hold).toMatchObject({ riskTier: "new", amountMinor: 1_800n, releasedAt: null });
  expect(hold.releaseAt.getTime()).toBe(clock.now().getTime() + HOLD_S * 1000);
  expect(await checkDatabaseLedger(tdb.db)).toEqual([]);

  clock.advanceSeconds(HOLD_S - 1);
  expect(await releaseDueHolds(ctx)).toBe(0);
  clock.advanceSeconds(1);
  const released = await Promise.all(Array.from({ length: 5 }, () => releaseDueHolds(ctx)));
  expect(released.reduce((a, b) => a + b, 0)).toBe(1);
  expect(await walletBalances(ctx, p.ownerId)).toEqual([{ currency: "USD", balanceMinor: 1_800, heldMinor: 0 }]);
  expect(await tdb.db.ledgerTransfer.count({ where: { escrowId: escrow.id, kind: "hold_release" } })).toBe(1);
  expect(await checkDatabaseLedger(tdb.db)).toEqual([]);
});

it("pays an agent with an established clean record at once", async () => {
  // Established = earned (src/domain/tier-policy.ts): three distinct buyers not linked to the owner, 50.00
  // released by them, a week since the first such sale. (It used to be five sales from anyone.)
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0, policies);
  const p = await createParties(tdb.db);
  for (const domain of ["one", "two", "three"]) {
    const customerId = newId("usr");
    await tdb.db.user.create({ data: { id: customerId, email: `buyer-${customerId}@${domain}.example`, displayName: "Buyer" } });
    const conversationId = newId("cnv");
    await tdb.db.conversation.create({ data: { id: conversationId, agentId: p.agentId, customerId } });
    const sale = await deliveredEscrow(ctx, clock, { ...p, customerId, conversationId }, 2_000);
    await runEscrowCommand(ctx, sale.id, { kind: "customer", userId: customerId }, { command: "approve" });
  }
  expect((await agentRiskProfile(tdb.db, ctx, p.agentId)).tier).toBe("new");
  clock.advanceSeconds(7 * 24 * 3600);
  expect((await agentRiskProfile(tdb.db, ctx, p.agentId)).tier).toBe("standard");
  const before = (await walletBalances(ctx, p.ownerId))[0]!;
  expect(before.heldMinor).toBe(6_000); // the first three sales were held: the agent was new then
  const fourth = await deliveredEscrow(ctx, clock, p, 1_000);
  await runEscrowCommand(ctx, fourth.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
  const after = (await walletBalances(ctx, p.ownerId))[0]!;
  expect(after.balanceMinor - before.balanceMinor).toBe(1_000);
  expect(after.heldMinor).toBe(6_000);
  expect(await tdb.db.payoutHold.count({ where: { escrowId: fourth.id } })).toBe(0);
});

it("a refund never touches the hold, and a split holds only the released part", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0, policies);
  const p = await createParties(tdb.db);
  const escrow = await deliveredEscrow(ctx, clock, p, 3_000);
  const customer = { kind: "customer" as const, userId: p.customerId };
  const agent = { kind: "agent" as const, agentId: p.agentId };
  await runEscrowCommand(ctx, escrow.id, customer, { command: "dispute", reason: "two of three icons missing" });
  await runEscrowCommand(ctx, escrow.id, agent, { command: "defend", explanation: "one icon is there" });
  const proposed = await runEscrowCommand(ctx, escrow.id, agent, { command: "propose_settlement", refundAmountMinor: 2_000 });
  const settlement = proposed.settlements.find((s) => s.status === "open")!;
  await runEscrowCommand(ctx, escrow.id, customer, { command: "accept_settlement", settlementId: settlement.id });
  expect(await walletBalances(ctx, p.ownerId)).toEqual([{ currency: "USD", balanceMinor: 0, heldMinor: 1_000 }]);
  expect((await tdb.db.payoutHold.findUniqueOrThrow({ where: { escrowId: escrow.id } })).amountMinor).toBe(1_000n);
});

it("ledger:check notices held money that no hold accounts for", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0, policies);
  const p = await createParties(tdb.db);
  const escrow = await deliveredEscrow(ctx, clock, p, 1_000);
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
  await tdb.db.payoutHold.update({ where: { escrowId: escrow.id }, data: { releasedAt: clock.now() } });
  const violations = await checkDatabaseLedger(tdb.db);
  expect(violations.map((v) => v.invariant)).toContain("held_differs_from_holds");
  await tdb.db.payoutHold.update({ where: { escrowId: escrow.id }, data: { releasedAt: null } });
});

it("the server's background worker releases due holds on its own", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0, policies);
  const p = await createParties(tdb.db);
  const escrow = await deliveredEscrow(ctx, clock, p, 700);
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
  clock.advanceSeconds(HOLD_S);
  const { startPayoutHoldRelease } = await import("../jobs/hold-worker");
  const worker = startPayoutHoldRelease(ctx, { everyMs: 20, log: () => undefined });
  try {
    // Until the worker has released it, for as long as a loaded machine may take (was 200 polls, about 4 s).
    const deadline = Date.now() + 30_000;
    while ((await walletBalances(ctx, p.ownerId))[0]?.heldMinor !== 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await worker.stop();
  }
  expect(await walletBalances(ctx, p.ownerId)).toEqual([{ currency: "USD", balanceMinor: 700, heldMinor: 0 }]);
});
