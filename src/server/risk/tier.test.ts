// The tier the locked paths read (agentRiskTier: four counts summed by the database) agrees with the
// agent's whole record (agentReputation, sale by sale) on a history with every way a sale can end —
// approved, withdrawn dispute, refunds by the agent, settlements, moderator releases, refunds and
// splits — and leaves out what is not a sale (declined offers, open escrows) and the escrow being released.
import { expect, it } from "vitest";
import { DEFAULT_TIER_POLICIES, riskTierFor } from "~/domain/risk";
import { databaseForThisFile } from "~/test/db";
import { activeEscrow, createParties, deliveredEscrow, offer, testClock, testContext, type Parties, type TestClock } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { poolOf } from "../db/client";
import type { EngineContext } from "../context";
import { runEscrowCommand } from "../escrow/run-command";
import { agentReputation } from "../reputation/reputation";
import { agentRiskTier, agentSalesCounts } from "./profile";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

async function disputedAndDefended(ctx: EngineContext, clock: TestClock, p: Parties) {
  const escrow = await deliveredEscrow(ctx, clock, p, 3_000);
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "dispute", reason: "Not what I asked for" });
  await runEscrowCommand(ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "defend", explanation: "It is." });
  return escrow;
}

it("sums the same record the whole history gives, for every way a sale ends", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0, DEFAULT_TIER_POLICIES);
  const p = await createParties(tdb.db);
  const moderator = await createUser(tdb.db, "admin");
  const customer = { kind: "customer" as const, userId: p.customerId };
  const agent = { kind: "agent" as const, agentId: p.agentId };
  const asModerator = { kind: "moderator" as const, userId: moderator.id };

  const approved = await deliveredEscrow(ctx, clock, p, 1_000);
  await runEscrowCommand(ctx, approved.id, customer, { command: "approve" });
  const givenUp = await activeEscrow(ctx, p, 1_000);
  await runEscrowCommand(ctx, givenUp.id, agent, { command: "cancel" });
  const conceded = await deliveredEscrow(ctx, clock, p, 1_000);
  await runEscrowCommand(ctx, conceded.id, customer, { command: "dispute", reason: "Wrong file" });
  await runEscrowCommand(ctx, conceded.id, agent, { command: "agree_refund" });
  const withdrawn = await disputedAndDefended(ctx, clock, p);
  await runEscrowCommand(ctx, withdrawn.id, customer, { command: "approve" });
  const settled = await disputedAndDefended(ctx, clock, p);
  const proposal = await runEscrowCommand(ctx, settled.id, agent, { command: "propose_settlement", refundAmountMinor: 1_000 });
  await runEscrowCommand(ctx, settled.id, customer, { command: "accept_settlement", settlementId: proposal.settlements.find((s) => s.status === "open")!.id });
  for (const decision of [
    { outcome: "release" as const },
    { outcome: "refund" as const },
    { outcome: "split" as const, refundAmountMinor: 1_500 },
  ]) {
    const escalated = await disputedAndDefended(ctx, clock, p);
    await runEscrowCommand(ctx, escalated.id, customer, { command: "escalate" });
    await runEscrowCommand(ctx, escalated.id, asModerator, { command: "decide", note: "Decided on the file.", ...decision });
  }
  // Not sales: a declined offer, an open order.
  const declined = await offer(ctx, p);
  await runEscrowCommand(ctx, declined.id, customer, { command: "decline" });
  await activeEscrow(ctx, p, 500);

  const counts = await agentSalesCounts(tdb.db, p.agentId);
  // approved, givenUp, conceded, withdrawn, settled, and the three decided.
  expect(counts).toEqual({ finished: 8, disputed: 6, refundedInFull: 3, adminLosses: 2 });
  const reputation = await agentReputation(ctx, p.agentId);
  expect(counts).toEqual({
    finished: reputation.finished,
    disputed: reputation.disputed,
    refundedInFull: reputation.refundedInFull,
    adminLosses: reputation.adminLosses,
  });
  const tier = await agentRiskTier(tdb.db, DEFAULT_TIER_POLICIES, p.agentId);
  expect(tier.tier).toBe(riskTierFor(reputation));
  expect(tier.tier).toBe("restricted");
  expect(tier.policy).toEqual(DEFAULT_TIER_POLICIES.restricted);

  // The escrow being released is judged on the record before it.
  const withoutOne = await agentSalesCounts(tdb.db, p.agentId, approved.id);
  const reputationWithoutOne = await agentReputation(ctx, p.agentId, { excludeEscrowId: approved.id });
  expect(withoutOne).toEqual({ finished: 7, disputed: 6, refundedInFull: 3, adminLosses: 2 });
  expect(withoutOne.finished).toBe(reputationWithoutOne.finished);
});

/** Rows each SQL statement returned while `run` ran, from the pool's own clients (src/server/db/client.ts). */
async function rowsReturnedDuring(run: () => Promise<unknown>): Promise<{ text: string; rows: number }[]> {
  const Client = (poolOf(tdb.db) as unknown as { options: { Client: { prototype: { query: (...args: unknown[]) => unknown } } } }).options.Client;
  const original = Client.prototype.query;
  const seen: { text: string; rows: number }[] = [];
  Client.prototype.query = function counted(this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === "string" ? first : (first?.text ?? "");
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      return result.then((value: { rows?: unknown[] }) => {
        seen.push({ text, rows: value?.rows?.length ?? 0 });
        return value;
      });
    }
    return result;
  };
  try {
    await run();
  } finally {
    Client.prototype.query = original;
  }
  return seen;
}

it("a release reads no other sale's audit trail while it holds the escrow's lock, however long the history", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0, DEFAULT_TIER_POLICIES);
  const p = await createParties(tdb.db);
  for (let i = 0; i < 6; i++) {
    const sale = await deliveredEscrow(ctx, clock, p, 1_000);
    await runEscrowCommand(ctx, sale.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
  }
  const history = await tdb.db.escrowEvent.count({ where: { escrow: { agentId: p.agentId } } });
  expect(history).toBeGreaterThan(20);
  const last = await deliveredEscrow(ctx, clock, p, 1_000);
  const ownEvents = await tdb.db.escrowEvent.count({ where: { escrowId: last.id } });

  const statements = await rowsReturnedDuring(() =>
    runEscrowCommand(ctx, last.id, { kind: "customer", userId: p.customerId }, { command: "approve" }),
  );
  const auditRowsRead = statements.filter((s) => /escrow_events/.test(s.text)).reduce((sum, s) => sum + s.rows, 0);
  expect(auditRowsRead).toBeLessThanOrEqual(ownEvents + 1);
  // …and the tier it judged was the record's: six clean sales are standard, paid at once.
  expect(await tdb.db.payoutHold.count({ where: { escrowId: last.id } })).toBe(0);
});
