// The deployed wiring of /api/stripe/webhook: the route module as Next loads it, reading the process's
// settings (STRIPE_* and DATABASE_URL), served over real HTTP, receiving the Stripe stand-in's signed
// events for a payment started through the wallet's procedure.
import { afterAll, beforeAll, expect, it } from "vitest";
import { serveFetchHandler, type RunningServer } from "~/server/agent-api/node-server";
import { callerFor } from "~/server/api/root";
import { databaseForThisFile } from "~/test/db";
import { testClock, testContext } from "~/test/engine-fixtures";
import { startFakeStripe, type FakeStripe } from "~/test/fake-stripe";
import { createUser } from "~/test/users";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });
let fake: FakeStripe;
let app: RunningServer;

beforeAll(async () => {
  fake = await startFakeStripe();
  process.env.DATABASE_URL = tdb.url;
  process.env.STRIPE_SECRET_KEY = fake.secretKey;
  process.env.STRIPE_WEBHOOK_SECRET = fake.webhookSecret;
  process.env.HOLDFAST_STRIPE_API_URL = fake.url;
  const route = await import("./route");
  app = await serveFetchHandler((request) => route.POST(request));
  fake.setWebhookEndpoint(`${app.url}/api/stripe/webhook`);
});
afterAll(async () => {
  await app.close();
  await fake.close();
  const { getDb } = await import("~/server/db/client");
  await getDb().$disconnect();
});

it("credits the wallet once from Stripe's signed events, and answers 400 to an unsigned one", async () => {
  const user = await createUser(tdb.db, "customer");
  const ctx = testContext(tdb.db, testClock(new Date()), 0);
  const started = await callerFor(ctx, user).wallet.startCardPayment({ purpose: "wallet", amount: 1_234, currency: "USD" });
  const { events, paymentIntentId } = await fake.pay(started.checkoutUrl.split("/").at(-1)!, { deliver: false });
  expect(await fake.deliver(events[0]!, { signature: "missing" })).toEqual([400]);
  expect(await fake.deliver(events[0]!, { times: 3 })).toEqual([200, 200, 200]);
  expect(await fake.deliver(events[1]!)).toEqual([200]);
  const wallet = await tdb.db.ledgerAccount.findUniqueOrThrow({ where: { key: `wallet:${user.id}:USD` } });
  expect(wallet.balanceMinor).toBe(1_234n);
  expect(await tdb.db.ledgerTransfer.count({ where: { operationKey: `topup:stripe:${paymentIntentId}` } })).toBe(1);
});
