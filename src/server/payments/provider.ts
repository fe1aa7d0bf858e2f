// The process's Stripe connection, built once from the validated environment (null without keys).
import { env } from "~/env";
import { stripePaymentsFromEnv, type StripePayments } from "./settings";

let cached: { payments: StripePayments | null } | null = null;

export function stripePayments(): StripePayments | null {
  cached ??= { payments: stripePaymentsFromEnv(env()) };
  return cached.payments;
}
