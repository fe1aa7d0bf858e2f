// The one write path, structurally (issues 19 and 20): every transition finds, locks and reads its escrow
// row with exactly one `SELECT … FOR UPDATE` (no second read before deciding), in at most six statements
// from BEGIN to COMMIT — an accept, a complete, a timer
// firing and a buying agent's accept alike — and an offer, from whatever transport, writes the same
// record as a command (audit row, outbox row, timers) and raises the owner alerts its row declares.
// Counted from the statements the client sends (src/test/statement-log.ts); no timings are asserted.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGNAL_ACTIONS } from "~/domain/signals";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliverArtifact, deliveredEscrow, fund, offer, testClock } from "~/test/engine-fixtures";
import { statementLoggingDb, type StatementLog } from "~/test/statement-log";
import { timerTestContext } from "~/test/timer-fixtures";
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import { newId } from "../ids";
import { fireTimerById } from "../jobs/fire-timer";
import { acceptPurchase } from "../purchases/purchasing";
import { executeEscrowCommand, runEscrowCommand } from "./run-command";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });
let log: StatementLog;
const clock = testClock();
let ctx: EngineContext;

beforeAll(() => {
  log = statementLoggingDb(tdb.url);
  // The production signal rules (the fixtures switch them off): a release measures the seller's standing —
  // record and signals — and the round-trip budget must hold with them.
  const base = timerTestContext(log.db, clock);
  ctx = { ...base, config: { ...base.config, signalActions: SIGNAL_ACTIONS } };
});
afterAll(() => log.close());

const onEscrows = (sql: string) => /\bFROM\s+("public"\.)?"?escrows"?\s/i.test(sql);
/** Statements that lock an escrow row. */
const escrowLocks = (statements: string[]) => statements.filter(locksAnEscrow);
/** `… FOR UPDATE` on escrows, or `… FOR UPDATE OF x` where x is an alias of escrows (not another table's lock). */
function locksAnEscrow(sql: string): boolean {
  if (!/FOR UPDATE/i.test(sql)) return false;
  const of = /FOR UPDATE OF\s+(\w+)/i.exec(sql)?.[1];
  return of === undefined ? onEscrows(sql) : new RegExp(`\\bFROM\\s+("public"\\.)?"?escrows"?\\s+(AS\\s+)?${of}\\b`, "i").test(sql);
}
/**
 * Plain reads of one escrow row by its id or reference code (not the lock; not the risk rules' queries
 * over an agent's escrows).
 */
const escrowRowReads = (statements: string[]) =>
  statements.filter(
    (s) => /^\s*SELECT/i.test(s) && !/FOR UPDATE/i.test(s) && /WHERE[\s(]*"public"\."escrows"\."(id|reference_code)" =/.test(s),
  );
/** Everything sent before the compare-and-set UPDATE of the escrow: what the decision was made on. */
const beforeCas = (statements: string[]) => {
  const cas = statements.findIndex((s) => /\bUPDATE\s+("public"\.)?"?escrows"?\s/i.test(s));
  expect(cas, "the transition wrote the escrow row").toBeGreaterThan(0);
  return statements.slice(0, cas);
};

const customerOf = (p: { customerId: string }) => ({ kind: "customer", userId: p.customerId }) as const;

async function measured<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  log.clear();
  const result = await run();
  return { result, statements: [...log.statements] };
}

describe("every transition locks and reads its escrow in one statement before deciding", () => {
  it("accept (by reference code), complete and approve", async () => {
    const p = await createParties(log.db);
    await fund(ctx, p.customerId, 5_000);
    const pending = await offer(ctx, p);
    const customer = { kind: "customer", userId: p.customerId } as const;

    const accept = await measured(() => runEscrowCommand(ctx, pending.referenceCode, customer, { command: "accept" }));
    expect(accept.result.escrow.status).toBe("active");
    expect(escrowLocks(accept.statements)).toHaveLength(1);
    expect(escrowRowReads(beforeCas(accept.statements))).toHaveLength(0);

    clock.advanceSeconds(60);
    await deliverArtifact(ctx, p, pending.id);
    const complete = await measured(() => runEscrowCommand(ctx, pending.id, { kind: "agent", agentId: p.agentId }, { command: "complete" }));
    expect(complete.result.escrow.status).toBe("delivered");
    expect(escrowLocks(complete.statements)).toHaveLength(1);
    expect(escrowRowReads(beforeCas(complete.statements))).toHaveLength(0);

    const approve = await measured(() => runEscrowCommand(ctx, pending.id, customer, { command: "approve" }));
    expect(approve.result.escrow.status).toBe("completed");
    expect(escrowLocks(approve.statements)).toHaveLength(1);
  });

  it("a firing deadline timer", async () => {
    const p = await createParties(log.db);
    const pending = await offer(ctx, p);
    const timer = await log.db.escrowTimer.findFirstOrThrow({ where: { escrowId: pending.id, kind: "deadline" } });
    clock.set(timer.fireAt);
    const fired = await measured(() => fireTimerById(ctx, timer.id));
    expect(fired.result).toMatchObject({ result: "applied" });
    expect((await log.db.escrow.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("cancelled");
    expect(escrowLocks(fired.statements)).toHaveLength(1);
    expect(escrowRowReads(beforeCas(fired.statements))).toHaveLength(0);
  });

  it("a firing reminder timer, and a stale one", async () => {
    const p = await createParties(log.db);
    await fund(ctx, p.customerId, 5_000);
    const pending = await offer(ctx, p);
    await runEscrowCommand(ctx, pending.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
    const [dueSoon, overdue] = await Promise.all(
      (["due_soon", "overdue"] as const).map((kind) => log.db.escrowTimer.findFirstOrThrow({ where: { escrowId: pending.id, kind } })),
    );
    clock.set(dueSoon!.fireAt);
    const fired = await measured(() => fireTimerById(ctx, dueSoon!.id));
    expect(fired.result).toMatchObject({ result: "applied" });
    expect(escrowLocks(fired.statements)).toHaveLength(1);
    expect(escrowRowReads(fired.statements)).toHaveLength(0);

    await runEscrowCommand(ctx, pending.id, { kind: "agent", agentId: p.agentId }, { command: "cancel" });
    clock.set(overdue!.fireAt);
    const stale = await measured(() => fireTimerById(ctx, overdue!.id));
    expect(stale.result).toMatchObject({ result: "stale" });
    expect(escrowLocks(stale.statements)).toHaveLength(1);
  });
});

/** At most this many statements per transition, BEGIN and COMMIT included (issue 20). */
const MAX_STATEMENTS_PER_TRANSITION = 6;

/** Asserts the round-trip budget, printing the statements sent when it is exceeded. */
function expectWithinRoundTrips(label: string, statements: string[]): void {
  const listing = statements.map((s, i) => `${i + 1}. ${s.replace(/\s+/g, " ").slice(0, 240)}`).join("\n");
  expect(statements.length, `${label} sent ${statements.length} statements:\n${listing}`).toBeLessThanOrEqual(MAX_STATEMENTS_PER_TRANSITION);
}

describe(`every transition is at most ${MAX_STATEMENTS_PER_TRANSITION} statements, BEGIN and COMMIT included`, () => {

  it("accept", async () => {
    const p = await createParties(log.db);
    await fund(ctx, p.customerId, 5_000);
    const pending = await offer(ctx, p);
    const accept = await measured(() => runEscrowCommand(ctx, pending.id, customerOf(p), { command: "accept" }));
    expect(accept.result.escrow.status).toBe("active");
    expectWithinRoundTrips("accept", accept.statements);
  });

  it("complete", async () => {
    const p = await createParties(log.db);
    await fund(ctx, p.customerId, 5_000);
    const pending = await offer(ctx, p);
    await runEscrowCommand(ctx, pending.id, customerOf(p), { command: "accept" });
    clock.advanceSeconds(60);
    await deliverArtifact(ctx, p, pending.id);
    const complete = await measured(() => runEscrowCommand(ctx, pending.id, { kind: "agent", agentId: p.agentId }, { command: "complete" }));
    expect(complete.result.escrow.status).toBe("delivered");
    expectWithinRoundTrips("complete", complete.statements);
  });

  it("approve (a release to the seller with the platform's fee)", async () => {
    const p = await createParties(log.db);
    const pending = await deliveredEscrow(ctx, clock, p);
    const approve = await measured(() => runEscrowCommand(ctx, pending.id, customerOf(p), { command: "approve" }));
    expect(approve.result.escrow.status).toBe("completed");
    expectWithinRoundTrips("approve", approve.statements);
    const transfers = await log.db.ledgerTransfer.findMany({ where: { escrowId: pending.id } });
    expect(transfers.map((t) => t.kind).sort()).toEqual(["fee", "fund", "release"]);
  });

  it("a timer firing: an offer's deadline (cancel) and a review deadline (auto-approve, a release)", async () => {
    const p = await createParties(log.db);
    const expiring = await offer(ctx, p);
    const expiry = await log.db.escrowTimer.findFirstOrThrow({ where: { escrowId: expiring.id, kind: "deadline" } });
    clock.set(expiry.fireAt);
    const cancelled = await measured(() => fireTimerById(ctx, expiry.id));
    expect(cancelled.result).toMatchObject({ result: "applied" });
    expectWithinRoundTrips("an offer's deadline firing", cancelled.statements);

    const pending = await deliveredEscrow(ctx, clock, p);
    const { version } = await log.db.escrow.findUniqueOrThrow({ where: { id: pending.id } });
    const review = await log.db.escrowTimer.findFirstOrThrow({ where: { escrowId: pending.id, kind: "deadline", escrowVersion: version } });
    clock.set(review.fireAt);
    const released = await measured(() => fireTimerById(ctx, review.id));
    expect(released.result).toMatchObject({ result: "applied" });
    expect((await log.db.escrow.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("completed");
    expectWithinRoundTrips("a review deadline firing", released.statements);
  });
});

describe("the global lock order (issue 20): agents, then the conversation, then ledger accounts", () => {
  const writesAccounts = (sql: string) => /\b(INSERT INTO|UPDATE)\s+("public"\.)?"?ledger_accounts"?\s/i.test(sql) || /\bledger_accounts\b[\s\S]*ON CONFLICT \(key\) DO UPDATE/i.test(sql);
  /** Locks agent rows (not the escrow lock, whose statement reads the seller's owner from agents). */
  const locksAgents = (sql: string) => !locksAnEscrow(sql) && /\bFROM\s+("public"\.)?"?agents"?\s[\s\S]*FOR (NO KEY )?UPDATE/i.test(sql);

  it("a release that pays an evaluator locks the agents before it posts the evaluator's fee", async () => {
    const p = await createParties(log.db);
    const evaluator = await createParties(log.db);
    const pending = await deliveredEscrow(ctx, clock, p);
    // The evaluator the service named at delivery, and its verdict (issue 18).
    await log.db.escrow.update({ where: { id: pending.id }, data: { evaluatorAgentId: evaluator.agentId } });
    await log.db.evaluation.create({
      data: { escrowId: pending.id, evaluatorAgentId: evaluator.agentId, feeMinor: 100n, feePayer: "platform", requestedAt: clock.now(), closesAt: clock.now(), verdict: "pass", attestedAt: clock.now() },
    });
    const approve = await measured(() => runEscrowCommand(ctx, pending.id, customerOf(p), { command: "approve" }));
    expect(approve.result.escrow.status).toBe("completed");
    const transfers = await log.db.ledgerTransfer.findMany({ where: { escrowId: pending.id } });
    expect(transfers.map((t) => t.kind).sort()).toEqual(["evaluator_fee", "fee", "fund", "release"].sort());
    const firstAccountWrite = approve.statements.findIndex(writesAccounts);
    const firstAgentLock = approve.statements.findIndex(locksAgents);
    expect(firstAccountWrite, "the release wrote ledger accounts").toBeGreaterThan(0);
    expect(firstAgentLock, "an agent lock came before the first account write").toBeGreaterThan(0);
    expect(firstAgentLock).toBeLessThan(firstAccountWrite);
  });
});

describe("a buying agent's accept goes through the same path", () => {
  it("locks the escrow once, then the buying agent, and funds from its owner's wallet", async () => {
    const seller = await createParties(log.db);
    const buyerAgentId = newId("agt");
    const conversationId = newId("cnv");
    await log.db.agent.create({
      data: { id: buyerAgentId, ownerId: seller.customerId, handle: `buyer-${buyerAgentId}`, displayName: "Buyer", purchasingEnabled: true, purchaseLimitMinor: 100_000n },
    });
    await log.db.conversation.create({ data: { id: conversationId, agentId: seller.agentId, customerId: seller.customerId, buyerAgentId } });
    await fund(ctx, seller.customerId, 5_000);
    const pending = await offer(ctx, { ...seller, conversationId });

    const accepted = await measured(() => inTransaction(log.db, (tx) => acceptPurchase(tx, ctx, buyerAgentId, pending.id)));
    expect(accepted.result.escrow.status).toBe("active");
    expect(escrowLocks(accepted.statements)).toHaveLength(1);
    expect(escrowRowReads(beforeCas(accepted.statements))).toHaveLength(0);
    const events = await log.db.agentEvent.findMany({ where: { escrowId: pending.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.agentId === buyerAgentId ? "buyer" : "seller", e.type])).toEqual([
      ["buyer", "purchase.offered"],
      ["buyer", "purchase.funded"],
      ["seller", "escrow.funded"],
    ]);
  });
});

describe("an offer is the lifecycle's first row, written by the same path", () => {
  it("writes the audit row, the outbox row and its deadline timer, and raises the offer alerts from any caller", async () => {
    const p = await createParties(log.db);
    // Not in the catalog: the offer row declares the offer alerts, so even an offer made outside the
    // REST handler (here the service directly) alerts the owner.
    const made = await offer(ctx, p, { serviceId: null, title: "Something else" });
    const audit = await log.db.escrowEvent.findMany({ where: { escrowId: made.id } });
    expect(audit).toMatchObject([{ command: "offer", fromStatus: null, toStatus: "pending", actorKind: "agent", actorId: p.agentId }]);
    const outbox = await log.db.outboxMessage.findMany({ where: { topic: "escrow.changed", payload: { path: ["escrow_id"], equals: made.id } } });
    expect(outbox.map((o) => (o.payload as { event: string }).event)).toEqual(["escrow.offered"]);
    const timers = await log.db.escrowTimer.findMany({ where: { escrowId: made.id } });
    expect(timers.map((t) => [t.kind, t.action])).toEqual([["deadline", "offer_expired"]]);
    const alerts = await log.db.ownerAlert.findMany({ where: { escrowId: made.id } });
    expect(alerts.map((a) => a.reason)).toEqual(["off_catalog"]);
  });
});

describe("no second write path", () => {
  /** Production sources under src/ (tests, test harnesses and the generated client left out). */
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "generated" || full === path.join("src", "test") ? [] : sources(full);
      return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
    });
  }

  it("only record-transition.ts writes escrow rows, their audit rows or escrow.changed outbox rows", () => {
    const writes = /\bescrow\.(create|createMany|update|updateMany|upsert|delete|deleteMany)\(|\bescrowEvent\.(create|createMany)\(|\b(UPDATE|INSERT INTO|DELETE FROM)\s+"?escrows"?\b|topic: "escrow\.changed"/;
    const writers = sources("src").filter((file) => writes.test(readFileSync(file, "utf8")));
    expect(writers).toEqual([path.join("src", "server", "escrow", "record-transition.ts")]);
  });
});

/** Until a backend of this test's database waits for a lock another transaction holds (row or advisory). */
async function waitForLockWaiter(db: typeof tdb.db, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error("timed out waiting for a command to wait for the escrow's lock");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("a command that waited for the escrow's lock decides on what the other committed", () => {
  it("a counter-proposal queued behind a proposal supersedes it: one open settlement, never two", async () => {
    const p = await createParties(log.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    const customer = { kind: "customer" as const, userId: p.customerId };
    const agent = { kind: "agent" as const, agentId: p.agentId };
    await runEscrowCommand(ctx, escrow.id, customer, { command: "dispute", reason: "The logo is the wrong colour." });
    await runEscrowCommand(ctx, escrow.id, agent, { command: "defend", explanation: "It matches the brief." });

    // The agent's proposal holds the escrow's lock until released; the customer's counter-proposal waits
    // for it in its lock-and-read statement, whose subqueries read the snapshot from before the wait.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const hasLock = new Promise<void>((resolve) => (locked = resolve));
    const first = inTransaction(log.db, async (tx) => {
      const result = await executeEscrowCommand(tx, ctx, escrow.id, agent, { command: "propose_settlement", refundAmountMinor: 1_000 });
      locked();
      await held;
      return result;
    });
    await hasLock;
    const second = runEscrowCommand(ctx, escrow.id, customer, { command: "propose_settlement", refundAmountMinor: 2_000 });
    // Released only once the counter-proposal is seen waiting for the lock (a fixed sleep, on a loaded
    // machine, could release it before it got there and test no wait at all).
    await waitForLockWaiter(tdb.db);
    release();
    await first;
    await second;

    // Both were written at the test clock's same instant: created_at cannot order them; the amounts can.
    const settlements = await log.db.settlement.findMany({ where: { escrowId: escrow.id }, orderBy: { refundAmountMinor: "asc" } });
    expect(settlements.map((s) => [Number(s.refundAmountMinor), s.status])).toEqual([
      [1_000, "superseded"],
      [2_000, "open"],
    ]);
  });
});
