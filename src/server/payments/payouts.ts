// Owner withdrawals through Stripe Connect (issue 15). Write first, then call: the ledger's `payout`
// transfer (wallet → external payout, operation key `payout:<id>`) commits before Stripe is asked, with
// the conditional debit that keeps a wallet from going below zero however many withdrawals race. The
// Stripe Transfer carries `<id>` as its idempotency key, so the SDK's retries (409, 5xx, dropped
// connections) make at most one transfer. A refusal, an error after the retries, or a later
// `transfer.reversed` posts `payout:<id>:reversal` back (once, whichever comes first).
import type Stripe from "stripe";
import { externalPayoutKey, walletKey, type LedgerAccountKind } from "~/domain/ledger/accounts";
import { formatMoney, isValidAmountMinor } from "~/domain/money";
import type { EngineContext } from "../context";
import { requireEnabledCurrency } from "../currency";
import { inTransaction, type Tx } from "../db/transaction";
import { invalid, ServiceError } from "../errors";
import { personRequest, reserveOncePerRequestKey } from "../idempotency";
import { newId } from "../ids";
import { postTransfer } from "../ledger/ledger";
import { log } from "../log";
import { PaymentProviderError } from "./errors";
import { spendPaymentAttempt } from "./limits";
import type { StripePayments } from "./settings";

export interface PayoutView {
  id: string;
  amountMinor: number;
  currency: string;
  status: string;
  failureReason: string | null;
  createdAt: Date;
}

const account = (key: string, kind: LedgerAccountKind, currency: string, userId?: string) => ({ key, kind, currency, ...(userId ? { userId } : {}) });

export async function withdrawToPayoutAccount(
  ctx: EngineContext,
  payments: StripePayments,
  userId: string,
  request: { amountMinor: number; currency: string; requestKey?: string | null },
): Promise<PayoutView> {
  if (!isValidAmountMinor(request.amountMinor)) throw invalid("amount", "a positive integer in minor units");
  requireEnabledCurrency(ctx.config, request.currency);
  const destination = await ctx.db.payoutAccount.findUnique({ where: { userId } });
  if (!destination) throw new ServiceError("conflict", "Connect a payout account before withdrawing.");
  if (destination.status !== "ready") throw new ServiceError("conflict", "Your payout account is still being verified by Stripe; withdraw once it is ready.");
  await resumeSubmittingPayouts(ctx, payments, { userId });
  await spendPaymentAttempt(ctx.db, userId, "payout", ctx.now());

  const { currency, amountMinor } = request;
  // With a request key, a repeat of this withdrawal (a double submit, a retry after a lost answer) finds the
  // payout the first one reserved, in the same transaction that would reserve another, and only settles it.
  const keyed = personRequest(userId, "wallet.withdraw", request.requestKey, { amountMinor, currency });
  const { value: payoutId, repeat } = await inTransaction(ctx.db, (tx) =>
    reserveOncePerRequestKey(tx, keyed, async () => {
      const id = newId("pyo");
      await tx.payout.create({
        data: { id, userId, currency, amountMinor: BigInt(amountMinor), destination: destination.stripeAccountId, status: "submitting", createdAt: ctx.now() },
      });
      // Only the available wallet: held payouts sit in their own account and stay there.
      await postTransfer(tx, {
        operationKey: `payout:${id}`,
        kind: "payout",
        from: account(walletKey(userId, currency), "wallet", currency, userId),
        to: account(externalPayoutKey(currency), "external_payout", currency),
        amountMinor,
        currency,
      });
      return id;
    }),
  );

  const result = await settleReservedPayout(ctx, payments, payoutId, repeat);
  if (result.status === "failed") {
    throw new PaymentProviderError(`The withdrawal of ${formatMoney(amountMinor, currency)} did not go through (${result.reason}). The money is back in your wallet.`);
  }
  if (result.status === "unconfirmed") {
    throw new PaymentProviderError(
      `The withdrawal of ${formatMoney(amountMinor, currency)} could not be confirmed with the payment provider yet. ` +
        "It stays reserved and is confirmed (or returned to your wallet) automatically; nothing is sent twice.",
    );
  }
  // Paid, or (a repeat while the first run is at Stripe) on its way: the view says which.
  return toView(result.payout);
}

/**
 * How long a payout may stay `submitting` while its first run could still be asking Stripe. Younger, only
 * that run settles it; older, the run gave up (no answer) or died, and asking again with the payout's
 * key settles it (resumeSubmittingPayouts, or a repeat of the request).
 */
const PAYOUT_IN_FLIGHT_S = 30;

/**
 * A reserved payout, settled. Still submitting → asked of Stripe with its own idempotency key (never
 * twice) — except by a repeat of the request while the first run may be asking right now: racing it would
 * only get Stripe's 409 for a key in flight, so the repeat answers with the payout as it stands. Already
 * settled (a repeat of a request that finished) → what it came to.
 */
export async function settleReservedPayout(
  ctx: EngineContext,
  payments: StripePayments,
  payoutId: string,
  repeat: boolean,
): Promise<SubmitResult | { status: "in_flight"; payout: PayoutRow }> {
  const row = await ctx.db.payout.findUniqueOrThrow({ where: { id: payoutId } });
  if (row.status === "submitting") {
    if (repeat && ctx.now().getTime() - row.createdAt.getTime() < PAYOUT_IN_FLIGHT_S * 1000) return { status: "in_flight", payout: row };
    return submitPayout(ctx, payments, row);
  }
  if (row.status === "paid") return { status: "paid", payout: row };
  return { status: "failed", reason: row.failureReason ?? "the payment provider refused it" };
}

type PayoutRow = Awaited<ReturnType<EngineContext["db"]["payout"]["findUniqueOrThrow"]>>;
export type SubmitResult = { status: "paid"; payout: PayoutRow } | { status: "failed"; reason: string } | { status: "unconfirmed" };

/**
 * Asks Stripe for the payout's Transfer or Refund — always with the same parameters and the payout's own
 * idempotency key, so asking again (after a crash, or an answer lost on the way) makes one, never two.
 * A definite answer settles it: paid, or refused and compensated. No answer at all (the connection
 * failed through every retry) leaves it `submitting`, to be asked again by resumeSubmittingPayouts.
 */
export async function submitPayout(ctx: EngineContext, payments: StripePayments, payout: PayoutRow): Promise<SubmitResult> {
  const amount = Number(payout.amountMinor);
  let objectId: string;
  try {
    if (payout.kind === "card_refund") {
      const refund = await payments.stripe.refunds.create(
        { payment_intent: payout.destination, amount, metadata: { holdfast_payout_id: payout.id } },
        { idempotencyKey: `refund:${payout.id}` },
      );
      objectId = refund.id;
    } else {
      const transfer = await payments.stripe.transfers.create(
        { amount, currency: payout.currency.toLowerCase(), destination: payout.destination, transfer_group: payout.id, metadata: { holdfast_payout_id: payout.id } },
        { idempotencyKey: `payout:${payout.id}` },
      );
      objectId = transfer.id;
    }
  } catch (error) {
    if (isUnanswered(error)) {
      log().warn({ err: error, payoutId: payout.id }, "stripe did not answer; payout left submitting");
      return { status: "unconfirmed" };
    }
    const reason = providerReason(error);
    log().warn({ err: error, payoutId: payout.id }, "stripe refused the payout; compensating");
    await inTransaction(ctx.db, (tx) => compensatePayout(tx, ctx, payout.id, "failed", reason));
    return { status: "failed", reason };
  }
  const paid = await ctx.db.payout.update({ where: { id: payout.id }, data: { status: "paid", stripeObjectId: objectId } });
  return { status: "paid", payout: paid };
}

/** No HTTP answer at all: Stripe may or may not have acted, so only asking again (same key) can tell. */
function isUnanswered(error: unknown): boolean {
  const e = error as { type?: string; statusCode?: number };
  // 409: the same key is still being worked on at Stripe (the first attempt's answer was lost).
  return e?.type === "StripeConnectionError" || (e?.type === "StripeIdempotencyError" && e.statusCode === 409);
}

/** Payouts written but not settled (a crash between the ledger and the call, or no answer): ask again. */
export async function resumeSubmittingPayouts(ctx: EngineContext, payments: StripePayments, filter: { userId?: string; olderThanS?: number } = {}): Promise<number> {
  const before = new Date(ctx.now().getTime() - (filter.olderThanS ?? PAYOUT_IN_FLIGHT_S) * 1000);
  const rows = await ctx.db.payout.findMany({
    where: { status: "submitting", createdAt: { lte: before }, ...(filter.userId ? { userId: filter.userId } : {}) },
    orderBy: { createdAt: "asc" },
    take: 50,
  });
  let settled = 0;
  for (const row of rows) if ((await submitPayout(ctx, payments, row)).status !== "unconfirmed") settled++;
  return settled;
}

function providerReason(error: unknown): string {
  const e = error as { type?: string; code?: string; message?: string; statusCode?: number };
  if (e?.code === "balance_insufficient") return "the platform's funds for this payout are not available yet; try again later";
  if (typeof e?.statusCode === "number" && e.statusCode >= 500) return "the payment provider had an error";
  return e?.message ? e.message.slice(0, 200) : "the payment provider refused it";
}

/** Posts the money back once (unique operation key) and records why. */
export async function compensatePayout(tx: Tx, ctx: EngineContext, payoutId: string, status: "failed" | "reversed", reason: string): Promise<boolean> {
  return returnPayoutMoney(tx, ctx, payoutId, null, status, reason);
}

/**
 * Returns a payout's money to the wallet up to `returnedTotalMinor` (all of it when null): posts only
 * what is not back yet, under the payout's row lock, keyed by the total so a redelivered event posts
 * nothing. A partial reversal keeps the payout `paid`; the last part marks it with `status`.
 */
async function returnPayoutMoney(
  tx: Tx,
  ctx: EngineContext,
  payoutId: string,
  returnedTotalMinor: number | null,
  status: "failed" | "reversed",
  reason: string,
): Promise<boolean> {
  await tx.$queryRaw`SELECT id FROM payouts WHERE id = ${payoutId} FOR UPDATE`;
  const payout = await tx.payout.findUnique({ where: { id: payoutId } });
  if (!payout) return false;
  const currency = payout.currency;
  const amountMinor = Number(payout.amountMinor);
  const targetMinor = Math.min(returnedTotalMinor ?? amountMinor, amountMinor);
  const back = await tx.ledgerTransfer.aggregate({
    where: { operationKey: { startsWith: `payout:${payoutId}:reversal` } },
    _sum: { amountMinor: true },
  });
  const backMinor = Number(back._sum.amountMinor ?? 0n);
  const dueMinor = targetMinor - backMinor;
  if (dueMinor <= 0) return false;
  // The whole amount at once keeps the key every earlier path used; parts are keyed by their running total.
  const operationKey = backMinor === 0 && targetMinor === amountMinor ? `payout:${payoutId}:reversal` : `payout:${payoutId}:reversal:${targetMinor}`;
  const posted = await postTransfer(tx, {
    operationKey,
    kind: "payout_reversal",
    from: account(externalPayoutKey(currency), "external_payout", currency),
    to: account(walletKey(payout.userId, currency), "wallet", currency, payout.userId),
    amountMinor: dueMinor,
    currency,
  });
  if (posted.status === "duplicate") return false;
  const whole = targetMinor === amountMinor;
  await tx.payout.update({
    where: { id: payoutId },
    data: whole ? { status, failureReason: reason, updatedAt: ctx.now() } : { failureReason: `${reason} (in part)`, updatedAt: ctx.now() },
  });
  // A card refund reserved part of its payment's refundable amount: released with the money.
  if (payout.cardPaymentId) {
    await tx.$executeRaw`UPDATE card_payments SET refunded_minor = refunded_minor - ${BigInt(dueMinor)} WHERE id = ${payout.cardPaymentId}`;
  }
  return true;
}

/** `transfer.reversed`: Stripe took back all or part of a transfer (amount_reversed is the running total). */
export async function onTransferReversed(tx: Tx, ctx: EngineContext, transfer: Stripe.Transfer): Promise<string> {
  const payoutId = transfer.metadata?.holdfast_payout_id;
  const payout = await tx.payout.findFirst({
    where: { OR: [{ stripeObjectId: transfer.id }, ...(payoutId ? [{ id: payoutId }] : [])] },
  });
  if (!payout) return "ignored";
  const returned = await returnPayoutMoney(tx, ctx, payout.id, transfer.amount_reversed, "reversed", "Stripe reversed the transfer");
  if (!returned) return "duplicate";
  return transfer.amount_reversed < transfer.amount ? "payout_partially_reversed" : "payout_reversed";
}

export async function listPayouts(ctx: EngineContext, userId: string): Promise<PayoutView[]> {
  const rows = await ctx.db.payout.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 50 });
  return rows.map(toView);
}

function toView(row: { id: string; amountMinor: bigint; currency: string; status: string; failureReason: string | null; createdAt: Date }): PayoutView {
  return { id: row.id, amountMinor: Number(row.amountMinor), currency: row.currency, status: row.status, failureReason: row.failureReason, createdAt: row.createdAt };
}
