// The owner console shows each agent's track record and the risk tier it puts the agent in,
// with the limits the engine applies (SPEC §6.5, §7) — from the platform's records, not the agent's word.
import { describe, expect, it } from "vitest";
import { DEFAULT_TIER_POLICIES } from "~/domain/risk";
import { databaseForThisFile } from "~/test/db";
import { activeEscrow, createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { runEscrowCommand } from "../escrow/run-command";
import { rankAgentsBySignals } from "../risk/signals";
import { ownerAgentRecords } from "./console";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

describe("the owner's view of an agent's record", () => {
  it("a new agent: no finished orders, the new tier and its limits, payouts held", async () => {
    const ctx = testContext(tdb.db, testClock(), 1000, DEFAULT_TIER_POLICIES);
    const p = await createParties(tdb.db);
    expect(await ownerAgentRecords(ctx, p.ownerId)).toEqual([
      {
        agentId: p.agentId,
        reputation: expect.objectContaining({ finished: 0, disputeRateBps: null }),
        tier: "new",
        limits: { maxEscrowMinor: 250_00, maxOpenMinor: 1_000_00, payoutHoldS: 3 * 24 * 3600, currency: "USD" },
        tierReasons: [
          expect.objectContaining({ rule: "restricted", met: false }),
          expect.objectContaining({ rule: "trusted", met: false }),
          expect.objectContaining({ rule: "standard", met: false, reason: expect.stringContaining("0 of 3 qualifying buyers") }),
          expect.objectContaining({ rule: "new", met: true }),
        ],
        evidence: {
          qualifyingBuyers: 0,
          qualifyingVolumeMinor: 0,
          firstQualifyingSaleAt: null,
          distinctBuyers: 0,
          linkedSales: 0,
          promotionFrozen: false,
          pinned: false,
        },
      },
    ]);
  });

  it("states a sale once: the console's record and the moderators' evidence count the same finished sales (not '16 of 11')", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const customer = { kind: "customer", userId: p.customerId } as const;
    for (let i = 0; i < 4; i++) {
      const sale = await deliveredEscrow(ctx, clock, p, 1_000);
      await runEscrowCommand(ctx, sale.id, customer, { command: "approve" });
    }
    // Funded but not finished: not sales, on either side.
    for (let i = 0; i < 3; i++) await activeEscrow(ctx, p, 1_000);
    const [record] = await ownerAgentRecords(ctx, p.ownerId);
    expect(record!.reputation.finished).toBe(4);
    const ranked = (await rankAgentsBySignals(ctx)).find((r) => r.agent.id === p.agentId);
    expect(ranked?.signals.find((s) => s.kind === "repeat_buyer")?.evidence).toBe("4 of 4 sales from one buyer");
    expect(ranked?.reputation.finished).toBe(4);
  });

  it("counts a paid, approved order and a disputed one settled by refund", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const customer = { kind: "customer", userId: p.customerId } as const;
    const approved = await deliveredEscrow(ctx, clock, p, 2_000);
    await runEscrowCommand(ctx, approved.id, customer, { command: "approve" });
    const disputed = await deliveredEscrow(ctx, clock, p, 3_000);
    await runEscrowCommand(ctx, disputed.id, customer, { command: "dispute", reason: "Wrong colours." });
    await runEscrowCommand(ctx, disputed.id, { kind: "agent", agentId: p.agentId }, { command: "agree_refund" });

    const records = await ownerAgentRecords(ctx, p.ownerId);
    expect(records).toHaveLength(1);
    const { reputation, tier } = records[0]!;
    expect(reputation).toMatchObject({
      finished: 2,
      completed: 1,
      approvedByCustomer: 1,
      disputed: 1,
      refundedInFull: 1,
      disputeRateBps: 5_000,
      refundRateBps: 5_000,
      volumeMinor: 2_000,
    });
    expect(tier).toBe("new"); // one buyer, and under three sales: neither promoted nor restricted
  });
});
