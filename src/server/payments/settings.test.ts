// Issue 15 item 1: without Stripe keys the deployment funds wallets exactly as before (the test funding
// source in development and demos); with them test funding is off, the keys are checked at start, and
// HOLDFAST_STRIPE_API_URL points the official SDK at another server (here the local stand-in).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "~/env";
import { startFakeStripe, type FakeStripe } from "~/test/fake-stripe";
import { stripePaymentsFromEnv, testFundingAllowed } from "./settings";

const KEY = "sk_test_0123456789abcdefghij";
const WHSEC = "whsec_0123456789abcdefghijklmnop";

describe("Stripe configuration", () => {
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
  });
  afterAll(() => fake.close());

  it("without keys: no provider, and the test funding source exactly where it was (development and demo, not production)", () => {
    expect(stripePaymentsFromEnv(parseEnv({}))).toBeNull();
    expect(testFundingAllowed(parseEnv({}))).toBe(true);
    expect(testFundingAllowed(parseEnv({ NODE_ENV: "production", HOLDFAST_DEMO: "1" }))).toBe(true);
    expect(testFundingAllowed(parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32) }))).toBe(false);
  });

  it("with keys: a provider with the endpoint's secrets, and no test funding even in development or a demo", () => {
    const e = parseEnv({ STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: WHSEC, STRIPE_CONNECT_WEBHOOK_SECRET: `${WHSEC}x`, HOLDFAST_DEMO: "1" });
    const payments = stripePaymentsFromEnv(e);
    expect(payments?.webhookSecrets).toEqual([WHSEC, `${WHSEC}x`]);
    expect(payments?.baseUrl).toBe("http://localhost:3000");
    expect(testFundingAllowed(e)).toBe(false);
  });

  it("refuses at start a key without its webhook secret, a secret without a key, and values of the wrong shape", () => {
    expect(() => parseEnv({ STRIPE_SECRET_KEY: KEY })).toThrow(/STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY/);
    expect(() => parseEnv({ STRIPE_WEBHOOK_SECRET: WHSEC })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => parseEnv({ STRIPE_SECRET_KEY: "pk_test_publishable123", STRIPE_WEBHOOK_SECRET: WHSEC })).toThrow(/STRIPE_SECRET_KEY: a Stripe secret key/);
    expect(() => parseEnv({ STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: "secret" })).toThrow(/STRIPE_WEBHOOK_SECRET: a webhook signing secret/);
    expect(() => parseEnv({ STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: WHSEC, HOLDFAST_STRIPE_API_URL: "not a url" })).toThrow(/HOLDFAST_STRIPE_API_URL/);
  });

  it("HOLDFAST_STRIPE_API_URL sends the SDK's calls to that server, with the key", async () => {
    const e = parseEnv({ STRIPE_SECRET_KEY: fake.secretKey, STRIPE_WEBHOOK_SECRET: fake.webhookSecret, HOLDFAST_STRIPE_API_URL: fake.url });
    const balance = await stripePaymentsFromEnv(e)!.stripe.balance.retrieve();
    expect(balance.object).toBe("balance");
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: "/v1/balance", status: 200 });
    const wrongKey = parseEnv({ STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: WHSEC, HOLDFAST_STRIPE_API_URL: fake.url });
    await expect(stripePaymentsFromEnv(wrongKey)!.stripe.balance.retrieve()).rejects.toMatchObject({ type: "StripeAuthenticationError", statusCode: 401 });
  });
});
