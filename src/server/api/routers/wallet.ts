// The wallet: balances and history from the ledger; money in (the built-in test funding source without
// Stripe keys, card payments through Stripe Checkout with them) and, for owners, money out to a Stripe
// Connect payout account (issue 15). Thin: the services are src/server/ledger and src/server/payments.
import { FIELD_LIMITS } from "~/domain/field-limits";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { env } from "~/env";
import { requireEnabledCurrency } from "~/server/currency";
import { walletHistory } from "~/server/ledger/history";
import { TEST_TOPUP_CAP_MINOR } from "~/domain/test-funding";
import { addTestFunds, walletBalances } from "~/server/ledger/wallet";
import { MAX_CARD_PAYMENT_MINOR, openCardPayments, recentCardPayments, startCardPayment } from "~/server/payments/card-payments";
import { refundableToCardMinor, returnToCard } from "~/server/payments/card-refunds";
import { PaymentProviderError } from "~/server/payments/errors";
import { payoutAccountStatus, refreshPayoutAccount, startPayoutOnboarding } from "~/server/payments/payout-accounts";
import { listPayouts, resumeSubmittingPayouts, withdrawToPayoutAccount } from "~/server/payments/payouts";
import { stripePayments } from "~/server/payments/provider";
import { testFundingAllowed, type StripePayments } from "~/server/payments/settings";
import { requestKeyInput } from "../request-key";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/** Payouts to a connected account are for agent owners (customers' money goes back to their card). */
const ownerProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "owner") throw new TRPCError({ code: "FORBIDDEN", message: "Payouts are for agent owners." });
  return next({ ctx });
});

/** The test funding source exists only where no real money is involved (never beside Stripe). */
export function testFundingEnabled(): boolean {
  return testFundingAllowed(env());
}

function requirePayments(): StripePayments {
  const payments = stripePayments();
  if (!payments) throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Card payments are not configured on this deployment." });
  return payments;
}

/** The provider's failure is not the caller's fault and not a crash: 503 with words a person can act on. */
async function viaProvider<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PaymentProviderError) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: error.message, cause: error });
    throw error;
  }
}

const currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code in capitals, such as USD");

export const walletRouter = createTRPCRouter({
  balance: protectedProcedure.query(async ({ ctx }) => {
    const balances = await walletBalances(ctx.engine, ctx.user.id);
    return { balances, testFunding: testFundingEnabled(), cardPayments: stripePayments() !== null };
  }),
  history: protectedProcedure.query(({ ctx }) => walletHistory(ctx.engine, ctx.user.id)),
  addTestFunds: protectedProcedure
    .input(z.object({ amount: z.number().int().positive().max(TEST_TOPUP_CAP_MINOR, `at most ${TEST_TOPUP_CAP_MINOR} minor units (10,000.00) per top-up`), currency: currency.default("USD") }))
    .mutation(async ({ ctx, input }) => {
      if (!testFundingEnabled()) {
        throw new TRPCError({ code: "FORBIDDEN", message: "Test funds are only available in development and demo mode, without a payment provider." });
      }
      requireEnabledCurrency(ctx.engine.config, input.currency);
      await addTestFunds(ctx.engine, ctx.user.id, input.currency, input.amount);
      return { balances: await walletBalances(ctx.engine, ctx.user.id) };
    }),

  /** "Add funds" by card: a Stripe Checkout page to send the customer to. Nothing is credited until Stripe confirms. */
  startCardPayment: protectedProcedure
    .input(
      z.discriminatedUnion("purpose", [
        z.object({ purpose: z.literal("wallet"), amount: z.number().int().positive().max(MAX_CARD_PAYMENT_MINOR), currency: currency.default("USD") }),
        z.object({ purpose: z.literal("offer"), escrowId: z.string().min(1).max(FIELD_LIMITS.escrowRefChars), cover: z.enum(["shortfall", "whole"]).default("shortfall") }),
      ]),
    )
    .mutation(({ ctx, input }) => {
      const payments = requirePayments();
      return viaProvider(() =>
        startCardPayment(
          ctx.engine,
          payments,
          ctx.user.id,
          input.purpose === "wallet" ? { purpose: "wallet", amountMinor: input.amount, currency: input.currency } : input,
        ),
      );
    }),
  /** Card payments Stripe has not confirmed yet ("waiting for your payment to clear"). */
  pendingCardPayments: protectedProcedure.query(({ ctx }) => openCardPayments(ctx.engine, ctx.user.id)),
  /** How much of the wallet in this currency came from cards and can go back to them. */
  refundableToCard: protectedProcedure
    .input(z.object({ currency: currency.default("USD") }))
    .query(async ({ ctx, input }) => ({ currency: input.currency, refundableMinor: await refundableToCardMinor(ctx.engine.db, ctx.user.id, input.currency) })),
  /** "Return to my card": Stripe refunds of the payments that funded the wallet, oldest first. */
  returnToCard: protectedProcedure
    .input(z.object({ amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), currency: currency.default("USD"), requestKey: requestKeyInput }))
    .mutation(({ ctx, input }) => {
      const payments = requirePayments();
      return viaProvider(() =>
        returnToCard(ctx.engine, payments, ctx.user.id, { amountMinor: input.amount, currency: input.currency, requestKey: input.requestKey }),
      );
    }),
  cardPayments: protectedProcedure.query(({ ctx }) => recentCardPayments(ctx.engine, ctx.user.id)),

  /** Owners: the Stripe Connect payout account's state and the withdrawals made. */
  payouts: ownerProcedure.query(async ({ ctx }) => {
    const payments = stripePayments();
    // Withdrawals left unconfirmed (no answer from Stripe, a crash mid-way) are asked again, same key.
    if (payments) await resumeSubmittingPayouts(ctx.engine, payments, { userId: ctx.user.id });
    return {
      enabled: payments !== null,
      account: await payoutAccountStatus(ctx.engine, ctx.user.id),
      payouts: await listPayouts(ctx.engine, ctx.user.id),
    };
  }),
  connectPayoutAccount: ownerProcedure.mutation(({ ctx }) => {
    const payments = requirePayments();
    return viaProvider(() => startPayoutOnboarding(ctx.engine, payments, ctx.user));
  }),
  refreshPayoutAccount: ownerProcedure.mutation(async ({ ctx }) => ({
    account: await refreshPayoutAccount(ctx.engine, requirePayments(), ctx.user.id),
  })),
  withdraw: ownerProcedure
    .input(z.object({ amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), currency: currency.default("USD"), requestKey: requestKeyInput }))
    .mutation(({ ctx, input }) => {
      const payments = requirePayments();
      return viaProvider(() =>
        withdrawToPayoutAccount(ctx.engine, payments, ctx.user.id, { amountMinor: input.amount, currency: input.currency, requestKey: input.requestKey }),
      );
    }),
});
