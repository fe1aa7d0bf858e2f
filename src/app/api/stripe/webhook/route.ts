// Stripe's webhook endpoint (platform and Connect events): a thin shell over src/server/payments/webhook.ts.
// 404 while STRIPE_SECRET_KEY is unset.
import { defaultEngineContext } from "~/server/context";
import { stripePayments } from "~/server/payments/provider";
import { handleStripeWebhook } from "~/server/payments/webhook";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleStripeWebhook(request, defaultEngineContext(), stripePayments());
}
