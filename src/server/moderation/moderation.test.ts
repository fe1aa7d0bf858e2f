// Moderation on a real database: only moderators reach it, a case gets one
// decision however many moderators click, and splits are exact to the cent.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliveredEscrow, testClock, testContext, type TestClock } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";
import type { EngineContext } from "../context";
import { runEscrowCommand } from "../escrow/run-command";
import { checkDatabaseLedger } from "../ledger/check";
import { walletBalances } from "../ledger/wallet";
import { inTransaction } from "../db/transaction";
import { insertMessage } from "../conversations/messages";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

/** An escrow that reached admin_review because the agent never answered the dispute. */
async function caseInReview(ctx: EngineContext, clock: TestClock, amountMinor = 10_001) {
  const p = await createParties(tdb.db);
  const escrow = await deliveredEscrow(ctx, clock, p, amountMinor);
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "dispute", reason: "The logo is blurry" });
  clock.advanceSeconds(48 * 3600 + 1);
  await runEscrowCommand(ctx, escrow.id, { kind: "timer" }, { command: "response_timeout" });
  return { p, escrow };
}

const balance = async (ctx: EngineContext, userId: string) => (await walletBalances(ctx, userId))[0]?.balanceMinor ?? 0;

describe("who reaches moderation", () => {
  it("refuses anonymous callers, customers and owners on every admin procedure, changing nothing", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const { p, escrow } = await caseInReview(ctx, clock);
    const customer = await createUser(tdb.db, "customer");
    const owner = await createUser(tdb.db, "owner");
    const calls = (api: ReturnType<typeof callerFor>) => [
      () => api.admin.queue(),
      () => api.admin.case({ escrowId: escrow.id }),
      () => api.admin.decide({ escrowId: escrow.id, outcome: "refund", note: "no" }),
      () => api.admin.suspendAgent({ agentId: p.agentId, suspended: true, note: "no" }),
      () => api.admin.suspendUser({ userId: p.customerId, suspended: true, note: "no" }),
      () => api.admin.auditLog(),
      () => api.admin.recentDecisions(),
    ];
    for (const call of calls(callerFor(ctx, null))) await expect(call()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    for (const user of [customer, owner]) {
      for (const call of calls(callerFor(ctx, user))) await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("admin_review");
    expect((await tdb.db.agent.findUniqueOrThrow({ where: { id: p.agentId } })).status).toBe("active");
    expect(await tdb.db.moderationAction.count()).toBe(0);
  });
});

describe("deciding a case", () => {
  it("shows the queue with how the case got there and the whole case file", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const { p, escrow } = await caseInReview(ctx, clock);
    await inTransaction(tdb.db, (tx) =>
      insertMessage(tx, { conversationId: p.conversationId, role: "owner", text: "Refund if they insist", createdAt: clock.now() }),
    );
    const admin = callerFor(ctx, await createUser(tdb.db, "admin", "Morgan"));
    clock.advanceSeconds(25 * 3600);
    const queue = await admin.admin.queue();
    const item = queue.find((q) => q.escrow_id === escrow.id);
    expect(item).toMatchObject({ route: "response_timeout", over_sla: true, amount: 10_001 });
    // The SLA and what is left of it: 25 h into a 24 h SLA is one hour past it.
    expect(item).toMatchObject({ sla_seconds: 24 * 3600, age_seconds: 25 * 3600, time_left_seconds: -3600 });
    const file = await admin.admin.case({ escrowId: escrow.referenceCode });
    expect(file.dispute_reason).toBe("The logo is blurry");
    expect(file.transcript.some((m) => m.role === "owner" && m.text === "Refund if they insist")).toBe(true);
    expect(file.transcript.some((m) => m.artifacts.length > 0)).toBe(true);
    expect(file.timeline.map((t) => t.command)).toEqual(["offer", "accept", "complete", "dispute", "response_timeout"]);
    expect(file.transfers.map((t) => t.kind)).toEqual(["fund"]);
  });

  it("two moderators deciding at once: one decision, the other refused, ledger balanced", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock, 250);
    const { p, escrow } = await caseInReview(ctx, clock, 10_000);
    const first = callerFor(ctx, await createUser(tdb.db, "admin"));
    const second = callerFor(ctx, await createUser(tdb.db, "admin"));
    const results = await Promise.allSettled([
      first.admin.decide({ escrowId: escrow.id, outcome: "refund", note: "Blurry, as reported." }),
      second.admin.decide({ escrowId: escrow.id, outcome: "release", note: "Looks fine to me." }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "CONFLICT" });
    expect(await tdb.db.escrowEvent.count({ where: { escrowId: escrow.id, command: "decide" } })).toBe(1);
    expect(await tdb.db.moderationAction.count({ where: { targetId: escrow.id } })).toBe(1);
    const after = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    expect(after.status).toBe("resolved");
    const customerGotBack = await balance(ctx, p.customerId);
    expect(customerGotBack === 10_000 || customerGotBack === 0).toBe(true);
    expect(await checkDatabaseLedger(tdb.db)).toEqual([]);
  });

  it("a split is exact to the minor unit, with the fee on the released part only, and the note reaches both parties", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock, 250); // 2.5%
    const { p, escrow } = await caseInReview(ctx, clock, 10_001);
    const admin = callerFor(ctx, await createUser(tdb.db, "admin"));
    const file = await admin.admin.decide({ escrowId: escrow.id, outcome: "split", refundAmount: 3_333, note: "Half the icons were usable." });
    expect(file.escrow).toMatchObject({ status: "resolved", outcome: "split", refund_amount: 3_333 });
    // Released 10_001 − 3_333 = 6_668; fee floor(6_668 × 2.5%) = floor(166.7) = 166; seller nets 6_502.
    expect(file.escrow.fee_amount).toBe(166);
    expect(await balance(ctx, p.customerId)).toBe(3_333);
    expect(await balance(ctx, p.ownerId)).toBe(6_502);
    expect(file.transfers.map((t) => [t.kind, t.amount]).sort()).toEqual([
      ["fee", 166],
      ["fund", 10_001],
      ["refund", 3_333],
      ["release", 6_502],
    ]);
    const resolved = await tdb.db.agentEvent.findFirstOrThrow({ where: { escrowId: escrow.id, type: "escrow.resolved" } });
    expect(resolved.data).toMatchObject({ outcome: "split", refund_amount: 3_333, note: "Half the icons were usable." });
    const customerView = await callerFor(ctx, { id: p.customerId, email: "", displayName: "", role: "customer" }).chat.messages({
      conversationId: p.conversationId,
    });
    expect(customerView.messages.some((m) => m.text.includes("Half the icons were usable."))).toBe(true);
  });

  it("lists recent decisions newest first, with the outcome, the amounts, the moderator and the note", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const first = await caseInReview(ctx, clock, 4_000);
    const second = await caseInReview(ctx, clock, 6_000);
    const admin = callerFor(ctx, await createUser(tdb.db, "admin", "Morgan"));
    const waiting = await admin.admin.queue();
    expect(waiting.find((q) => q.escrow_id === second.escrow.id)).toMatchObject({ time_left_seconds: 24 * 3600, over_sla: false });
    await admin.admin.decide({ escrowId: first.escrow.id, outcome: "refund", note: "Nothing usable." });
    clock.advanceSeconds(60);
    await admin.admin.decide({ escrowId: second.escrow.id, outcome: "split", refundAmount: 1_000, note: "Mostly fine." });
    const recent = await admin.admin.recentDecisions();
    const ours = recent.filter((d) => d.escrow_id === first.escrow.id || d.escrow_id === second.escrow.id);
    expect(ours).toEqual([
      expect.objectContaining({ escrow_id: second.escrow.id, outcome: "split", amount: 6_000, refund_amount: 1_000, moderator: "Morgan", note: "Mostly fine." }),
      expect.objectContaining({ escrow_id: first.escrow.id, outcome: "refunded", refund_amount: 4_000, amount: 4_000, moderator: "Morgan", note: "Nothing usable." }),
    ]);
    expect((await admin.admin.queue()).some((q) => q.escrow_id === first.escrow.id || q.escrow_id === second.escrow.id)).toBe(false);
  });

  it("refuses a split outside 0 < refund < amount and a decision without a note", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const { escrow } = await caseInReview(ctx, clock, 5_000);
    const admin = callerFor(ctx, await createUser(tdb.db, "admin"));
    await expect(admin.admin.decide({ escrowId: escrow.id, outcome: "split", refundAmount: 5_000, note: "x" })).rejects.toMatchObject({
      code: "UNPROCESSABLE_CONTENT",
    });
    await expect(admin.admin.decide({ escrowId: escrow.id, outcome: "refund", note: "   " })).rejects.toMatchObject({
      code: "UNPROCESSABLE_CONTENT",
    });
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("admin_review");
  });
});

describe("suspensions and the audit log", () => {
  it("suspends and reinstates an agent and a user, each on the record", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const moderator = await createUser(tdb.db, "admin");
    const admin = callerFor(ctx, moderator);
    expect(await admin.admin.suspendAgent({ agentId: p.agentId, suspended: true, note: "Delivers junk" })).toEqual({ id: p.agentId, status: "suspended" });
    await admin.admin.suspendAgent({ agentId: p.agentId, suspended: false, note: "Appeal accepted" });
    await admin.admin.suspendUser({ userId: p.customerId, suspended: true, note: "Chargeback fraud" });
    await expect(admin.admin.suspendAgent({ agentId: p.agentId, suspended: true, note: " " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const log = await admin.admin.auditLog({ targetId: p.agentId });
    expect(log.map((e) => [e.action, e.note])).toEqual([
      ["reinstate_agent", "Appeal accepted"],
      ["suspend_agent", "Delivers junk"],
    ]);
    const userLog = await admin.admin.auditLog({ action: "suspend_user", moderatorId: moderator.id });
    expect(userLog.map((e) => e.target_id)).toEqual([p.customerId]);
    expect((await tdb.db.user.findUniqueOrThrow({ where: { id: p.customerId } })).status).toBe("suspended");
  });
});
