// Reputation from a seeded history on PostgreSQL matches a hand computation,
// and offers that never moved money do not count.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { activeEscrow, createParties, deliveredEscrow, offer, testClock, testContext } from "~/test/engine-fixtures";
import { statementLoggingDb } from "~/test/statement-log";
import { runEscrowCommand } from "../escrow/run-command";
import { agentReputation } from "./reputation";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

it("counts only paid, finished escrows and matches a hand count", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0);
  const p = await createParties(tdb.db);
  const customer = { kind: "customer" as const, userId: p.customerId };
  const agent = { kind: "agent" as const, agentId: p.agentId };

  // 1. approved, on time (delivered 61 s after funding, due in 24 h)
  const a = await deliveredEscrow(ctx, clock, p, 1_000);
  await runEscrowCommand(ctx, a.id, customer, { command: "approve" });
  // 2. auto-released
  const b = await deliveredEscrow(ctx, clock, p, 2_000);
  clock.advanceSeconds(49 * 3600);
  await runEscrowCommand(ctx, b.id, { kind: "timer" }, { command: "auto_release" });
  // 3. disputed, then the agent refunded
  const c = await deliveredEscrow(ctx, clock, p, 3_000);
  await runEscrowCommand(ctx, c.id, customer, { command: "dispute", reason: "wrong colours" });
  await runEscrowCommand(ctx, c.id, agent, { command: "agree_refund" });
  // 4. delivered late (after the 24 h due time), approved
  const d = await activeEscrow(ctx, p, 4_000);
  clock.advanceSeconds(25 * 3600);
  const { deliverArtifact } = await import("~/test/engine-fixtures");
  await deliverArtifact(ctx, p, d.id);
  clock.advanceSeconds(1);
  await runEscrowCommand(ctx, d.id, agent, { command: "complete" });
  await runEscrowCommand(ctx, d.id, customer, { command: "approve" });
  // Not sales: a declined offer, an expired offer, a pending one, an active one.
  const declined = await offer(ctx, p);
  await runEscrowCommand(ctx, declined.id, customer, { command: "decline" });
  await offer(ctx, p);
  await activeEscrow(ctx, p, 500);

  const reputation = await agentReputation(ctx, p.agentId);
  expect(reputation).toEqual({
    finished: 4,
    completed: 3,
    approvedByCustomer: 2,
    autoReleased: 1,
    disputed: 1,
    refundedInFull: 1,
    split: 0,
    adminLosses: 0,
    adminDecisions: 0,
    onTimeDeliveries: 3,
    deliveries: 4,
    volumeMinor: 1_000 + 2_000 + 4_000,
    disputeRateBps: 2_500,
    refundRateBps: 2_500,
    onTimeRateBps: 7_500,
    autoReleaseShareBps: 3_333,
  });

  // Read from the record the sale's finish updated: one statement, which reads no escrow and no audit
  // trail, so its cost does not grow with the agent's history (it did: every finished sale and its events).
  const log = statementLoggingDb(tdb.url);
  try {
    expect(await agentReputation({ db: log.db }, p.agentId)).toEqual(reputation);
    expect(log.statements).toHaveLength(1);
    expect(log.statements[0]).not.toMatch(/escrows|escrow_events/);
  } finally {
    await log.close();
  }
});
