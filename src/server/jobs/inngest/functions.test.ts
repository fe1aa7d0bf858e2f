// The Inngest functions with @inngest/test (Inngest's dev server cannot run here): the step tools are
// spies, sleeps are recorded rather than waited for, and every step runs against real PostgreSQL.
import { InngestTestEngine } from "@inngest/test";
import { Inngest } from "inngest";
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliveredEscrow, fund, offer, testClock } from "~/test/engine-fixtures";
import { runEscrowCommand } from "../../escrow/run-command";
import { relayOutboxOnce, type OutboundEvent } from "../outbox-relay";
import { timerTestContext } from "~/test/timer-fixtures";
import { ESCROW_CHANGED_EVENT, type EscrowChangedData } from "./client";
import { createTimerFunctions, plannedTimers } from "./functions";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

const HOUR_S = 3600;

function harness() {
  const clock = testClock();
  const ctx = timerTestContext(tdb.db, clock);
  const fns = createTimerFunctions(new Inngest({ id: "holdfast-test" }), () => ctx);
  return { clock, ctx, fns };
}

/** The event the outbox relay publishes for the escrow's latest transition (the real relay, capturing what it sends). */
async function publishedEvent(ctx: ReturnType<typeof harness>["ctx"], escrowId: string): Promise<OutboundEvent> {
  const sent: OutboundEvent[] = [];
  while ((await relayOutboxOnce(ctx, async (events) => sent.push(...events))) > 0);
  const mine = sent.filter((e) => e.data.escrow_id === escrowId);
  const last = mine.at(-1);
  if (!last) throw new Error("no escrow.changed event was published");
  return last;
}

/**
 * Runs escrow-timers for an event. @inngest/test stops at a sleep (a step it cannot run), so each
 * sleep the run will reach is given as already elapsed; the spies still record what it slept until.
 */
async function runEscrowTimers(h: ReturnType<typeof harness>, event: OutboundEvent) {
  const timers = await plannedTimers(h.ctx, event.data.escrow_id, event.data.version);
  const t = new InngestTestEngine({
    function: h.fns.escrowTimers,
    events: [{ name: event.name, data: event.data }],
    steps: timers.map((timer) => ({ id: `sleep-until-${timer.id}`, handler: () => null })),
  });
  return t.execute();
}

describe("outbox relay", () => {
  it("publishes each escrow.changed row once, with a dedupe id per escrow version", async () => {
    const { ctx } = harness();
    const p = await createParties(tdb.db);
    const escrow = await offer(ctx, p);
    const sent: OutboundEvent[] = [];
    while ((await relayOutboxOnce(ctx, async (events) => sent.push(...events))) > 0);
    expect(sent.filter((e) => e.data.escrow_id === escrow.id)).toEqual([
      {
        id: `escrow.changed:${escrow.id}:1`,
        name: ESCROW_CHANGED_EVENT,
        data: expect.objectContaining({ escrow_id: escrow.id, version: 1, status: "pending", deadline_action: "offer_expired" }),
      },
    ]);
    expect(await relayOutboxOnce(ctx, async (events) => sent.push(...events))).toBe(0);
  });

  it("keeps rows for later when publishing fails", async () => {
    const { ctx, clock } = harness();
    const p = await createParties(tdb.db);
    const escrow = await offer(ctx, p);
    expect(await relayOutboxOnce(ctx, () => Promise.reject(new Error("inngest is down")))).toBe(0);
    const row = await tdb.db.outboxMessage.findFirstOrThrow({ where: { payload: { path: ["escrow_id"], equals: escrow.id } } });
    expect(row).toMatchObject({ processedAt: null, attempts: 1, lastError: "inngest is down" });
    clock.advanceSeconds(10);
    const event = await publishedEvent(ctx, escrow.id);
    expect(event.data.version).toBe(1);
  });
});

describe("escrow-timers", () => {
  it("is cancelled by a later version of the same escrow", () => {
    const { fns } = harness();
    const opts = (fns.escrowTimers as unknown as { opts: { cancelOn: { event: string; if: string }[] } }).opts;
    expect(opts.cancelOn).toEqual([
      { event: ESCROW_CHANGED_EVENT, if: "async.data.escrow_id == event.data.escrow_id && async.data.version > event.data.version" },
    ]);
  });

  it("sleeps until the review reminders and the auto-release deadline, then releases through the engine", async () => {
    const h = harness();
    const { clock, ctx } = h;
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    const delivered = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    const event = await publishedEvent(ctx, escrow.id);
    expect(event.data).toMatchObject({ status: "delivered", version: delivered.version, deadline: delivered.deadline!.toISOString() });

    clock.advanceSeconds(49 * HOUR_S); // as if Inngest woke us after the sleeps
    const { result, ctx: run } = await runEscrowTimers(h, event);

    const sleeps = run.step.sleepUntil.mock.calls.map((c) => new Date(c[1] as Date).toISOString());
    expect(sleeps).toEqual([
      new Date(delivered.deadline!.getTime() - 24 * HOUR_S * 1000).toISOString(),
      new Date(delivered.deadline!.getTime() - 4 * HOUR_S * 1000).toISOString(),
      delivered.deadline!.toISOString(),
    ]);
    expect((result as { fired: { result: string; kind: string }[] }).fired.map((f) => [f.kind, f.result])).toEqual([
      ["review_reminder", "applied"],
      ["review_reminder", "applied"],
      ["deadline", "applied"],
    ]);
    const after = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    expect(after).toMatchObject({ status: "completed", outcome: "released" });
    expect(await tdb.db.escrowEvent.count({ where: { escrowId: escrow.id, command: "auto_release" } })).toBe(1);
    expect(await tdb.db.notification.count({ where: { escrowId: escrow.id, template: "review_reminder" } })).toBe(2);
  });

  it("does nothing when the escrow moved on (a late or uncancelled run)", async () => {
    const h = harness();
    const { clock, ctx } = h;
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    const event = await publishedEvent(ctx, escrow.id);
    // The customer disputes before the deadline; the run for the delivered version still happens.
    await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "dispute", reason: "broken" });
    const disputed = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    clock.advanceSeconds(49 * HOUR_S);

    const { result } = await runEscrowTimers(h, event);
    expect((result as { fired: { result: string }[] }).fired).toEqual([expect.objectContaining({ result: "stale" })]);
    const after = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    expect(after).toEqual(disputed);
    expect(await tdb.db.notification.count({ where: { escrowId: escrow.id, template: "review_reminder" } })).toBe(0);
  });

  it("a repeated run of the same event changes nothing the second time", async () => {
    const h = harness();
    const { clock, ctx } = h;
    const p = await createParties(tdb.db);
    const escrow = await offer(ctx, p);
    const event = await publishedEvent(ctx, escrow.id);
    clock.advanceSeconds(8 * 24 * HOUR_S);
    const run = () => runEscrowTimers(h, event);
    const first = (await run()).result as { fired: { result: string }[] };
    expect(first.fired.map((f) => f.result)).toEqual(["applied"]);
    const second = (await run()).result as { fired: unknown[] };
    expect(second.fired).toEqual([]); // nothing left scheduled for that version
    expect(await tdb.db.escrowEvent.count({ where: { escrowId: escrow.id, command: "offer_expired" } })).toBe(1);
  });
});

describe("timer-backstop (cron)", () => {
  it("re-plans a deadline that lost its timer and fires what Inngest missed", async () => {
    const { clock, ctx, fns } = harness();
    const p = await createParties(tdb.db);
    const escrow = await offer(ctx, p);
    await tdb.db.escrowTimer.deleteMany({ where: { escrowId: escrow.id } });
    clock.advanceSeconds(8 * 24 * HOUR_S);
    const t = new InngestTestEngine({ function: fns.timerBackstop });
    const { result } = await t.execute();
    expect(result).toMatchObject({ repaired: expect.any(Number), fired: expect.any(Number) });
    expect((result as { repaired: number }).repaired).toBeGreaterThanOrEqual(1);
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("cancelled");
  });
});

describe("timer-backstop on an escrow that moved on", () => {
  it("fires the stale timer as stale and changes nothing", async () => {
    const { clock, ctx, fns } = harness();
    const p = await createParties(tdb.db);
    const escrow = await offer(ctx, p);
    clock.advanceSeconds(7 * 24 * HOUR_S - 60);
    await fund(ctx, p.customerId, 2500);
    await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
    const active = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    clock.advanceSeconds(10 * 60); // the offer's expiry timer is late by over a minute
    const { result } = await new InngestTestEngine({ function: fns.timerBackstop }).execute();
    expect((result as { fired: number }).fired).toBeGreaterThanOrEqual(1);
    expect(await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).toEqual(active);
    const expiry = await tdb.db.escrowTimer.findFirstOrThrow({ where: { escrowId: escrow.id, escrowVersion: 1 } });
    expect(expiry.status).toBe("stale");
  });
});

export type { EscrowChangedData };
