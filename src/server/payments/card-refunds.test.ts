// Issue 15 item 4: a customer takes wallet money back to the card — Stripe Refunds against the
// PaymentIntents that funded the wallet, oldest first, never more than each one's refundable remainder,
// written first and compensated when Stripe refuses.
import { describe, expect, it } from "vitest";
import { callerFor } from "~/server/api/root";
import type { SessionUser } from "~/server/auth/session-user";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { databaseForThisFile } from "~/test/db";
import { createParties, offer } from "~/test/engine-fixtures";
import { stripeHarnessForThisFile } from "~/test/stripe-harness";
import { createUser } from "~/test/users";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true, maxConnections: 20 });
const h = stripeHarnessForThisFile(tdb);

async function walletMinor(userId: string): Promise<number> {
  const a = await tdb.db.ledgerAccount.findUnique({ where: { key: `wallet:${userId}:USD` } });
  return Number(a?.balanceMinor ?? 0n);
}
const refundsOf = (paymentIntentId: string) => [...h.fake.objects.values()].filter((o) => o.object === "refund" && o.payment_intent === paymentIntentId);
const chargeOf = (chargeId: string) => h.fake.objects.get(chargeId)!;

describe("Return to my card", () => {
  it("refunds across two PaymentIntents, oldest first, never more than refundable or than the wallet holds", async () => {
    const user = await createUser(tdb.db, "customer");
    const caller = callerFor(h.ctx, user);
    const first = await h.cardTopUp(user, 3_000);
    const second = await h.cardTopUp(user, 2_000);
    expect(await caller.wallet.refundableToCard({ currency: "USD" })).toEqual({ currency: "USD", refundableMinor: 5_000 });

    // Spent 1,000 elsewhere: the wallet holds 4,000 though 5,000 came from cards.
    const p = await createParties(tdb.db);
    await tdb.db.conversation.update({ where: { id: p.conversationId }, data: { customerId: user.id } });
    const escrow = await offer(h.ctx, { ...p, customerId: user.id }, { amountMinor: 1_000 });
    await caller.escrow.accept({ escrowId: escrow.id });
    const before = h.fake.requests.length;
    await expect(caller.wallet.returnToCard({ amount: 4_500, currency: "USD" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    expect(h.fake.requests.length).toBe(before);
    expect(await caller.wallet.refundableToCard({ currency: "USD" })).toMatchObject({ refundableMinor: 5_000 });

    const returned = await caller.wallet.returnToCard({ amount: 3_500, currency: "USD" });
    expect(returned.map((r) => [r.amountMinor, r.status])).toEqual([[3_000, "paid"], [500, "paid"]]);
    expect(refundsOf(first.paymentIntentId).map((r) => r.amount)).toEqual([3_000]);
    expect(refundsOf(second.paymentIntentId).map((r) => r.amount)).toEqual([500]);
    expect(await walletMinor(user.id)).toBe(500);
    expect(await caller.wallet.refundableToCard({ currency: "USD" })).toMatchObject({ refundableMinor: 1_500 });

    await expect(caller.wallet.returnToCard({ amount: 1_600, currency: "USD" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/at most \$15\.00/) });
    await caller.wallet.returnToCard({ amount: 500, currency: "USD" });
    expect(chargeOf(first.chargeId)).toMatchObject({ amount_refunded: 3_000, refunded: true });
    expect(chargeOf(second.chargeId)).toMatchObject({ amount_refunded: 1_000 });
    expect(await walletMinor(user.id)).toBe(0);
  });

  it("10 concurrent returns of 30 % of a 1,000 payment: exactly three go back, Stripe never asked beyond the charge", async () => {
    const user = await createUser(tdb.db, "customer");
    const { paymentIntentId, chargeId } = await h.cardTopUp(user, 1_000);
    const caller = callerFor(h.ctx, user);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => caller.wallet.returnToCard({ amount: 300, currency: "USD" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(refundsOf(paymentIntentId)).toHaveLength(3);
    expect(chargeOf(chargeId).amount_refunded).toBe(900);
    expect(await walletMinor(user.id)).toBe(100);
  });

  it("one return sent 6 times at once with its request key: refunded once; the same key for another amount is refused", async () => {
    const user = await createUser(tdb.db, "customer");
    const { paymentIntentId, chargeId } = await h.cardTopUp(user, 1_000);
    const caller = callerFor(h.ctx, user);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => caller.wallet.returnToCard({ amount: 300, currency: "USD", requestKey: "return-2c9e" })),
    );
    expect(new Set(answers.map((a) => a.map((p) => p.id).join())).size).toBe(1);
    expect(refundsOf(paymentIntentId)).toHaveLength(1);
    expect(chargeOf(chargeId).amount_refunded).toBe(300);
    expect(await walletMinor(user.id)).toBe(700);
    await expect(caller.wallet.returnToCard({ amount: 400, currency: "USD", requestKey: "return-2c9e" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(chargeOf(chargeId).amount_refunded).toBe(300);
    expect(await walletMinor(user.id)).toBe(700);
  });

  it("Stripe failing through the retries: the money is back in the wallet and still refundable", async () => {
    const user = await createUser(tdb.db, "customer");
    const { paymentIntentId } = await h.cardTopUp(user, 2_000);
    const caller = callerFor(h.ctx, user);
    h.fake.failNext("POST /v1/refunds", 500, 3);
    await expect(caller.wallet.returnToCard({ amount: 2_000, currency: "USD" })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", message: expect.stringMatching(/back in your wallet/) });
    expect(await walletMinor(user.id)).toBe(2_000);
    expect(refundsOf(paymentIntentId)).toHaveLength(0);
    expect(await caller.wallet.refundableToCard({ currency: "USD" })).toMatchObject({ refundableMinor: 2_000 });
  });

  it("money an escrow refunded lands in the wallet first and can then go back to the card", async () => {
    const p = await createParties(tdb.db);
    const row = await tdb.db.user.findUniqueOrThrow({ where: { id: p.customerId } });
    const customer: SessionUser = { id: row.id, email: row.email, displayName: row.displayName, role: row.role };
    const caller = callerFor(h.ctx, customer);
    const escrow = await offer(h.ctx, p, { amountMinor: 2_500 });
    const started = await caller.wallet.startCardPayment({ purpose: "offer", escrowId: escrow.id, cover: "whole" });
    const { paymentIntentId } = await h.fake.pay(started.checkoutUrl.split("/").at(-1)!);
    expect(await walletMinor(p.customerId)).toBe(0);
    await runEscrowCommand(h.ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "cancel" });
    expect(await walletMinor(p.customerId)).toBe(2_500);
    await caller.wallet.returnToCard({ amount: 2_500, currency: "USD" });
    expect(refundsOf(paymentIntentId).map((r) => r.amount)).toEqual([2_500]);
    expect(await walletMinor(p.customerId)).toBe(0);
  });

  it("a refund that fails later at the card network (refund.failed) comes back to the wallet once and is refundable again", async () => {
    const user = await createUser(tdb.db, "customer");
    const { paymentIntentId } = await h.cardTopUp(user, 1_800);
    const caller = callerFor(h.ctx, user);
    await caller.wallet.returnToCard({ amount: 1_800, currency: "USD" });
    expect(await walletMinor(user.id)).toBe(0);
    const [refund] = refundsOf(paymentIntentId);
    await h.fake.failRefund(refund!.id);
    const failed = h.fake.events.filter((e) => e.type === "refund.failed").at(-1)!;
    expect(await h.fake.deliver(failed, { times: 2 })).toEqual([200, 200]);
    expect(await walletMinor(user.id)).toBe(1_800);
    expect(await caller.wallet.refundableToCard({ currency: "USD" })).toMatchObject({ refundableMinor: 1_800 });
    expect(await tdb.db.ledgerTransfer.count({ where: { kind: "payout_reversal", toAccount: { key: `wallet:${user.id}:USD` } } })).toBe(1);
  });
});
