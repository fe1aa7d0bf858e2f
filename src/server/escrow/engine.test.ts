// The escrow engine on real PostgreSQL: one full lifecycle with exact money,
// the delivery precondition in each of its failure modes, and the writes every
// transition must make.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { activeEscrow, createParties, deliverArtifact, deliveredEscrow, fund, offer, testClock, testContext } from "~/test/engine-fixtures";
import { runEscrowCommand } from "./run-command";
import { walletBalances } from "../ledger/wallet";
import { inTransaction } from "../db/transaction";
import { postAgentMessage } from "../conversations/messages";
import { toEscrowJson } from "./escrow-view";
import { drainDueTimers } from "../jobs/scheduler";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

const balanceOf = async (ctx: ReturnType<typeof testContext>, userId: string) =>
  (await walletBalances(ctx, userId)).find((b) => b.currency === "USD")?.balanceMinor ?? 0;

describe("a purchase from offer to approval", () => {
  it("holds the money, pays the owner minus the fee, and records every step", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock, 1000); // 10% fee
    const p = await createParties(tdb.db);
    await fund(ctx, p.customerId, 10_000);

    const pending = await offer(ctx, p, { amountMinor: 2_599 });
    expect(pending.status).toBe("pending");
    expect(pending.referenceCode).toMatch(/^[A-Z]{6}$/);
    expect(pending.deadlineAction).toBe("offer_expired");

    // Accept by reference code: the customer's wallet funds the escrow.
    const accepted = await runEscrowCommand(ctx, pending.referenceCode, { kind: "customer", userId: p.customerId }, { command: "accept" });
    expect(accepted.escrow.status).toBe("active");
    expect(accepted.escrow.deadlineAction).toBe("delivery_timeout");
    expect(accepted.escrow.dueAt?.getTime()).toBe(clock.now().getTime() + 24 * 3600 * 1000);
    expect(await balanceOf(ctx, p.customerId)).toBe(10_000 - 2_599);

    // escrow.funded: a trusted agent event and a system message in the conversation.
    const funded = await tdb.db.agentEvent.findFirstOrThrow({ where: { agentId: p.agentId, type: "escrow.funded" } });
    expect(funded.trusted).toBe(true);
    expect((funded.data as { escrow: { status: string } }).escrow.status).toBe("active");
    const systemLine = await tdb.db.message.findFirstOrThrow({
      where: { escrowId: pending.id, role: "system", text: { contains: "held in escrow" } },
    });
    expect(systemLine.trusted).toBe(true);

    clock.advanceSeconds(3600);
    await deliverArtifact(ctx, p, pending.id);
    const delivered = await runEscrowCommand(ctx, pending.id, { kind: "agent", agentId: p.agentId }, { command: "complete" });
    expect(delivered.escrow.status).toBe("delivered");
    expect(delivered.escrow.deadlineAction).toBe("auto_release");

    const approved = await runEscrowCommand(ctx, pending.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
    expect(approved.escrow.status).toBe("completed");
    expect(approved.escrow.outcome).toBe("released");
    expect(approved.escrow.deadline).toBeNull();
    // 10% of 2599 is 259.9 → 259 (the fee rounds down); the owner gets the rest.
    expect(Number(approved.escrow.feeAmountMinor)).toBe(259);
    expect(await balanceOf(ctx, p.ownerId)).toBe(2_599 - 259);
    const fee = await tdb.db.ledgerAccount.findUniqueOrThrow({ where: { key: "platform_fee:USD" } });
    expect(Number(fee.balanceMinor)).toBeGreaterThanOrEqual(259);

    const audit = await tdb.db.escrowEvent.findMany({ where: { escrowId: pending.id }, orderBy: { id: "asc" } });
    expect(audit.map((e) => [e.fromStatus, e.command, e.toStatus])).toEqual([
      [null, "offer", "pending"],
      ["pending", "accept", "active"],
      ["active", "complete", "delivered"],
      ["delivered", "approve", "completed"],
    ]);
    const events = await tdb.db.agentEvent.findMany({ where: { agentId: p.agentId }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["escrow.funded", "escrow.delivered", "escrow.completed"]);
    expect(events.map((e) => Number(e.seq))).toEqual([1, 2, 3]);
    expect((events[2]!.data as { via: string }).via).toBe("approve");
    const transfers = await tdb.db.ledgerTransfer.findMany({ where: { escrowId: pending.id } });
    expect(transfers.map((t) => [t.kind, Number(t.amountMinor)]).sort()).toEqual([
      ["fee", 259],
      ["fund", 2_599],
      ["release", 2_340],
    ]);
  });

  it("refuses an accept the wallet cannot cover and leaves the offer pending", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    await fund(ctx, p.customerId, 1_000);
    const pending = await offer(ctx, p, { amountMinor: 2_500 });
    await expect(
      runEscrowCommand(ctx, pending.id, { kind: "customer", userId: p.customerId }, { command: "accept" }),
    ).rejects.toMatchObject({ code: "insufficient_funds" });
    const after = await tdb.db.escrow.findUniqueOrThrow({ where: { id: pending.id } });
    expect(after.status).toBe("pending");
    expect(after.version).toBe(pending.version);
    expect(await balanceOf(ctx, p.customerId)).toBe(1_000);
    expect(await tdb.db.escrowEvent.count({ where: { escrowId: pending.id } })).toBe(1);
  });

  it("answers not_found for another party's escrow and writes nothing", async () => {
    const ctx = testContext(tdb.db, testClock());
    const p = await createParties(tdb.db);
    const stranger = await createParties(tdb.db);
    const pending = await offer(ctx, p);
    await expect(
      runEscrowCommand(ctx, pending.id, { kind: "customer", userId: stranger.customerId }, { command: "decline" }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      runEscrowCommand(ctx, pending.id, { kind: "agent", agentId: stranger.agentId }, { command: "cancel" }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("pending");
  });

  it("lists the agent's allowed actions from the transition table", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await activeEscrow(ctx, p);
    const row = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    const json = toEscrowJson(row, null, "agent", clock.now());
    expect(json.allowed_actions.sort()).toEqual(["cancel", "complete"]);
    expect(json.status).toBe("active");
    expect(json.amount).toBe(2500);
  });
});

describe("the delivery precondition (SPEC §3.2)", () => {
  const complete = (ctx: ReturnType<typeof testContext>, p: { agentId: string }, id: string) =>
    runEscrowCommand(ctx, id, { kind: "agent", agentId: p.agentId }, { command: "complete" });

  it("is escrow_not_funded while the offer is pending", async () => {
    const ctx = testContext(tdb.db, testClock());
    const p = await createParties(tdb.db);
    const pending = await offer(ctx, p);
    await expect(complete(ctx, p, pending.id)).rejects.toMatchObject({ code: "escrow_not_funded" });
  });

  it("rejects complete with no artifact at all", async () => {
    const ctx = testContext(tdb.db, testClock());
    const p = await createParties(tdb.db);
    const escrow = await activeEscrow(ctx, p);
    await expect(complete(ctx, p, escrow.id)).rejects.toMatchObject({ code: "no_artifact_since_last_status_change" });
  });

  it("rejects a text-only message that claims the file is attached", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await activeEscrow(ctx, p);
    clock.advanceSeconds(10);
    await inTransaction(tdb.db, (tx) =>
      postAgentMessage(tx, {
        agentId: p.agentId,
        conversationId: p.conversationId,
        text: "Your logo is attached! [logo.png]",
        artifactIds: [],
        escrowId: escrow.id,
        now: clock.now(),
      }),
    );
    await expect(complete(ctx, p, escrow.id)).rejects.toMatchObject({ code: "no_artifact_since_last_status_change" });
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("active");
  });

  it("does not count an artifact sent before the escrow became active", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    await fund(ctx, p.customerId, 2_500);
    const pending = await offer(ctx, p);
    await deliverArtifact(ctx, p, pending.id); // sent while still pending
    clock.advanceSeconds(5);
    await runEscrowCommand(ctx, pending.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
    await expect(complete(ctx, p, pending.id)).rejects.toMatchObject({ code: "no_artifact_since_last_status_change" });
  });

  it("does not count an artifact tied to no escrow or to another escrow", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await activeEscrow(ctx, p);
    const other = await activeEscrow(ctx, p);
    clock.advanceSeconds(5);
    await deliverArtifact(ctx, p, null);
    await deliverArtifact(ctx, p, other.id);
    await expect(complete(ctx, p, escrow.id)).rejects.toMatchObject({ code: "no_artifact_since_last_status_change" });
  });

  it("rejects an artifact that breaks the service's contract, then accepts one that meets it", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const contract = {
      kinds: ["data"],
      mime_types: ["application/json"],
      json_schema: { type: "object", required: ["summary"], properties: { summary: { type: "string" } } },
    };
    const p = await createParties(tdb.db, { contract });
    const escrow = await activeEscrow(ctx, p);
    clock.advanceSeconds(5);
    await deliverArtifact(ctx, p, escrow.id, { kind: "image", mimeType: "image/png" });
    await expect(complete(ctx, p, escrow.id)).rejects.toMatchObject({ code: "artifact_contract_unmet" });
    await deliverArtifact(ctx, p, escrow.id, { kind: "data", mimeType: "application/json", data: { title: "no summary" } });
    await expect(complete(ctx, p, escrow.id)).rejects.toMatchObject({ code: "artifact_contract_unmet" });
    await deliverArtifact(ctx, p, escrow.id, { kind: "data", mimeType: "application/json", data: { summary: "ok" } });
    const done = await complete(ctx, p, escrow.id);
    expect(done.escrow.status).toBe("delivered");
  });

  it("is idempotent: completing a delivered escrow again returns it unchanged", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    const before = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    const again = await complete(ctx, p, escrow.id);
    expect(again.noop).toBe(true);
    expect(again.escrow.version).toBe(before.version);
    expect(await tdb.db.agentEvent.count({ where: { escrowId: escrow.id, type: "escrow.delivered" } })).toBe(1);
  });
});

describe("timed transitions", () => {
  it("the scheduler applies each due deadline once and ignores escrows not yet due", async () => {
    const clock = testClock(new Date("2030-03-01T00:00:00Z"));
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const expiring = await offer(ctx, p);
    const delivered = await deliveredEscrow(ctx, clock, p);

    clock.advanceSeconds(47 * 3600); // before either deadline
    await drainDueTimers(ctx); // (other tests' escrows in this database are long due)
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: delivered.id } })).status).toBe("delivered");
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: expiring.id } })).status).toBe("pending");

    clock.advanceSeconds(2 * 3600); // review window (48 h) passed; offer (7 d) not yet
    await drainDueTimers(ctx);
    const released = await tdb.db.escrow.findUniqueOrThrow({ where: { id: delivered.id } });
    expect(released.status).toBe("completed");
    const completedEvent = await tdb.db.agentEvent.findFirstOrThrow({ where: { escrowId: delivered.id, type: "escrow.completed" } });
    expect((completedEvent.data as { via: string }).via).toBe("auto_release");
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: expiring.id } })).status).toBe("pending");

    clock.advanceSeconds(6 * 24 * 3600);
    await drainDueTimers(ctx);
    const expired = await tdb.db.escrow.findUniqueOrThrow({ where: { id: expiring.id } });
    expect(expired.status).toBe("cancelled");
    expect(expired.deadline).toBeNull();
    const again = await drainDueTimers(ctx);
    expect(again.applied).toBe(0);
    expect(await tdb.db.escrowEvent.count({ where: { escrowId: delivered.id, command: "auto_release" } })).toBe(1);
  });

  it("a timer command before its deadline changes nothing", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    await expect(
      runEscrowCommand(ctx, escrow.id, { kind: "timer" }, { command: "auto_release" }),
    ).rejects.toMatchObject({ code: "deadline_not_reached" });
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).status).toBe("delivered");
  });

  it("delivery_timeout refunds in full after the due time and grace", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    await fund(ctx, p.customerId, 500);
    const escrow = await activeEscrow(ctx, p, 2_500);
    clock.advanceSeconds(24 * 3600 + 48 * 3600 + 1);
    await drainDueTimers(ctx);
    const refunded = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    expect(refunded.status).toBe("refunded");
    expect(refunded.outcome).toBe("refunded");
    expect(await balanceOf(ctx, p.customerId)).toBe(3_000);
  });
});
