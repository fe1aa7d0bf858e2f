// A customer's wallet money back to the card (issue 15 item 4): Stripe Refunds against the
// PaymentIntents that funded the wallet, oldest first, never more than each one's remaining refundable
// amount (`card_payments.refunded_minor`, CHECKed ≤ the amount paid). The same write-first pattern as
// payouts: one transaction debits the wallet (`payout`, conditional: never below zero) and reserves the
// refundable amounts; then each refund is asked with its payout id as idempotency key; a refusal or an
// error after the SDK's retries posts the piece back (`payout_reversal`) and releases its reservation.
import { externalPayoutKey, walletKey } from "~/domain/ledger/accounts";
import { formatMoney, isValidAmountMinor } from "~/domain/money";
import type { EngineContext } from "../context";
import { requireEnabledCurrency } from "../currency";
import { inTransaction, type Tx } from "../db/transaction";
import { invalid } from "../errors";
import { personRequest, reserveOncePerRequestKey } from "../idempotency";
import { newId } from "../ids";
import { postTransfer } from "../ledger/ledger";
import { PaymentProviderError } from "./errors";
import { spendPaymentAttempt } from "./limits";
import { assertNoOpenCardDispute } from "../risk/wallet-freeze";
import { compensatePayout, resumeSubmittingPayouts, settleReservedPayout, type PayoutView } from "./payouts";
import type { StripePayments } from "./settings";

interface RefundPiece {
  payoutId: string;
  cardPaymentId: string;
  paymentIntentId: string;
  amountMinor: number;
}

/** How much of the wallet can go back to cards: what card payments brought in and has not gone back. */
export async function refundableToCardMinor(db: EngineContext["db"], userId: string, currency: string): Promise<number> {
  const rows = await db.$queryRaw<{ refundable: bigint | null }[]>`
    SELECT SUM(amount_minor - refunded_minor) AS refundable FROM card_payments
     WHERE user_id = ${userId} AND currency = ${currency} AND status = 'paid' AND payment_intent_id IS NOT NULL`;
  return Number(rows[0]?.refundable ?? 0n);
}

export async function returnToCard(
  ctx: EngineContext,
  payments: StripePayments,
  userId: string,
  request: { amountMinor: number; currency: string; requestKey?: string | null },
): Promise<PayoutView[]> {
  if (!isValidAmountMinor(request.amountMinor)) throw invalid("amount", "a positive integer in minor units");
  requireEnabledCurrency(ctx.config, request.currency);
  const { currency, amountMinor } = request;
  await resumeSubmittingPayouts(ctx, payments, { userId });
  await spendPaymentAttempt(ctx.db, userId, "payout", ctx.now());
  // With a request key, a repeat (a double submit, a retry after a lost answer) finds the refunds the first
  // one reserved, in the transaction that would reserve more, and only settles them.
  const keyed = personRequest(userId, "wallet.returnToCard", request.requestKey, { amountMinor, currency });
  const { value: payoutIds, repeat } = await inTransaction(ctx.db, (tx) =>
    reserveOncePerRequestKey(tx, keyed, async () => (await reserveRefunds(tx, ctx, userId, currency, amountMinor)).map((piece) => piece.payoutId)),
  );

  const results: PayoutView[] = [];
  const unsettled: string[] = [];
  for (const payoutId of payoutIds) {
    const result = await settleReservedPayout(ctx, payments, payoutId, repeat);
    if (result.status === "paid" || result.status === "in_flight") {
      const p = result.payout;
      results.push({ id: p.id, amountMinor: Number(p.amountMinor), currency: p.currency, status: p.status, failureReason: null, createdAt: p.createdAt });
    } else {
      const piece = await ctx.db.payout.findUniqueOrThrow({ where: { id: payoutId }, select: { amountMinor: true } });
      unsettled.push(`${formatMoney(Number(piece.amountMinor), currency)} ${result.status === "failed" ? "could not be returned to your card right now and is back in your wallet" : "could not be confirmed yet and will be (or come back to your wallet) automatically"}`);
    }
  }
  if (unsettled.length) {
    const returned = results.reduce((sum, r) => sum + r.amountMinor, 0);
    throw new PaymentProviderError(`${unsettled.join("; ")}${returned ? `; ${formatMoney(returned, currency)} is on its way to your card.` : "."}`);
  }
  return results;
}

async function reserveRefunds(tx: Tx, ctx: EngineContext, userId: string, currency: string, amountMinor: number): Promise<RefundPiece[]> {
  await assertNoOpenCardDispute(tx, userId);
  // Lock the customer's card payments in a stable order: two returns racing allocate one after the other.
  const payments = await tx.$queryRaw<{ id: string; payment_intent_id: string; refundable: bigint }[]>`
    SELECT id, payment_intent_id, amount_minor - refunded_minor AS refundable FROM card_payments
     WHERE user_id = ${userId} AND currency = ${currency} AND status = 'paid' AND payment_intent_id IS NOT NULL
       AND refunded_minor < amount_minor
     ORDER BY paid_at, id
     FOR UPDATE`;
  const refundable = payments.reduce((sum, p) => sum + Number(p.refundable), 0);
  if (amountMinor > refundable) {
    throw invalid(
      "amount",
      `at most ${formatMoney(refundable, currency)} of your wallet came from your card and can go back to it`,
    );
  }
  const pieces: RefundPiece[] = [];
  let left = amountMinor;
  for (const payment of payments) {
    if (left === 0) break;
    const take = Math.min(left, Number(payment.refundable));
    left -= take;
    const payoutId = newId("pyo");
    await tx.payout.create({
      data: { id: payoutId, userId, kind: "card_refund", currency, amountMinor: BigInt(take), destination: payment.payment_intent_id, cardPaymentId: payment.id, status: "submitting", createdAt: ctx.now() },
    });
    await tx.$executeRaw`UPDATE card_payments SET refunded_minor = refunded_minor + ${BigInt(take)} WHERE id = ${payment.id}`;
    await postTransfer(tx, {
      operationKey: `payout:${payoutId}`,
      kind: "payout",
      from: { key: walletKey(userId, currency), kind: "wallet", currency, userId },
      to: { key: externalPayoutKey(currency), kind: "external_payout", currency },
      amountMinor: take,
      currency,
    });
    pieces.push({ payoutId, cardPaymentId: payment.id, paymentIntentId: payment.payment_intent_id, amountMinor: take });
  }
  return pieces;
}

/** A refund Stripe accepted and later could not send (`refund.failed`): the money comes back to the wallet. */
export async function onRefundFailed(tx: Tx, ctx: EngineContext, refund: { id: string; metadata?: Record<string, string> | null; failure_reason?: string | null }): Promise<string> {
  const payoutId = refund.metadata?.holdfast_payout_id;
  const payout = await tx.payout.findFirst({ where: { kind: "card_refund", OR: [{ stripeObjectId: refund.id }, ...(payoutId ? [{ id: payoutId }] : [])] } });
  if (!payout) return "ignored";
  const compensated = await compensatePayout(tx, ctx, payout.id, "reversed", `the card refund failed (${refund.failure_reason ?? "unknown"})`);
  return compensated ? "refund_failed" : "duplicate";
}
