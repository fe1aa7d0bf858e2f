// Issue 15 item 5: a chargeback on a card payment that funded a wallet is recorded, freezes the wallet,
// is answered with evidence from Holdfast's own record (artifact hashes, timeline, approvals), and a lost
// one posts the money out — from the wallet as far as it goes, the rest to platform_loss — with every
// ledger invariant holding (this file's database is checked after its tests).
import { describe, expect, it } from "vitest";
import { callerFor } from "~/server/api/root";
import type { SessionUser } from "~/server/auth/session-user";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { checkDatabaseLedger } from "~/server/ledger/check";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliverArtifact, fund, offer, type Parties } from "~/test/engine-fixtures";
import { stripeHarnessForThisFile } from "~/test/stripe-harness";
import { newId } from "~/server/ids";
import { openCardDisputes } from "./disputes";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });
const h = stripeHarnessForThisFile(tdb);

async function balance(key: string): Promise<number> {
  const a = await tdb.db.ledgerAccount.findUnique({ where: { key } });
  return Number(a?.balanceMinor ?? 0n);
}

async function customerOf(p: Parties): Promise<SessionUser> {
  const u = await tdb.db.user.findUniqueOrThrow({ where: { id: p.customerId } });
  return { id: u.id, email: u.email, displayName: u.displayName, role: u.role };
}

/** A customer pays an offer by card; the agent delivers a file; the customer approves (money released). */
async function paidAndReleased(amountMinor: number) {
  const p = await createParties(tdb.db);
  const customer = await customerOf(p);
  const caller = callerFor(h.ctx, customer);
  const escrow = await offer(h.ctx, p, { amountMinor });
  const started = await caller.wallet.startCardPayment({ purpose: "offer", escrowId: escrow.id, cover: "whole" });
  const paid = await h.fake.pay(started.checkoutUrl.split("/").at(-1)!);
  h.clock.advanceSeconds(60);
  const artifactId = await deliverArtifact(h.ctx, p, escrow.id);
  h.clock.advanceSeconds(1);
  await runEscrowCommand(h.ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "complete" });
  await caller.escrow.approve({ escrowId: escrow.id });
  const artifact = await tdb.db.artifact.findUniqueOrThrow({ where: { id: artifactId } });
  return { p, customer, caller, escrow, paid, artifact };
}

describe("chargebacks", () => {
  it("lost after release: recorded, wallet frozen, evidence with the artifact's SHA-256 sent, loss posted, ledger:check passes", async () => {
    const { p, caller, escrow, paid, artifact } = await paidAndReleased(2_500);
    const dispute = await h.fake.openDispute(paid.chargeId);

    const row = await tdb.db.cardDispute.findUniqueOrThrow({ where: { id: dispute.id } });
    expect(row).toMatchObject({ userId: p.customerId, amountMinor: 2_500n, status: "under_review" });
    expect(row.evidenceSubmittedAt).not.toBeNull();
    const sent = h.fake.objects.get(dispute.id)!.evidence as Record<string, string>;
    // Built from the escrow's evidence bundle: the delivery as its signed receipt counted it, the chain's last receipt.
    const receipts = await tdb.db.escrowReceipt.findMany({ where: { escrowId: escrow.id }, orderBy: { seq: "asc" } });
    const delivered = receipts.find((r) => JSON.parse(Buffer.from(r.jws.split(".")[1]!, "base64url").toString()).command === "complete")!;
    expect(sent.uncategorized_text).toContain(`${artifact.name} (${artifact.mimeType}), ${artifact.sizeBytes} bytes, SHA-256 ${artifact.sha256}, named by signed receipt #${delivered.seq}`);
    expect(sent.uncategorized_text).toContain(`the last, #${receipts.at(-1)!.seq} (state completed), has SHA-256 ${receipts.at(-1)!.sha256}`);
    expect(sent.access_activity_log).toContain("customer approved the delivery");
    expect(sent.product_description).toContain(escrow.referenceCode);
    expect(sent.service_date).toBe(h.clock.now().toISOString().slice(0, 10));
    // Only Stripe's text fields, none of its file-upload fields, and no owner instructions.
    expect(Object.keys(sent).sort()).toEqual(["access_activity_log", "customer_email_address", "customer_name", "product_description", "service_date", "uncategorized_text"]);
    expect(h.fake.requests.filter((r) => r.path === `/v1/disputes/${dispute.id}`)).toHaveLength(1);
    expect(await openCardDisputes(tdb.db)).toEqual([expect.objectContaining({ id: dispute.id, evidenceSubmitted: true })]);

    await expect(caller.wallet.startCardPayment({ purpose: "wallet", amount: 100, currency: "USD" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(caller.wallet.returnToCard({ amount: 100, currency: "USD" })).rejects.toMatchObject({ code: "CONFLICT" });
    // A new order cannot be paid from the frozen wallet either (even with money in it): nothing moves.
    await fund(h.ctx, p.customerId, 100);
    const next = await offer(h.ctx, p, { amountMinor: 100 });
    await expect(caller.escrow.accept({ escrowId: next.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("disputed") });
    expect(await tdb.db.escrow.findUniqueOrThrow({ where: { id: next.id } })).toMatchObject({ status: "pending" });

    await h.fake.closeDispute(dispute.id, "lost");
    const closed = h.fake.events.filter((e) => e.type === "charge.dispute.closed").at(-1)!;
    expect(await h.fake.deliver(closed, { times: 3 })).toEqual([200, 200, 200]);
    // The 100 left in the frozen wallet pays first; the platform loses the rest.
    expect(await balance("platform_loss:USD")).toBe(-2_400);
    expect(await balance(`wallet:${p.customerId}:USD`)).toBe(0);
    expect(await tdb.db.ledgerTransfer.count({ where: { operationKey: { startsWith: `chargeback:${dispute.id}` } } })).toBe(2); // the wallet's part and the platform's
    expect(await checkDatabaseLedger(tdb.db)).toEqual([]);
    expect(await openCardDisputes(tdb.db)).toEqual([]);
  });

  it("lost with money still in the wallet: the wallet pays first, the platform only the rest", async () => {
    const p = await createParties(tdb.db);
    const customer = await customerOf(p);
    const { chargeId } = await h.cardTopUp(customer, 3_000);
    const escrow = await offer(h.ctx, p, { amountMinor: 2_000 });
    await callerFor(h.ctx, customer).escrow.accept({ escrowId: escrow.id });
    const lossBefore = await balance("platform_loss:USD");
    const dispute = await h.fake.openDispute(chargeId);
    await h.fake.closeDispute(dispute.id, "lost");
    expect(await balance(`wallet:${p.customerId}:USD`)).toBe(0);
    expect(await balance("platform_loss:USD")).toBe(lossBefore - 2_000);
    expect(await checkDatabaseLedger(tdb.db)).toEqual([]);
  });

  it("the evidence, built as the payment provider's bundle, never carries the owner's instructions", async () => {
    const { escrow, paid } = await paidAndReleased(900);
    const conv = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id }, select: { conversationId: true } });
    await tdb.db.message.create({ data: { id: newId("msg"), conversationId: conv.conversationId, role: "owner", text: "SECRET-OWNER-NOTE keep prices high", trusted: true, createdAt: h.clock.now() } });
    const dispute = await h.fake.openDispute(paid.chargeId);
    const sent = JSON.stringify(h.fake.objects.get(dispute.id)!.evidence);
    expect(sent).not.toContain("SECRET-OWNER-NOTE");
    expect(sent).toContain(escrow.referenceCode);
  });

  it("Stripe refuses the first submission: the redelivery sends the evidence built the first time, once", async () => {
    const { escrow, paid } = await paidAndReleased(700);
    h.fake.failNext("POST /v1/disputes/", 400, 1);
    const dispute = await h.fake.openDispute(paid.chargeId);
    const row = await tdb.db.cardDispute.findUniqueOrThrow({ where: { id: dispute.id } });
    expect(row.evidenceSubmittedAt).toBeNull();
    const built = (row.evidence as { escrow_ids: string[]; fields: Record<string, string> });
    expect(built.escrow_ids).toEqual([escrow.id]);
    expect(built.fields.product_description).toContain(escrow.referenceCode);
    // The record moves on meanwhile; what Stripe gets is still what was built (same idempotency key, same parameters).
    const conv = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id }, select: { conversationId: true } });
    await tdb.db.message.create({ data: { id: newId("msg"), conversationId: conv.conversationId, role: "customer", text: "LATER-MESSAGE", createdAt: h.clock.now() } });
    const created = h.fake.events.filter((e) => e.type === "charge.dispute.created").at(-1)!;
    expect(await h.fake.deliver(created)).toEqual([200]);
    expect(h.fake.objects.get(dispute.id)!.evidence).toEqual(built.fields);
    expect(JSON.stringify(h.fake.objects.get(dispute.id)!.evidence)).not.toContain("LATER-MESSAGE");
    expect((await tdb.db.cardDispute.findUniqueOrThrow({ where: { id: dispute.id } })).evidenceSubmittedAt).not.toBeNull();
  });

  it("won: nothing posted and the wallet works again", async () => {
    const { caller, paid } = await paidAndReleased(1_200);
    const transfersBefore = await tdb.db.ledgerTransfer.count();
    const dispute = await h.fake.openDispute(paid.chargeId);
    await h.fake.closeDispute(dispute.id, "won");
    expect(await tdb.db.ledgerTransfer.count()).toBe(transfersBefore);
    expect(await tdb.db.cardDispute.findUniqueOrThrow({ where: { id: dispute.id } })).toMatchObject({ status: "won" });
    await expect(caller.wallet.startCardPayment({ purpose: "wallet", amount: 100, currency: "USD" })).resolves.toMatchObject({ amountMinor: 100 });
  });
});
