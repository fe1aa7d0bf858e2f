// Stripe's webhook (/api/stripe/webhook), the only way money from outside enters the ledger (issue 15).
// The raw body is read under a cap and checked with `stripe.webhooks.constructEvent` (HMAC-SHA256 of
// `t.payload`, compared in constant time, refused when the timestamp is more than 300 s off) before it
// is parsed: unsigned, forged and stale deliveries are 400 with nothing written. Each event id is
// claimed in `inbound_webhooks` in the transaction that acts on it, so a redelivered event — even five
// at once — acts once; a failure rolls the claim back and Stripe retries.
import type Stripe from "stripe";
import type { EngineContext } from "../context";
import { inTransaction, type Tx } from "../db/transaction";
import { BODY_LIMIT_BYTES, capRequestBody } from "../http/read-body";
import { observeRequest } from "../http/observe";
import { log } from "../log";
import { creditSucceededPayment, type SucceededPayment } from "./credit-payment";
import { onAccountUpdated } from "./payout-accounts";
import { onRefundFailed } from "./card-refunds";
import { onDisputeClosed, onDisputeCreated, submitDisputeEvidence } from "./disputes";
import { onTransferReversed } from "./payouts";
import type { StripePayments } from "./settings";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export function handleStripeWebhook(request: Request, ctx: EngineContext, payments: StripePayments | null): Promise<Response> {
  return observeRequest("webhook-inbound", request, () => dispatch(request, ctx, payments));
}

async function dispatch(request: Request, ctx: EngineContext, payments: StripePayments | null): Promise<Response> {
  if (!payments) return json(404, { error: "stripe is not configured" });
  if (request.method !== "POST") return json(405, { error: "POST only" });
  const capped = await capRequestBody(request, BODY_LIMIT_BYTES.webhook);
  if (capped instanceof Response) return capped;
  const signature = request.headers.get("stripe-signature");
  if (!signature) return json(400, { error: "missing Stripe-Signature" });
  const event = verifiedEvent(payments, Buffer.from(capped.bytes), signature);
  if (!event) return json(400, { error: "bad or stale signature" });

  const outcome = await inTransaction(ctx.db, async (tx) => {
    if (!(await claimEvent(tx, event, ctx.now()))) return "duplicate";
    const result = await applyEvent(tx, ctx, event);
    await tx.$executeRaw`UPDATE inbound_webhooks SET outcome = ${result} WHERE source = 'stripe' AND external_id = ${event.id}`;
    return result;
  });
  log().info({ stripeEvent: event.id, type: event.type, outcome }, "stripe event");
  // Network calls wait until the money is committed; a redelivery retries an evidence not yet sent.
  if (event.type === "charge.dispute.created") await submitDisputeEvidence(ctx, payments, event.data.object.id);
  return json(200, { received: true, outcome });
}

function verifiedEvent(payments: StripePayments, raw: Buffer, signature: string): Stripe.Event | null {
  for (const secret of payments.webhookSecrets) {
    try {
      return payments.stripe.webhooks.constructEvent(raw, signature, secret);
    } catch {
      // try the next endpoint's secret
    }
  }
  return null;
}

async function claimEvent(tx: Tx, event: Stripe.Event, now: Date): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO inbound_webhooks (source, external_id, outcome, received_at)
    VALUES ('stripe', ${event.id}, 'received', ${now})
    ON CONFLICT (source, external_id) DO NOTHING RETURNING id`;
  return rows.length === 1;
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === "string" ? value : (value?.id ?? null);

async function applyEvent(tx: Tx, ctx: EngineContext, event: Stripe.Event): Promise<string> {
  switch (event.type) {
    case "payment_intent.succeeded": {
      const pi = event.data.object;
      return creditSucceededPayment(tx, ctx, {
        paymentIntentId: pi.id,
        chargeId: idOf(pi.latest_charge),
        amountMinor: pi.amount_received,
        currency: pi.currency.toUpperCase(),
        metadata: pi.metadata,
      });
    }
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      // A delayed payment method completes the session unpaid; its async_payment_succeeded follows.
      const paymentIntentId = idOf(session.payment_intent);
      if (session.payment_status !== "paid" || !paymentIntentId || session.amount_total === null || !session.currency) return "unpaid";
      const paid: SucceededPayment = {
        paymentIntentId,
        chargeId: null,
        amountMinor: session.amount_total,
        currency: session.currency.toUpperCase(),
        metadata: session.metadata ?? {},
      };
      return creditSucceededPayment(tx, ctx, paid);
    }
    case "checkout.session.expired": {
      const session = event.data.object;
      const updated = await tx.cardPayment.updateMany({ where: { checkoutSessionId: session.id, status: "open" }, data: { status: "expired" } });
      return updated.count ? "expired" : "ignored";
    }
    case "account.updated":
      return onAccountUpdated(tx, event.data.object);
    case "transfer.reversed":
      return onTransferReversed(tx, ctx, event.data.object);
    case "refund.failed":
      return onRefundFailed(tx, ctx, event.data.object);
    case "charge.dispute.created":
      return onDisputeCreated(tx, ctx, event.data.object);
    case "charge.dispute.closed":
      return onDisputeClosed(tx, ctx, event.data.object);
    default:
      return "ignored";
  }
}
