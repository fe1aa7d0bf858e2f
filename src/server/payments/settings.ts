// Which funding source this deployment has (issue 15): Stripe when STRIPE_SECRET_KEY is set, else the
// built-in test funding of development and demos, exactly as before. One decision, read by the wallet's
// procedures, the webhook route and the UI (through wallet.balance), so they cannot disagree.
import Stripe from "stripe";
import type { Env } from "~/env";

export interface StripePayments {
  stripe: Stripe;
  /** Secrets a webhook signature may be made with: the platform endpoint's, then Connect's. */
  webhookSecrets: string[];
  /** Base URL of the web app: success, cancel and onboarding return addresses are built from it. */
  baseUrl: string;
}

/** The SDK's own retries (with its idempotency key) on connection errors, 409 and 5xx. */
export const STRIPE_MAX_NETWORK_RETRIES = 2;

export function stripeClient(secretKey: string, apiUrl: string | undefined): Stripe {
  const target = apiUrl ? new URL(apiUrl) : null;
  return new Stripe(secretKey, {
    maxNetworkRetries: STRIPE_MAX_NETWORK_RETRIES,
    timeout: 30_000,
    telemetry: false,
    appInfo: { name: "Holdfast" },
    ...(target
      ? {
          host: target.hostname,
          port: target.port || (target.protocol === "https:" ? 443 : 80),
          protocol: target.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
}

/** Whether this deployment takes payments through Stripe (both keys set). */
export function stripeConfigured(e: Env): e is Env & { STRIPE_SECRET_KEY: string; STRIPE_WEBHOOK_SECRET: string } {
  return Boolean(e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET);
}

/** Null when no Stripe key is configured: the deployment keeps the test funding source. */
export function stripePaymentsFromEnv(e: Env): StripePayments | null {
  if (!stripeConfigured(e)) return null;
  return {
    stripe: stripeClient(e.STRIPE_SECRET_KEY, e.HOLDFAST_STRIPE_API_URL),
    webhookSecrets: [e.STRIPE_WEBHOOK_SECRET, ...(e.STRIPE_CONNECT_WEBHOOK_SECRET ? [e.STRIPE_CONNECT_WEBHOOK_SECRET] : [])],
    baseUrl: e.HOLDFAST_BASE_URL,
  };
}

/** The test funding source exists only where no real money is involved: never beside a payment provider. */
export function testFundingAllowed(e: Env): boolean {
  if (e.STRIPE_SECRET_KEY) return false;
  return e.HOLDFAST_DEMO || e.NODE_ENV !== "production";
}
