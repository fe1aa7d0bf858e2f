// Stripe in tests (issue 15): the local stand-in, the process's Stripe settings pointing at it, and the
// webhook handler on its own real HTTP port, registered as the stand-in's endpoint. Call at the top level
// of a test file, with the file's database.
import { afterAll, beforeAll } from "vitest";
import { serveFetchHandler, type RunningServer } from "~/server/agent-api/node-server";
import { callerFor } from "~/server/api/root";
import type { SessionUser } from "~/server/auth/session-user";
import type { EngineContext } from "~/server/context";
import { stripePayments } from "~/server/payments/provider";
import { handleStripeWebhook } from "~/server/payments/webhook";
import type { TestDatabase } from "./db";
import { testClock, testContext, type TestClock } from "./engine-fixtures";
import { startFakeStripe, type FakeStripe } from "./fake-stripe";

export interface StripeHarness {
  fake: FakeStripe;
  ctx: EngineContext;
  clock: TestClock;
  webhookUrl: string;
  /** The customer pays `amountMinor` into the wallet by card (Checkout, hosted page, webhooks). */
  cardTopUp(user: SessionUser, amountMinor: number): Promise<{ paymentIntentId: string; chargeId: string }>;
}

export function stripeHarnessForThisFile(tdb: TestDatabase): StripeHarness {
  let hook: RunningServer | null = null;
  const harness = { clock: testClock(new Date()) } as StripeHarness;
  beforeAll(async () => {
    harness.fake = await startFakeStripe();
    process.env.STRIPE_SECRET_KEY = harness.fake.secretKey;
    process.env.STRIPE_WEBHOOK_SECRET = harness.fake.webhookSecret;
    process.env.HOLDFAST_STRIPE_API_URL = harness.fake.url;
    process.env.HOLDFAST_BASE_URL = "http://localhost:3000";
    harness.ctx = testContext(tdb.db, harness.clock, 0);
    hook = await serveFetchHandler((request) => handleStripeWebhook(request, harness.ctx, stripePayments()));
    harness.webhookUrl = `${hook.url}/api/stripe/webhook`;
    harness.fake.setWebhookEndpoint(harness.webhookUrl);
  });
  afterAll(async () => {
    await hook?.close();
    await harness.fake?.close();
  });
  harness.cardTopUp = async (user, amountMinor) => {
    const started = await callerFor(harness.ctx, user).wallet.startCardPayment({ purpose: "wallet", amount: amountMinor, currency: "USD" });
    const paid = await harness.fake.pay(started.checkoutUrl.split("/").at(-1)!);
    harness.clock.advanceSeconds(1); // payments one after the other, as in life ("oldest first" is by time)
    return { paymentIntentId: paid.paymentIntentId, chargeId: paid.chargeId };
  };
  return harness;
}
