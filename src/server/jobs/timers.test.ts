// The timer contract on real PostgreSQL: every transition records its timers with it; a firing acts
// only on the version that planned it and past its deadline; duplicates, stale and early firings
// change nothing; races between a person and a timer have exactly one winner with the ledger balanced.
import { describe, expect, it } from "vitest";
import { isDomainError } from "~/domain/escrow/errors";
import { databaseForThisFile } from "~/test/db";
import { parseCurrencySettings, type CurrencySettings } from "~/domain/currency";
import { activeEscrow, createParties, deliverArtifact, deliveredEscrow, offer, testClock, type Parties, type TestClock } from "~/test/engine-fixtures";
import { addTestFunds } from "../ledger/wallet";
import type { EngineContext } from "../context";
import { runEscrowCommand } from "../escrow/run-command";
import { checkDatabaseLedger } from "../ledger/check";
import type { ActorRef } from "../escrow/actors";
import { fireTimerById } from "./fire-timer";
import { drainDueTimers } from "./scheduler";
import { runBackstop } from "./backstop";
import { timerTestContext } from "~/test/timer-fixtures";

const tdb = databaseForThisFile({ maxConnections: 30, ledgerBalancedAfter: true });

const HOUR_S = 3600;

async function timersOf(escrowId: string) {
  return tdb.db.escrowTimer.findMany({ where: { escrowId }, orderBy: [{ escrowVersion: "asc" }, { fireAt: "asc" }] });
}

async function deadlineTimer(escrowId: string) {
  const escrow = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrowId } });
  return tdb.db.escrowTimer.findFirstOrThrow({ where: { escrowId, escrowVersion: escrow.version, kind: "deadline" } });
}

async function setup(windows = {}) {
  const clock = testClock();
  const ctx = timerTestContext(tdb.db, clock, windows);
  const p = await createParties(tdb.db);
  return { clock, ctx, p };
}

describe("the write half: timers are recorded with the transition", () => {
  it("an offer records its expiry with the outbox row; accepting plans auto-refund, due soon and overdue", async () => {
    const { ctx, p } = await setup();
    const escrow = await offer(ctx, p);
    const [expiry] = await timersOf(escrow.id);
    expect(expiry).toMatchObject({ kind: "deadline", action: "offer_expired", escrowVersion: 1, status: "scheduled" });
    expect(expiry?.fireAt).toEqual(escrow.deadline);
    const outbox = await tdb.db.outboxMessage.findMany({ where: { topic: "escrow.changed" } });
    expect(outbox.some((o) => (o.payload as { escrow_id: string }).escrow_id === escrow.id)).toBe(true);

    await activeAccept(ctx, p, escrow.id);
    const active = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    const v2 = (await timersOf(escrow.id)).filter((t) => t.escrowVersion === 2);
    expect(v2.map((t) => [t.kind, t.action, t.fireAt.toISOString()]).sort()).toEqual(
      [
        ["deadline", "delivery_timeout", active.deadline!.toISOString()],
        ["due_soon", null, new Date(active.dueAt!.getTime() - 6 * HOUR_S * 1000).toISOString()],
        ["overdue", null, active.dueAt!.toISOString()],
      ].sort(),
    );
  });

  it("the review window follows the amount (SPEC §6.1): 48 h, 72 h, 96 h", async () => {
    for (const [amount, hours] of [
      [2_500, 48],
      [100_000, 72],
      [300_000, 96],
    ] as const) {
      const { clock, ctx, p } = await setup();
      const escrow = await deliveredEscrow(ctx, clock, p, amount);
      const row = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
      expect(row.deadline!.getTime() - row.statusChangedAt.getTime()).toBe(hours * HOUR_S * 1000);
    }
  });
});

describe("the review window by amount, across currencies", () => {
  it("reads the amount in the limits' currency: ¥300,000 ($2,010) gets 72 h, €2,400.00 ($2,592) 96 h", async () => {
    const currencies = parseCurrencySettings({ currencies: "USD,EUR,JPY", rates: "EUR=1.08,JPY=0.0067" }) as CurrencySettings;
    for (const [amount, currency, hours] of [
      [300_000, "JPY", 72],
      [240_000, "EUR", 96],
    ] as const) {
      const { clock, ctx: base, p } = await setup();
      const ctx = { ...base, config: { ...base.config, currencies } };
      await addTestFunds(ctx, p.customerId, currency, amount);
      const escrow = await offer(ctx, p, { amountMinor: amount, currency });
      await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
      clock.advanceSeconds(60);
      await deliverArtifact(ctx, p, escrow.id);
      await runEscrowCommand(ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "complete" });
      const row = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
      expect(row.deadline!.getTime() - row.statusChangedAt.getTime()).toBe(hours * HOUR_S * 1000);
    }
  });
});

async function activeAccept(ctx: EngineContext, p: Parties, escrowId: string) {
  const { addTestFunds } = await import("../ledger/wallet");
  await addTestFunds(ctx, p.customerId, "USD", 2500);
  await runEscrowCommand(ctx, escrowId, { kind: "customer", userId: p.customerId }, { command: "accept" });
}

describe("the read half: firings that must change nothing", () => {
  it("a stale timer (the escrow moved on) is marked stale and changes nothing", async () => {
    const { clock, ctx, p } = await setup();
    const escrow = await offer(ctx, p);
    const expiry = await deadlineTimer(escrow.id);
    clock.advanceSeconds(7 * 24 * HOUR_S - 2 * HOUR_S);
    await activeAccept(ctx, p, escrow.id);
    clock.advanceSeconds(3 * HOUR_S); // the offer's expiry has passed, the escrow is active
    const before = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    const outcome = await fireTimerById(ctx, expiry.id);
    expect(outcome).toMatchObject({ result: "stale" });
    const after = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    expect(after).toEqual(before);
    expect((await tdb.db.escrowTimer.findUniqueOrThrow({ where: { id: expiry.id } })).status).toBe("stale");
  });

  it("an early timer does nothing and stays scheduled; a late one acts; a repeat does nothing", async () => {
    const { clock, ctx, p } = await setup();
    const escrow = await offer(ctx, p);
    const expiry = await deadlineTimer(escrow.id);
    clock.advanceSeconds(7 * 24 * HOUR_S - 1);
    expect(await fireTimerById(ctx, expiry.id)).toMatchObject({ result: "not_due" });
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("pending");
    clock.advanceSeconds(3600 * 30); // a day late
    expect(await fireTimerById(ctx, expiry.id)).toMatchObject({ result: "applied" });
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("cancelled");
    expect(await fireTimerById(ctx, expiry.id)).toMatchObject({ result: "already_done" });
    expect(await tdb.db.escrowEvent.count({ where: { escrowId: escrow.id, command: "offer_expired" } })).toBe(1);
  });

  it("the same timer fired 5 times concurrently makes one transition", async () => {
    for (let round = 0; round < 5; round++) {
      const { clock, ctx, p } = await setup();
      const escrow = await deliveredEscrow(ctx, clock, p);
      const timer = await deadlineTimer(escrow.id);
      clock.advanceSeconds(49 * HOUR_S);
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => fireTimerById(ctx, timer.id)));
      expect(outcomes.filter((o) => o.result === "applied")).toHaveLength(1);
      expect(outcomes.filter((o) => o.result === "already_done")).toHaveLength(4);
      expect(await tdb.db.escrowEvent.count({ where: { escrowId: escrow.id, command: "auto_release" } })).toBe(1);
      expect(await tdb.db.ledgerTransfer.count({ where: { escrowId: escrow.id, kind: "release" } })).toBe(1);
    }
  });

  it("a timer whose action no longer matches is stale, and the backstop does not plan it again", async () => {
    const { clock, ctx, p } = await setup();
    const escrow = await offer(ctx, p);
    clock.advanceSeconds(8 * 24 * HOUR_S);
    // Point the timer at an action that does not match: the domain refuses it as stale.
    const timer = await deadlineTimer(escrow.id);
    await tdb.db.escrowTimer.update({ where: { id: timer.id }, data: { action: "auto_release" } });
    expect(await fireTimerById(ctx, timer.id)).toMatchObject({ result: "stale" });
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("pending");
    // The backstop does not re-create a timer this version already had: nothing fires twice.
    await runBackstop(ctx);
    expect(await tdb.db.escrowTimer.count({ where: { escrowId: escrow.id, escrowVersion: 1, kind: "deadline" } })).toBe(1);
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("pending");
  });
});

describe("the backstop repairs a schedule with a missing timer", () => {
  it("re-creates the deadline timer of an escrow that lost it, and fires it", async () => {
    const { clock, ctx, p } = await setup();
    const escrow = await offer(ctx, p);
    await tdb.db.escrowTimer.deleteMany({ where: { escrowId: escrow.id } });
    clock.advanceSeconds(8 * 24 * HOUR_S);
    const result = await runBackstop(ctx);
    expect(result.repaired).toBeGreaterThanOrEqual(1);
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("cancelled");
  });
});

// ── races: a person and a timer, both orders, many times ───────────────────────────────────────────

type Scenario = {
  name: string;
  /** Brings a fresh escrow to the state where the person's command and the timer compete. */
  prepare(ctx: EngineContext, clock: TestClock, p: Parties): Promise<string>;
  person(ctx: EngineContext, p: Parties, escrowId: string): Promise<unknown>;
  from: string;
  personWins: string;
  timerWins: string;
};

const customer = (p: Parties): ActorRef => ({ kind: "customer", userId: p.customerId });
const agent = (p: Parties): ActorRef => ({ kind: "agent", agentId: p.agentId });

async function disputed(ctx: EngineContext, clock: TestClock, p: Parties) {
  const escrow = await deliveredEscrow(ctx, clock, p);
  await runEscrowCommand(ctx, escrow.id, customer(p), { command: "dispute", reason: "not what I asked for" });
  return escrow.id;
}

const scenarios: Scenario[] = [
  {
    name: "approve vs auto_release",
    prepare: async (ctx, clock, p) => (await deliveredEscrow(ctx, clock, p)).id,
    person: (ctx, p, id) => runEscrowCommand(ctx, id, customer(p), { command: "approve" }),
    from: "delivered",
    personWins: "completed",
    timerWins: "completed",
  },
  {
    name: "dispute vs auto_release",
    prepare: async (ctx, clock, p) => (await deliveredEscrow(ctx, clock, p)).id,
    person: (ctx, p, id) => runEscrowCommand(ctx, id, customer(p), { command: "dispute", reason: "broken" }),
    from: "delivered",
    personWins: "disputed",
    timerWins: "completed",
  },
  {
    name: "defend vs response_timeout",
    prepare: disputed,
    person: (ctx, p, id) => runEscrowCommand(ctx, id, agent(p), { command: "defend", explanation: "It matches the brief." }),
    from: "disputed",
    personWins: "negotiating",
    timerWins: "admin_review",
  },
  {
    name: "agree_refund vs negotiation_timeout",
    prepare: async (ctx, clock, p) => {
      const id = await disputed(ctx, clock, p);
      await runEscrowCommand(ctx, id, agent(p), { command: "defend", explanation: "It matches the brief." });
      return id;
    },
    person: (ctx, p, id) => runEscrowCommand(ctx, id, agent(p), { command: "agree_refund" }),
    from: "negotiating",
    personWins: "refunded",
    timerWins: "admin_review",
  },
];

const ORDERS = ["person then timer", "timer then person", "concurrent, person first", "concurrent, timer first"] as const;
const ROUNDS_PER_ORDER = 4;

describe.each(scenarios)("race: $name", (scenario) => {
  it.each(ORDERS.flatMap((order) => Array.from({ length: ROUNDS_PER_ORDER }, (_, i) => [order, i] as const)))(
    "%s (round %i): exactly one outcome, ledger balanced",
    async (order) => {
      const { clock, ctx, p } = await setup();
      const escrowId = await scenario.prepare(ctx, clock, p);
      const timer = await deadlineTimer(escrowId);
      clock.advanceSeconds(49 * HOUR_S); // the deadline has passed: both may act

      const runPerson = () => scenario.person(ctx, p, escrowId).then(() => "person" as const);
      const runTimer = () => fireTimerById(ctx, timer.id).then((o) => (o.result === "applied" ? ("timer" as const) : null));
      let settled: PromiseSettledResult<"person" | "timer" | null>[];
      if (order === "person then timer") settled = await sequential([runPerson, runTimer]);
      else if (order === "timer then person") settled = await sequential([runTimer, runPerson]);
      else if (order === "concurrent, person first") settled = await Promise.allSettled([runPerson(), runTimer()]);
      else settled = await Promise.allSettled([runTimer(), runPerson()]);

      const winners = settled.flatMap((s) => (s.status === "fulfilled" && s.value ? [s.value] : []));
      const refusals = settled.flatMap((s) => (s.status === "rejected" ? [s.reason] : []));
      expect(winners).toHaveLength(1);
      for (const r of refusals) expect(isDomainError(r) && r.code).toBe("invalid_transition");
      if (order === "person then timer") expect(winners).toEqual(["person"]);
      if (order === "timer then person") expect(winners).toEqual(["timer"]);

      const after = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrowId } });
      expect(after.status).toBe(winners[0] === "person" ? scenario.personWins : scenario.timerWins);
      expect(await tdb.db.escrowEvent.count({ where: { escrowId, fromStatus: scenario.from as never } })).toBe(1);
      const timerRow = await tdb.db.escrowTimer.findUniqueOrThrow({ where: { id: timer.id } });
      expect(timerRow.status).toBe(winners[0] === "timer" ? "fired" : "stale");
      expect(await checkDatabaseLedger(tdb.db)).toEqual([]);
    },
  );
});

async function sequential<T>(runs: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  const out: PromiseSettledResult<T>[] = [];
  for (const run of runs) {
    try {
      out.push({ status: "fulfilled", value: await run() });
    } catch (reason) {
      out.push({ status: "rejected", reason });
    }
  }
  return out;
}

// ── notices: reminders, due soon, overdue — each once ──────────────────────────────────────────────

describe("review reminders (SPEC §6.1)", () => {
  it("go to the customer at 24 h and 4 h left, once each, and again for an extended deadline", async () => {
    const { clock, ctx, p } = await setup();
    const escrow = await deliveredEscrow(ctx, clock, p);
    const reminders = () =>
      tdb.db.notification.findMany({ where: { escrowId: escrow.id, template: "review_reminder" }, orderBy: { createdAt: "asc" } });

    clock.advanceSeconds(23 * HOUR_S);
    await drainDueTimers(ctx, 4);
    expect(await reminders()).toHaveLength(0);
    clock.advanceSeconds(2 * HOUR_S); // 23 h left
    await Promise.all([drainDueTimers(ctx, 4), drainDueTimers(ctx, 4)]);
    await drainDueTimers(ctx, 4);
    const first = await reminders();
    expect(first).toHaveLength(1);
    const customer = await tdb.db.user.findUniqueOrThrow({ where: { id: p.customerId } });
    expect(first[0]).toMatchObject({ channel: "email", address: customer.email, userId: p.customerId, status: "pending" });
    expect(first[0]?.subject).toContain("released in 23 hours");

    // The customer extends: reminders are planned again for the new deadline.
    await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "extend_review" });
    clock.advanceSeconds(22 * HOUR_S); // 1 h before the old deadline: old 4 h reminder is stale
    await drainDueTimers(ctx, 4);
    expect(await reminders()).toHaveLength(1);
    clock.advanceSeconds(46 * HOUR_S); // 3 h before the new deadline: past its 24 h and 4 h reminders
    await drainDueTimers(ctx, 4);
    await drainDueTimers(ctx, 4);
    const all = await reminders();
    expect(all).toHaveLength(3);
    expect(all[2]?.subject).toContain("released in 3 hours");
    const stale = await tdb.db.escrowTimer.count({ where: { escrowId: escrow.id, kind: "review_reminder", status: "stale" } });
    expect(stale).toBe(1);
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("delivered");
  });
});

describe("delivery due time (SPEC §6.2)", () => {
  it("escrow.due_soon and escrow.overdue reach the agent once each; the owner and customer are told; then auto-refund", async () => {
    const { clock, ctx, p } = await setup();
    const escrow = await activeEscrow(ctx, p); // due in 24 h (the service's delivery time)
    const events = (type: string) => tdb.db.agentEvent.findMany({ where: { escrowId: escrow.id, type } });

    clock.advanceSeconds(17 * HOUR_S);
    await drainDueTimers(ctx, 4);
    expect(await events("escrow.due_soon")).toHaveLength(0);
    clock.advanceSeconds(2 * HOUR_S); // 5 h before due
    await Promise.all([drainDueTimers(ctx, 4), drainDueTimers(ctx, 4)]);
    const dueSoon = await events("escrow.due_soon");
    expect(dueSoon).toHaveLength(1);
    expect(dueSoon[0]).toMatchObject({ trusted: true });

    // Before due, the customer cannot cancel as overdue.
    await expect(
      runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "cancel_overdue" }),
    ).rejects.toMatchObject({ code: "not_overdue" });

    clock.advanceSeconds(6 * HOUR_S); // 1 h overdue
    await Promise.all([drainDueTimers(ctx, 4), drainDueTimers(ctx, 4)]);
    await drainDueTimers(ctx, 4);
    expect(await events("escrow.due_soon")).toHaveLength(1);
    const overdue = await events("escrow.overdue");
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ trusted: true });
    const toCustomer = await tdb.db.notification.findMany({ where: { escrowId: escrow.id, userId: p.customerId } });
    expect(toCustomer.map((n) => n.template)).toEqual(["delivery_overdue"]);
    const alerts = await tdb.db.ownerAlert.findMany({ where: { escrowId: escrow.id } });
    expect(alerts).toEqual([expect.objectContaining({ ownerId: p.ownerId, agentId: p.agentId, reason: "other", severity: "warning", status: "open" })]);
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("active");

    clock.advanceSeconds(48 * HOUR_S); // past the grace period
    await drainDueTimers(ctx, 4);
    const after = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    expect(after).toMatchObject({ status: "refunded", outcome: "refunded" });
    expect(await tdb.db.ledgerTransfer.count({ where: { escrowId: escrow.id, kind: "refund" } })).toBe(1);
  });

  it("after the due time the customer may cancel for a full refund; the later timers are stale", async () => {
    const { clock, ctx, p } = await setup();
    const escrow = await activeEscrow(ctx, p);
    clock.advanceSeconds(25 * HOUR_S);
    await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "cancel_overdue" });
    clock.advanceSeconds(72 * HOUR_S);
    await drainDueTimers(ctx, 4);
    const fired = await tdb.db.escrowTimer.count({ where: { escrowId: escrow.id, escrowVersion: 2, status: "fired" } });
    expect(fired).toBe(0);
    expect(await tdb.db.escrowTimer.count({ where: { escrowId: escrow.id, escrowVersion: 2, status: "stale" } })).toBe(3);
    expect(await tdb.db.agentEvent.count({ where: { escrowId: escrow.id, type: { in: ["escrow.due_soon", "escrow.overdue"] } } })).toBe(0);
    expect(await tdb.db.escrowEvent.count({ where: { escrowId: escrow.id, command: "delivery_timeout" } })).toBe(0);
  });
});

describe("the backstop follows a deadline moved by hand", () => {
  it("brings a later timer forward to the escrow's passed deadline and fires it", async () => {
    const { clock, ctx, p } = await setup();
    const escrow = await offer(ctx, p);
    clock.advanceSeconds(3600);
    await tdb.db.escrow.update({ where: { id: escrow.id }, data: { deadline: clock.now() } });
    clock.advanceSeconds(1);
    await drainDueTimers(ctx, 2);
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("pending");
    await runBackstop(ctx);
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("cancelled");
  });
});
