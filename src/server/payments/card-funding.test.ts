// Issue 15 item 2: money from a card enters the ledger only on a verified Stripe webhook. The app's own
// procedures (tRPC, as the customer), the official SDK against the local Stripe stand-in, and webhooks
// signed as Stripe signs them, delivered over real HTTP to the webhook handler.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callerFor } from "~/server/api/root";
import type { SessionUser } from "~/server/auth/session-user";
import { serveFetchHandler, type RunningServer } from "~/server/agent-api/node-server";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { addTestFunds } from "~/server/ledger/wallet";
import { createParties, offer, testClock, testContext, type Parties } from "~/test/engine-fixtures";
import { databaseForThisFile } from "~/test/db";
import { startFakeStripe, type FakeStripe } from "~/test/fake-stripe";
import type { EngineContext } from "../context";
import { stripePayments } from "./provider";
import { handleStripeWebhook } from "./webhook";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });
const clock = testClock(new Date());
let fake: FakeStripe;
let hook: RunningServer;
let ctx: EngineContext;

beforeAll(async () => {
  fake = await startFakeStripe();
  // The process's settings, as a deployment sets them (read once, at first use).
  process.env.STRIPE_SECRET_KEY = fake.secretKey;
  process.env.STRIPE_WEBHOOK_SECRET = fake.webhookSecret;
  process.env.HOLDFAST_STRIPE_API_URL = fake.url;
  process.env.HOLDFAST_BASE_URL = "http://localhost:3000";
  ctx = testContext(tdb.db, clock, 0);
  hook = await serveFetchHandler((request) => handleStripeWebhook(request, ctx, stripePayments()));
  fake.setWebhookEndpoint(`${hook.url}/api/stripe/webhook`);
});
afterAll(async () => {
  await hook.close();
  await fake.close();
});
beforeEach(() => clock.set(new Date()));

async function customerOf(p: Parties): Promise<SessionUser> {
  const u = await tdb.db.user.findUniqueOrThrow({ where: { id: p.customerId } });
  return { id: u.id, email: u.email, displayName: u.displayName, role: u.role };
}

async function walletMinor(userId: string): Promise<number> {
  const a = await tdb.db.ledgerAccount.findUnique({ where: { key: `wallet:${userId}:USD` } });
  return Number(a?.balanceMinor ?? 0n);
}

const topupsFor = (paymentIntentId: string) => tdb.db.ledgerTransfer.count({ where: { operationKey: `topup:stripe:${paymentIntentId}` } });
const sessionIdOf = (checkoutUrl: string) => checkoutUrl.split("/").at(-1)!;
const funded = (escrowId: string) => tdb.db.agentEvent.count({ where: { escrowId, type: "escrow.funded" } });

describe("configuration seen by the wallet", () => {
  it("with Stripe keys the wallet offers card payments and refuses test funds", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    expect(await caller.wallet.balance()).toMatchObject({ testFunding: false, cardPayments: true });
    await expect(caller.wallet.addTestFunds({ amount: 5000, currency: "USD" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await walletMinor(p.customerId)).toBe(0);
  });
});

describe("Add funds by card", () => {
  it("goes through Stripe's page; the wallet is credited only when the signed webhook arrives, once", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    const started = await caller.wallet.startCardPayment({ purpose: "wallet", amount: 4200, currency: "USD" });
    expect(started).toMatchObject({ amountMinor: 4200, currency: "USD" });
    expect(started.checkoutUrl.startsWith(`${fake.url}/checkout/cs_test_`)).toBe(true);
    const create = fake.requests.find((r) => r.path === "/v1/checkout/sessions");
    expect(create?.idempotencyKey).toBe(`checkout:${started.paymentId}`);
    expect(await caller.wallet.pendingCardPayments()).toEqual([expect.objectContaining({ id: started.paymentId, amountMinor: 4200 })]);

    // The hosted page, then "Pay": Stripe sends its events, then redirects back. Coming back is not paying.
    const page = await fetch(started.checkoutUrl);
    expect(await page.text()).toContain("Pay 42.00 USD");
    const back = await fetch(`${started.checkoutUrl}/pay`, { method: "POST", redirect: "manual" });
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toBe(`http://localhost:3000/wallet?payment=${started.paymentId}`);

    const payment = await tdb.db.cardPayment.findUniqueOrThrow({ where: { id: started.paymentId } });
    expect(payment).toMatchObject({ status: "paid", outcome: "topped_up" });
    expect(await walletMinor(p.customerId)).toBe(4200);
    // payment_intent.succeeded and checkout.session.completed both name the PaymentIntent: one top-up.
    expect(await topupsFor(payment.paymentIntentId!)).toBe(1);
    expect(fake.deliveries.filter((d) => d.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(await caller.wallet.pendingCardPayments()).toEqual([]);
  });

  it("a checkout the customer abandons expires: nothing credited, no longer waiting", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    const started = await caller.wallet.startCardPayment({ purpose: "wallet", amount: 900, currency: "USD" });
    await fake.expireSession(sessionIdOf(started.checkoutUrl));
    expect(await tdb.db.cardPayment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ status: "expired" });
    expect(await caller.wallet.pendingCardPayments()).toEqual([]);
    expect(await walletMinor(p.customerId)).toBe(0);
  });

  it("refuses amounts and currencies the deployment does not take, with nothing sent to Stripe", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    const before = fake.requests.length;
    await expect(caller.wallet.startCardPayment({ purpose: "wallet", amount: 0, currency: "USD" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.wallet.startCardPayment({ purpose: "wallet", amount: 100, currency: "EUR" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.wallet.startCardPayment({ purpose: "wallet", amount: 10.5, currency: "USD" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(fake.requests.length).toBe(before);
    expect(await tdb.db.cardPayment.count({ where: { userId: p.customerId } })).toBe(0);
  });

  it("limits card payments started per person: the 21st in an hour is 429 with nothing written or sent", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    for (let i = 0; i < 20; i++) await caller.wallet.startCardPayment({ purpose: "wallet", amount: 100, currency: "USD" });
    const before = fake.requests.length;
    await expect(caller.wallet.startCardPayment({ purpose: "wallet", amount: 100, currency: "USD" })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(fake.requests.length).toBe(before);
    expect(await tdb.db.cardPayment.count({ where: { userId: p.customerId } })).toBe(20);
  });

  it("answers 503 with nothing charged or credited when Stripe is down (after the SDK's retries)", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    fake.failNext("POST /v1/checkout/sessions", 500, 3);
    await expect(caller.wallet.startCardPayment({ purpose: "wallet", amount: 1000, currency: "USD" })).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: expect.stringMatching(/Nothing was charged/),
    });
    expect(await tdb.db.cardPayment.findFirst({ where: { userId: p.customerId } })).toMatchObject({ status: "failed" });
    expect(await walletMinor(p.customerId)).toBe(0);
  });
});

describe("webhooks that must move nothing", () => {
  it("forged, unsigned and stale deliveries are refused; five concurrent real ones and a later replay credit once", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    const started = await caller.wallet.startCardPayment({ purpose: "wallet", amount: 3100, currency: "USD" });
    const { paymentIntentId, events } = await fake.pay(sessionIdOf(started.checkoutUrl), { deliver: false });
    const event = events[0]!;

    expect(await fake.deliver(event, { signature: "forged" })).toEqual([400]);
    expect(await fake.deliver(event, { signature: "missing" })).toEqual([400]);
    expect(await fake.deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 301 })).toEqual([400]);
    // A body changed after signing (a bigger amount) fails the signature too.
    const tampered = { ...event, data: { object: { ...(event.data as { object: object }).object, amount_received: 999_999 } } };
    const statusTampered = await fetch(`${hook.url}/api/stripe/webhook`, {
      method: "POST",
      headers: { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`, "content-type": "application/json" },
      body: JSON.stringify(tampered),
    });
    expect(statusTampered.status).toBe(400);
    expect(await walletMinor(p.customerId)).toBe(0);
    expect(await tdb.db.inboundWebhook.count({ where: { source: "stripe", externalId: event.id } })).toBe(0);
    expect(await tdb.db.cardPayment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ status: "open" });

    expect(await fake.deliver(event, { times: 5 })).toEqual([200, 200, 200, 200, 200]);
    expect(await walletMinor(p.customerId)).toBe(3100);
    expect(await topupsFor(paymentIntentId)).toBe(1);

    // Redelivered later (Stripe retries), and the session's own event for the same PaymentIntent.
    expect(await fake.deliver(event)).toEqual([200]);
    expect(await fake.deliver(events[1]!, { times: 3 })).toEqual([200, 200, 200]);
    expect(await walletMinor(p.customerId)).toBe(3100);
    expect(await topupsFor(paymentIntentId)).toBe(1);
  });

  it("is 404 while Stripe is not configured", async () => {
    const off = await handleStripeWebhook(new Request("http://x/api/stripe/webhook", { method: "POST", body: "{}" }), ctx, null);
    expect(off.status).toBe(404);
  });
});

describe("Accept & pay by card", () => {
  it("pays the shortfall; no escrow.funded before the webhook; then accepted in the webhook's transaction", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    await addTestFunds(ctx, p.customerId, "USD", 1000);
    const escrow = await offer(ctx, p, { amountMinor: 2500 });
    const started = await caller.wallet.startCardPayment({ purpose: "offer", escrowId: escrow.id, cover: "shortfall" });
    expect(started.amountMinor).toBe(1500);
    expect(await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).toMatchObject({ status: "pending" });
    expect(await caller.wallet.pendingCardPayments()).toEqual([expect.objectContaining({ escrowId: escrow.id })]);

    const { paymentIntentId, events } = await fake.pay(sessionIdOf(started.checkoutUrl), { deliver: false });
    expect(await funded(escrow.id)).toBe(0);
    await fake.deliver(events[1]!, { times: 5 }); // checkout.session.completed, five times at once
    await fake.deliver(events[0]!);

    expect(await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).toMatchObject({ status: "active" });
    expect(await funded(escrow.id)).toBe(1);
    expect(await topupsFor(paymentIntentId)).toBe(1);
    expect(await walletMinor(p.customerId)).toBe(0);
    expect(await tdb.db.cardPayment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ status: "paid", outcome: "accepted" });
  });

  it("pays the whole amount when asked, and refuses to charge for an offer the wallet already covers", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    await addTestFunds(ctx, p.customerId, "USD", 2500);
    const escrow = await offer(ctx, p, { amountMinor: 2500 });
    await expect(caller.wallet.startCardPayment({ purpose: "offer", escrowId: escrow.id, cover: "shortfall" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const whole = await caller.wallet.startCardPayment({ purpose: "offer", escrowId: escrow.id, cover: "whole" });
    expect(whole.amountMinor).toBe(2500);
    await fake.pay(sessionIdOf(whole.checkoutUrl));
    expect(await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).toMatchObject({ status: "active" });
    expect(await walletMinor(p.customerId)).toBe(2500);
  });

  it("another customer's offer is not found, with nothing sent to Stripe", async () => {
    const p = await createParties(tdb.db);
    const other = await createParties(tdb.db);
    const escrow = await offer(ctx, p, { amountMinor: 2500 });
    const before = fake.requests.length;
    await expect(callerFor(ctx, await customerOf(other)).wallet.startCardPayment({ purpose: "offer", escrowId: escrow.id, cover: "whole" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(fake.requests.length).toBe(before);
  });

  it("a shortfall payment whose wallet part was spent meanwhile: the accept's partial writes roll back, the top-up stays", async () => {
    const p = await createParties(tdb.db);
    const caller = callerFor(ctx, await customerOf(p));
    await addTestFunds(ctx, p.customerId, "USD", 1000);
    const escrow = await offer(ctx, p, { amountMinor: 2500 });
    const started = await caller.wallet.startCardPayment({ purpose: "offer", escrowId: escrow.id, cover: "shortfall" });
    const other = await offer(ctx, p, { amountMinor: 1000 });
    await caller.escrow.accept({ escrowId: other.id });

    const { paymentIntentId } = await fake.pay(sessionIdOf(started.checkoutUrl));
    expect(await topupsFor(paymentIntentId)).toBe(1);
    expect(await walletMinor(p.customerId)).toBe(1500);
    expect(await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).toMatchObject({ status: "pending" });
    expect(await tdb.db.ledgerTransfer.count({ where: { escrowId: escrow.id } })).toBe(0);
    expect(await tdb.db.cardPayment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ outcome: "offer_unavailable" });
  });

  for (const meanwhile of ["expired", "withdrawn", "declined"] as const) {
    it(`an offer ${meanwhile} before the payment cleared: the money stays in the wallet, the offer is untouched, the customer is told`, async () => {
      const p = await createParties(tdb.db);
      const caller = callerFor(ctx, await customerOf(p));
      const escrow = await offer(ctx, p, { amountMinor: 2500 });
      const started = await caller.wallet.startCardPayment({ purpose: "offer", escrowId: escrow.id, cover: "shortfall" });
      if (meanwhile === "expired") {
        clock.advanceSeconds(ctx.config.windows.offerTtlS + 1);
        await runEscrowCommand(ctx, escrow.id, { kind: "timer" }, { command: "offer_expired" });
      } else if (meanwhile === "withdrawn") {
        await runEscrowCommand(ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "cancel" });
      } else {
        await caller.escrow.decline({ escrowId: escrow.id });
      }
      const before = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });

      const { paymentIntentId } = await fake.pay(sessionIdOf(started.checkoutUrl));
      expect(await topupsFor(paymentIntentId)).toBe(1);
      expect(await walletMinor(p.customerId)).toBe(2500);
      const after = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
      expect(after).toMatchObject({ status: "cancelled", version: before.version });
      expect(await funded(escrow.id)).toBe(0);
      expect(await tdb.db.cardPayment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({ status: "paid", outcome: "offer_unavailable" });
      const notice = await tdb.db.message.findFirst({ where: { conversationId: p.conversationId, role: "system", text: { contains: "money is in your wallet" } } });
      expect(notice?.text).toContain("$25.00");
    });
  }
});
