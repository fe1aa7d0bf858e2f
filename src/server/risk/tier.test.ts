// The agent's record (issue 17 item 5) on PostgreSQL: the trigger that keeps agent_records and
// agent_record_buyers in the transaction that finishes a sale gives exactly what a from-scratch
// recomputation over the escrows, their audit trail and the buyers gives, after random lifecycles with
// every way a sale can end (approved, refunded by the agent, conceded, withdrawn dispute, settlement,
// moderator release / refund / split) and what is not a sale (declined offers, open escrows); and the
// release path judges the tier from the record without reading any other sale's audit trail.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { expect, it } from "vitest";
import { DEFAULT_TIER_POLICIES } from "~/domain/risk";
import { databaseForThisFile } from "~/test/db";
import { activeEscrow, createParties, deliverArtifact, offer, testClock, testContext, type Parties, type TestClock } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { poolOf } from "../db/client";
import type { EngineContext } from "../context";
import { runEscrowCommand } from "../escrow/run-command";
import { newId } from "../ids";
import { agentRiskProfile } from "./profile";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

const ENDINGS = ["approve", "auto_release", "cancel", "concede", "withdraw", "settle", "release", "refund", "split", "decline", "open"] as const;
type Ending = (typeof ENDINGS)[number];

/** A buyer of the agent: its own conversation, an e-mail at `domain`. */
async function buyerOf(ctx: EngineContext, p: Parties, email: string): Promise<Parties> {
  const existing = await ctx.db.user.findUnique({ where: { email } });
  const customerId = existing?.id ?? newId("usr");
  if (!existing) await ctx.db.user.create({ data: { id: customerId, email, displayName: "Buyer" } });
  const open = await ctx.db.conversation.findFirst({ where: { agentId: p.agentId, customerId, buyerAgentId: null } });
  const conversationId = open?.id ?? newId("cnv");
  if (!open) await ctx.db.conversation.create({ data: { id: conversationId, agentId: p.agentId, customerId } });
  return { ...p, customerId, conversationId };
}

async function runSale(ctx: EngineContext, clock: TestClock, b: Parties, amountMinor: number, ending: Ending, moderatorId: string) {
  const customer = { kind: "customer" as const, userId: b.customerId };
  const agent = { kind: "agent" as const, agentId: b.agentId };
  const moderator = { kind: "moderator" as const, userId: moderatorId };
  if (ending === "decline") {
    const offered = await offer(ctx, b, { amountMinor });
    await runEscrowCommand(ctx, offered.id, customer, { command: "decline" });
    return;
  }
  const escrow = await activeEscrow(ctx, b, amountMinor);
  if (ending === "open") return;
  if (ending === "cancel") {
    await runEscrowCommand(ctx, escrow.id, agent, { command: "cancel" });
    return;
  }
  clock.advanceSeconds(60);
  await deliverArtifact(ctx, b, escrow.id);
  await runEscrowCommand(ctx, escrow.id, agent, { command: "complete" });
  if (ending === "approve") {
    await runEscrowCommand(ctx, escrow.id, customer, { command: "approve" });
    return;
  }
  if (ending === "auto_release") {
    clock.advanceSeconds(49 * 3600);
    await runEscrowCommand(ctx, escrow.id, { kind: "timer" }, { command: "auto_release" });
    return;
  }
  await runEscrowCommand(ctx, escrow.id, customer, { command: "dispute", reason: "Not what I asked for" });
  if (ending === "concede") {
    await runEscrowCommand(ctx, escrow.id, agent, { command: "agree_refund" });
    return;
  }
  await runEscrowCommand(ctx, escrow.id, agent, { command: "defend", explanation: "It is." });
  if (ending === "withdraw") {
    await runEscrowCommand(ctx, escrow.id, customer, { command: "approve" });
    return;
  }
  if (ending === "settle") {
    const proposed = await runEscrowCommand(ctx, escrow.id, agent, { command: "propose_settlement", refundAmountMinor: Math.floor(amountMinor / 3) });
    await runEscrowCommand(ctx, escrow.id, customer, { command: "accept_settlement", settlementId: proposed.settlements.find((s) => s.status === "open")!.id });
    return;
  }
  await runEscrowCommand(ctx, escrow.id, customer, { command: "escalate" });
  const decision =
    ending === "release" ? { outcome: "release" as const } : ending === "refund" ? { outcome: "refund" as const } : { outcome: "split" as const, refundAmountMinor: Math.floor(amountMinor / 2) };
  await runEscrowCommand(ctx, escrow.id, moderator, { command: "decide", note: "Decided on the file.", ...decision });
}

const PUBLIC = new Set(["gmail.com"]);
const domainOf = (email: string) => email.split("@")[1]!.toLowerCase();

/** The record from scratch: every finished, funded sale of the agent, read with its audit trail and buyer. */
async function recomputed(ctx: EngineContext, agentId: string) {
  const agent = await ctx.db.agent.findUniqueOrThrow({ where: { id: agentId }, include: { owner: true } });
  const sales = await ctx.db.escrow.findMany({
    where: { agentId, status: { in: ["completed", "refunded", "resolved"] }, transfers: { some: { kind: "fund" } } },
    include: { events: true, customer: true },
    orderBy: [{ statusChangedAt: "asc" }, { id: "asc" }],
  });
  type Totals = {
    sales: number;
    disputed: number;
    refundedInFull: number;
    split: number;
    adminDecisions: number;
    adminLosses: number;
    releasedMinor: bigint;
    disputedAmountMinor: bigint;
    refundedAmountMinor: bigint;
    completed: number;
    approvedByCustomer: number;
    autoReleased: number;
    deliveries: number;
    onTimeDeliveries: number;
  };
  type Buyer = { buyerId: string; currency: string; linked: boolean; sales: number; amountMinor: bigint; releasedMinor: bigint; largestReleasedMinor: bigint; largestReleasedAt: Date };
  const totals = new Map<string, Totals>();
  const buyers = new Map<string, Buyer>();
  const ownerDomain = domainOf(agent.owner.email);
  for (const e of sales) {
    const released = e.outcome === "refunded" ? 0n : e.amountMinor - e.refundAmountMinor;
    const disputed = e.events.some((ev) => ev.toStatus === "disputed");
    const decided = e.events.some((ev) => ev.command === "decide");
    const byId = [...e.events].sort((a, b) => Number(a.id - b.id));
    const completion = byId.find((ev) => ev.toStatus === "completed");
    const delivery = byId.find((ev) => ev.command === "complete");
    const t = totals.get(e.currency) ?? {
      sales: 0,
      disputed: 0,
      refundedInFull: 0,
      split: 0,
      adminDecisions: 0,
      adminLosses: 0,
      releasedMinor: 0n,
      disputedAmountMinor: 0n,
      refundedAmountMinor: 0n,
      completed: 0,
      approvedByCustomer: 0,
      autoReleased: 0,
      deliveries: 0,
      onTimeDeliveries: 0,
    };
    t.sales += 1;
    t.disputed += disputed ? 1 : 0;
    t.refundedInFull += e.outcome === "refunded" ? 1 : 0;
    t.split += e.outcome === "split" ? 1 : 0;
    t.adminDecisions += decided ? 1 : 0;
    t.adminLosses += decided && e.outcome !== "released" ? 1 : 0;
    t.releasedMinor += released;
    t.disputedAmountMinor += disputed ? e.amountMinor : 0n;
    t.refundedAmountMinor += e.outcome === "refunded" ? e.amountMinor : 0n;
    t.completed += e.status === "completed" ? 1 : 0;
    // Completed by the review timer; by the buyer's approval; or (from negotiating) a dispute withdrawn: neither.
    t.autoReleased += completion?.command === "auto_release" ? 1 : 0;
    t.approvedByCustomer += completion && completion.command !== "auto_release" && completion.fromStatus !== "negotiating" ? 1 : 0;
    t.deliveries += delivery ? 1 : 0;
    t.onTimeDeliveries += delivery && (e.dueAt === null || delivery.createdAt <= e.dueAt) ? 1 : 0;
    totals.set(e.currency, t);
    const linked = e.customerId === agent.ownerId || (domainOf(e.customer.email) === ownerDomain && !PUBLIC.has(ownerDomain));
    const key = `${e.customerId}/${e.currency}`;
    const b = buyers.get(key) ?? { buyerId: e.customerId, currency: e.currency, linked: false, sales: 0, amountMinor: 0n, releasedMinor: 0n, largestReleasedMinor: -1n, largestReleasedAt: e.statusChangedAt };
    b.linked ||= linked;
    b.sales += 1;
    b.amountMinor += e.amountMinor;
    b.releasedMinor += released;
    if (released > b.largestReleasedMinor) {
      b.largestReleasedMinor = released;
      b.largestReleasedAt = e.statusChangedAt;
    }
    buyers.set(key, b);
  }
  return {
    totals: [...totals.entries()].map(([currency, t]) => ({ agentId, currency, ...t })).sort((a, b) => a.currency.localeCompare(b.currency)),
    buyers: [...buyers.values()].sort((a, b) => `${a.buyerId}/${a.currency}`.localeCompare(`${b.buyerId}/${b.currency}`)).map((b) => ({ agentId, ...b })),
  };
}

async function stored(ctx: EngineContext, agentId: string) {
  const totals = await ctx.db.agentRecord.findMany({ where: { agentId }, orderBy: { currency: "asc" } });
  const buyers = await ctx.db.agentRecordBuyer.findMany({ where: { agentId } });
  return {
    totals: totals.map(({ updatedAt: _u, ...t }) => t),
    buyers: buyers.sort((a, b) => `${a.buyerId}/${a.currency}`.localeCompare(`${b.buyerId}/${b.currency}`)).map(({ firstSaleAt: _f, ...b }) => b),
  };
}

it("the record the trigger keeps equals a from-scratch recomputation, after random lifecycles", async () => {
  const plans = fc.sample(
    fc.array(
      fc.record({
        buyer: fc.constantFrom("owner", "colleague@owner-studio.example", "second@gmail.com", "a@one.example", "b@two.example", "c@three.example"),
        amountMinor: fc.integer({ min: 1, max: 40_00 }),
        ending: fc.constantFrom(...ENDINGS),
      }),
      { minLength: 8, maxLength: 14 },
    ),
    { numRuns: 3, seed: 17 },
  );
  const moderator = await createUser(tdb.db, "admin");
  const seen = { sales: 0, linked: 0, unlinked: 0, decided: 0, approved: 0, autoReleased: 0, withdrawn: 0 };
  for (const plan of plans) {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock, 500, DEFAULT_TIER_POLICIES);
    const p = await createParties(tdb.db);
    const tag = p.agentId.slice(-8);
    await tdb.db.user.update({ where: { id: p.ownerId }, data: { email: `olivia-${tag}@owner-studio-${tag}.example` } });
    for (const step of plan) {
      const email = step.buyer === "owner" ? null : step.buyer.replace("owner-studio", `owner-studio-${tag}`).replace("@", `-${tag}@`);
      const b = email ? await buyerOf(ctx, p, email) : await buyerOf(ctx, p, `olivia-${tag}@owner-studio-${tag}.example`);
      clock.advanceSeconds(3600);
      await runSale(ctx, clock, b, step.amountMinor, step.ending, moderator.id);
    }
    const expected = await recomputed(ctx, p.agentId);
    seen.sales += expected.totals.reduce((n, t) => n + t.sales, 0);
    seen.decided += expected.totals.reduce((n, t) => n + t.adminDecisions, 0);
    seen.approved += expected.totals.reduce((n, t) => n + t.approvedByCustomer, 0);
    seen.autoReleased += expected.totals.reduce((n, t) => n + t.autoReleased, 0);
    seen.withdrawn += expected.totals.reduce((n, t) => n + t.completed - t.approvedByCustomer - t.autoReleased, 0);
    seen.linked += expected.buyers.filter((b) => b.linked).length;
    seen.unlinked += expected.buyers.filter((b) => !b.linked).length;
    const actual = await stored(ctx, p.agentId);
    expect(actual.totals).toEqual(expected.totals);
    expect(actual.buyers).toEqual(expected.buyers);
  }
  // The runs covered what they are about: sales, moderator decisions, linked and unlinked buyers, and each
  // way a sale completes.
  expect(seen.sales).toBeGreaterThan(10);
  expect(Math.min(seen.decided, seen.linked, seen.unlinked, seen.approved, seen.autoReleased, seen.withdrawn)).toBeGreaterThan(0);
});

it("the migration's backfill gives the same record as the trigger, from the history alone", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 500, DEFAULT_TIER_POLICIES);
  const moderator = await createUser(tdb.db, "admin");
  const p = await createParties(tdb.db);
  for (const [i, ending] of (["approve", "concede", "settle", "refund", "split", "release", "cancel", "open", "decline"] as const).entries()) {
    const b = await buyerOf(ctx, p, `buyer${i % 3}-${p.agentId.slice(-6)}@b${i % 3}.example`);
    await runSale(ctx, clock, b, 1_000 + i * 100, ending, moderator.id);
  }
  const byTrigger = await stored(ctx, p.agentId);
  expect(byTrigger.totals[0]).toMatchObject({ sales: 7, adminDecisions: 3, adminLosses: 2 });
  const migration = readFileSync(path.resolve(import.meta.dirname, "../../../prisma/migrations/20261128100347_t_agent_record/migration.sql"), "utf8");
  const backfill = migration.slice(migration.indexOf("-- Backfill:")).split("\n").slice(1).join("\n").replace(/;\s*$/, "");
  expect(backfill).toMatch(/^SELECT agent_record_count_sale/);
  expect(backfill).toContain("FROM escrows e\n WHERE"); // scoped to this agent below
  await tdb.db.$transaction([
    tdb.db.agentRecord.deleteMany({ where: { agentId: p.agentId } }),
    tdb.db.agentRecordBuyer.deleteMany({ where: { agentId: p.agentId } }),
    tdb.db.$executeRawUnsafe(backfill.replace("FROM escrows e\n WHERE", `FROM escrows e\n WHERE e.agent_id = '${p.agentId}' AND`)),
  ]);
  expect(await stored(ctx, p.agentId)).toEqual(byTrigger);
});

it("the owner buying from its own agent, and a colleague at the owner's private domain, are linked; a public-domain namesake is not", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0, DEFAULT_TIER_POLICIES);
  const moderator = await createUser(tdb.db, "admin");
  const p = await createParties(tdb.db);
  const tag = p.agentId.slice(-8);
  await tdb.db.user.update({ where: { id: p.ownerId }, data: { email: `Olivia@Studio-${tag}.example` } });
  const ownerAsBuyer = await buyerOf(ctx, p, `Olivia@Studio-${tag}.example`);
  const colleague = await buyerOf(ctx, p, `sam@studio-${tag}.example`);
  const stranger = await buyerOf(ctx, p, `olivia-${tag}@gmail.com`);
  for (const b of [ownerAsBuyer, colleague, stranger]) await runSale(ctx, clock, b, 10_00, "approve", moderator.id);
  const rows = await tdb.db.agentRecordBuyer.findMany({ where: { agentId: p.agentId } });
  const linkedOf = (id: string) => rows.find((r) => r.buyerId === id)?.linked;
  expect([linkedOf(ownerAsBuyer.customerId), linkedOf(colleague.customerId), linkedOf(stranger.customerId)]).toEqual([true, true, false]);
  // …and the moderators' self-dealing signal is the same record: one sale bought by the owner.
  const profile = await agentRiskProfile(tdb.db, ctx, p.agentId);
  expect(profile.figures).toMatchObject({ sales: 3, ownerSales: 1, linkedSales: 2, distinctBuyers: 3, topBuyerSales: 1 });
  // Self-dealing (50), with the fixture's tiny file delivered three times (trivial 20, reused 15).
  expect(profile.signalScore).toBe(85);
  expect(profile.promotionFrozen).toBe(true);
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
  const moderator = await createUser(tdb.db, "admin");
  for (let i = 0; i < 6; i++) await runSale(ctx, clock, p, 1_000, "approve", moderator.id);
  const history = await tdb.db.escrowEvent.count({ where: { escrow: { agentId: p.agentId } } });
  expect(history).toBeGreaterThan(20);
  const last = await activeEscrow(ctx, p, 1_000);
  clock.advanceSeconds(60);
  await deliverArtifact(ctx, p, last.id);
  await runEscrowCommand(ctx, last.id, { kind: "agent", agentId: p.agentId }, { command: "complete" });
  const ownEvents = await tdb.db.escrowEvent.count({ where: { escrowId: last.id } });

  const statements = await rowsReturnedDuring(() =>
    runEscrowCommand(ctx, last.id, { kind: "customer", userId: p.customerId }, { command: "approve" }),
  );
  const auditRowsRead = statements.filter((s) => /escrow_events/.test(s.text)).reduce((sum, s) => sum + s.rows, 0);
  expect(auditRowsRead).toBeLessThanOrEqual(ownEvents + 1);
  // …and the tier it judged was the record's: seven sales to one buyer are still `new`, so the payout is held.
  expect(await tdb.db.payoutHold.count({ where: { escrowId: last.id } })).toBe(1);
  expect((await agentRiskProfile(tdb.db, ctx, p.agentId)).figures).toMatchObject({ sales: 7, distinctBuyers: 1 });
});

it("the detail's backfill (how sales completed and were delivered) gives the same figures as the trigger", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 500, DEFAULT_TIER_POLICIES);
  const moderator = await createUser(tdb.db, "admin");
  const p = await createParties(tdb.db);
  for (const [i, ending] of (["approve", "auto_release", "withdraw", "concede", "release", "split", "approve", "open"] as const).entries()) {
    const b = await buyerOf(ctx, p, `detail${i % 2}-${p.agentId.slice(-6)}@d${i % 2}.example`);
    await runSale(ctx, clock, b, 1_000 + i * 100, ending, moderator.id);
  }
  const byTrigger = await stored(ctx, p.agentId);
  expect(byTrigger.totals).toHaveLength(1);
  expect(byTrigger.totals[0]).toMatchObject({ sales: 7, completed: 4, approvedByCustomer: 2, autoReleased: 1, deliveries: 7, onTimeDeliveries: 7 });
  const migration = readFileSync(path.resolve(import.meta.dirname, "../../../prisma/migrations/20261128184500_u_reputation_detail/migration.sql"), "utf8");
  const backfill = migration.slice(migration.indexOf("-- Backfill:")).split("\n").filter((line) => !line.startsWith("--")).join("\n").replace(/;\s*$/, "");
  expect(backfill).toMatch(/^UPDATE agent_records r/);
  expect(backfill).toContain(" WHERE r.agent_id = s.agent_id"); // scoped to this agent below
  await tdb.db.$transaction([
    tdb.db.agentRecord.updateMany({
      where: { agentId: p.agentId },
      data: { completed: 0, approvedByCustomer: 0, autoReleased: 0, deliveries: 0, onTimeDeliveries: 0 },
    }),
    tdb.db.$executeRawUnsafe(backfill.replace(" WHERE r.agent_id = s.agent_id", ` WHERE r.agent_id = '${p.agentId}' AND r.agent_id = s.agent_id`)),
  ]);
  expect(await stored(ctx, p.agentId)).toEqual(byTrigger);
});
