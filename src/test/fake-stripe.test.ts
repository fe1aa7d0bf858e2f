// The Stripe stand-in keeps the traits of Stripe's API that Holdfast's money paths rely on, checked
// through the official SDK: unknown parameters, idempotent replays, the error object, expansion,
// pending funds, refundable amounts and webhook signatures the SDK itself verifies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { startFakeStripe, type FakeStripe } from "./fake-stripe";
import { parseStripeForm } from "./fake-stripe-form";

let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = fake.client();
});
afterAll(() => fake.close());

const session = (amount = 1000): Stripe.Checkout.SessionCreateParams => ({
  mode: "payment",
  success_url: "http://localhost/ok",
  line_items: [{ quantity: 1, price_data: { currency: "usd", unit_amount: amount, product_data: { name: "x" } } }],
  metadata: { a: "1" },
});

describe("fake Stripe", () => {
  it("parses Stripe's nested form encoding", () => {
    expect(parseStripeForm("line_items[0][price_data][currency]=usd&metadata[k]=v&expand[0]=payment_intent")).toEqual({
      line_items: [{ price_data: { currency: "usd" } }],
      metadata: { k: "v" },
      expand: ["payment_intent"],
    });
  });

  it("refuses unknown parameters with Stripe's error object", async () => {
    await expect(stripe.checkout.sessions.create({ ...session(), bogus: "1" } as never)).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 400,
      code: "parameter_unknown",
      param: "bogus",
    });
    await expect(stripe.transfers.create({ amount: 5, currency: "usd", destination: "acct_nope" })).rejects.toMatchObject({ statusCode: 404, code: "resource_missing", param: "destination" });
  });

  it("replays the first answer for an idempotency key and refuses the key with other parameters", async () => {
    const a = await stripe.checkout.sessions.create(session(), { idempotencyKey: "k-1" });
    const b = await stripe.checkout.sessions.create(session(), { idempotencyKey: "k-1" });
    expect(b.id).toBe(a.id);
    expect(fake.requests.filter((r) => r.idempotencyKey === "k-1").map((r) => r.replayed)).toEqual([false, true]);
    await expect(stripe.checkout.sessions.create(session(2000), { idempotencyKey: "k-1" })).rejects.toMatchObject({ type: "StripeIdempotencyError" });
  });

  it("takes only Stripe's dispute evidence fields: an unknown one is a 400, a file field wants an uploaded file's id", async () => {
    const s = await stripe.checkout.sessions.create(session(700));
    const { chargeId } = await fake.pay(s.id);
    const dispute = await fake.openDispute(chargeId);
    await expect(stripe.disputes.update(dispute.id, { evidence: { receipt_chain: "x" } as never })).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_unknown",
      param: "evidence[receipt_chain]",
    });
    await expect(stripe.disputes.update(dispute.id, { evidence: { service_documentation: "the delivery was fine" } })).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
      param: "evidence[service_documentation]",
    });
    const updated = await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "record", service_date: "2026-11-01" }, submit: true });
    expect(updated.evidence).toMatchObject({ uncategorized_text: "record", service_date: "2026-11-01" });
    expect(updated.status).toBe("under_review");
  });

  it("expands ids, keeps new funds pending, and never refunds more than refundable", async () => {
    const s = await stripe.checkout.sessions.create(session(1500));
    const { paymentIntentId, chargeId } = await fake.pay(s.id);
    const read = await stripe.checkout.sessions.retrieve(s.id, { expand: ["payment_intent"] });
    expect((read.payment_intent as Stripe.PaymentIntent).latest_charge).toBe(chargeId);
    expect(fake.balance.pending.get("usd")).toBeGreaterThanOrEqual(1500);
    const account = await stripe.accounts.create({ type: "express" });
    await fake.finishOnboarding(account.id);
    fake.balance.available.set("usd", 0);
    await expect(stripe.transfers.create({ amount: 1500, currency: "usd", destination: account.id })).rejects.toMatchObject({ code: "balance_insufficient" });
    const early = await stripe.transfers.create({ amount: 500, currency: "usd", destination: account.id, source_transaction: chargeId });
    expect(early.amount).toBe(500);
    fake.settlePending();
    await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1000 });
    await expect(stripe.refunds.create({ payment_intent: paymentIntentId, amount: 501 })).rejects.toMatchObject({ code: "amount_too_large" });
  });

  it("signs webhooks so that the SDK's constructEvent accepts them, and only within 300 s", async () => {
    const received: { body: string; signature: string }[] = [];
    const { serveFetchHandler } = await import("~/server/agent-api/node-server");
    const server = await serveFetchHandler(async (request) => {
      received.push({ body: await request.text(), signature: request.headers.get("stripe-signature") ?? "" });
      return new Response("{}");
    });
    fake.setWebhookEndpoint(server.url);
    try {
      const s = await stripe.checkout.sessions.create(session());
      await fake.pay(s.id);
      const last = received.at(-1)!;
      expect(stripe.webhooks.constructEvent(last.body, last.signature, fake.webhookSecret).type).toBe("checkout.session.completed");
      await fake.deliver(fake.events.at(-1)!, { timestamp: Math.floor(Date.now() / 1000) - 301 });
      const stale = received.at(-1)!;
      expect(() => stripe.webhooks.constructEvent(stale.body, stale.signature, fake.webhookSecret)).toThrow(/tolerance/);
    } finally {
      await server.close();
    }
  });
});
