// Customer funding by card (issue 15): a Stripe Checkout Session for a wallet top-up or for an offer's
// shortfall. Nothing here moves money: the payment is recorded (its id is Stripe's idempotency key), the
// customer goes to Stripe's page, and only the verified webhook (credit-payment.ts) credits the wallet.
import type Stripe from "stripe";
import { formatMoney, isValidAmountMinor } from "~/domain/money";
import { walletKey } from "~/domain/ledger/accounts";
import type { EngineContext } from "../context";
import { requireEnabledCurrency } from "../currency";
import { invalid, notFound } from "../errors";
import { newId } from "../ids";
import { log } from "../log";
import { PaymentProviderError } from "./errors";
import { assertNoOpenCardDispute } from "../risk/wallet-freeze";
import { spendPaymentAttempt } from "./limits";
import type { StripePayments } from "./settings";

/** The most one card payment may bring in (the same ceiling as the test funding source). */
export const MAX_CARD_PAYMENT_MINOR = 1_000_000_00;

/** Keys of the metadata Holdfast puts on the Checkout Session and its PaymentIntent. */
export const PAYMENT_METADATA = { paymentId: "holdfast_payment_id", userId: "holdfast_user_id", escrowId: "holdfast_escrow_id" } as const;

export type CardPaymentRequest =
  | { purpose: "wallet"; amountMinor: number; currency: string }
  /** Pay for an offer: its shortfall (what the wallet lacks) or the whole amount. */
  | { purpose: "offer"; escrowId: string; cover: "shortfall" | "whole" };

export interface StartedCardPayment {
  paymentId: string;
  checkoutUrl: string;
  amountMinor: number;
  currency: string;
}

export async function startCardPayment(
  ctx: EngineContext,
  payments: StripePayments,
  userId: string,
  request: CardPaymentRequest,
): Promise<StartedCardPayment> {
  await assertNoOpenCardDispute(ctx.db, userId);
  const plan = await planPayment(ctx, userId, request);
  await spendPaymentAttempt(ctx.db, userId, "checkout", ctx.now());
  const paymentId = newId("pay");
  await ctx.db.cardPayment.create({
    data: { id: paymentId, userId, currency: plan.currency, amountMinor: BigInt(plan.amountMinor), escrowId: plan.escrowId, status: "created", createdAt: ctx.now() },
  });
  const metadata: Record<string, string> = { [PAYMENT_METADATA.paymentId]: paymentId, [PAYMENT_METADATA.userId]: userId };
  if (plan.escrowId) metadata[PAYMENT_METADATA.escrowId] = plan.escrowId;
  let session: Stripe.Checkout.Session;
  try {
    session = await payments.stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: [{ quantity: 1, price_data: { currency: plan.currency.toLowerCase(), unit_amount: plan.amountMinor, product_data: { name: plan.description } } }],
        success_url: `${payments.baseUrl}${plan.returnPath}${plan.returnPath.includes("?") ? "&" : "?"}payment=${paymentId}`,
        cancel_url: `${payments.baseUrl}${plan.returnPath}`,
        client_reference_id: paymentId,
        metadata,
        payment_intent_data: { metadata },
      },
      // The payment's own id: a retried call (by the SDK or a double click reaching here twice) makes one session.
      { idempotencyKey: `checkout:${paymentId}` },
    );
  } catch (error) {
    await ctx.db.cardPayment.update({ where: { id: paymentId }, data: { status: "failed" } });
    log().warn({ err: error, paymentId }, "stripe checkout session not created");
    throw new PaymentProviderError("The card payment could not be started. Nothing was charged; try again in a moment.");
  }
  if (!session.url) throw new PaymentProviderError("The payment provider returned no checkout page.");
  await ctx.db.cardPayment.update({ where: { id: paymentId }, data: { status: "open", checkoutSessionId: session.id } });
  return { paymentId, checkoutUrl: session.url, amountMinor: plan.amountMinor, currency: plan.currency };
}

interface PaymentPlan {
  amountMinor: number;
  currency: string;
  escrowId: string | null;
  description: string;
  returnPath: string;
}

async function planPayment(ctx: EngineContext, userId: string, request: CardPaymentRequest): Promise<PaymentPlan> {
  if (request.purpose === "wallet") {
    if (!isValidAmountMinor(request.amountMinor) || request.amountMinor > MAX_CARD_PAYMENT_MINOR) {
      throw invalid("amount", `a positive integer in minor units, at most ${MAX_CARD_PAYMENT_MINOR}`);
    }
    requireEnabledCurrency(ctx.config, request.currency);
    return {
      amountMinor: request.amountMinor,
      currency: request.currency,
      escrowId: null,
      description: `Holdfast wallet top-up (${formatMoney(request.amountMinor, request.currency)})`,
      returnPath: "/wallet",
    };
  }
  const escrow = await ctx.db.escrow.findFirst({ where: { id: request.escrowId, customerId: userId } });
  if (!escrow) throw notFound("escrow");
  if (escrow.status !== "pending") {
    throw invalid("escrowId", `this offer is ${escrow.status}, not waiting for payment`);
  }
  const amountMinor = Number(escrow.amountMinor);
  const wallet = await ctx.db.ledgerAccount.findUnique({ where: { key: walletKey(userId, escrow.currency) } });
  const balanceMinor = Number(wallet?.balanceMinor ?? 0n);
  const payMinor = request.cover === "whole" ? amountMinor : amountMinor - balanceMinor;
  if (payMinor <= 0) throw invalid("cover", "your wallet already covers this offer; accept it without a card payment");
  return {
    amountMinor: payMinor,
    currency: escrow.currency,
    escrowId: escrow.id,
    description: `${escrow.title} (offer ${escrow.referenceCode})`,
    returnPath: `/c/${escrow.conversationId}`,
  };
}

/** The customer's card payments that Stripe has not confirmed yet (the chat's "waiting for your payment"). */
export async function openCardPayments(ctx: EngineContext, userId: string) {
  const rows = await ctx.db.cardPayment.findMany({
    where: { userId, status: "open" },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return rows.map((r) => ({ id: r.id, escrowId: r.escrowId, amountMinor: Number(r.amountMinor), currency: r.currency, createdAt: r.createdAt }));
}

/** Recent card payments with what became of each (the wallet page). */
export async function recentCardPayments(ctx: EngineContext, userId: string) {
  const rows = await ctx.db.cardPayment.findMany({
    where: { userId, status: { in: ["open", "paid", "expired"] } },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return rows.map((r) => ({
    id: r.id,
    escrowId: r.escrowId,
    amountMinor: Number(r.amountMinor),
    currency: r.currency,
    status: r.status,
    outcome: r.outcome,
    createdAt: r.createdAt,
  }));
}
