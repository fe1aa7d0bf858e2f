// The customer's wallet: balances and history from the ledger, and the
// built-in test funding source (development, demo and test only).
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { env } from "~/env";
import { requireEnabledCurrency } from "~/server/currency";
import { walletHistory } from "~/server/ledger/history";
import { TEST_TOPUP_CAP_MINOR } from "~/domain/test-funding";
import { addTestFunds, walletBalances } from "~/server/ledger/wallet";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/** The test funding source exists only where no real money is involved. */
export function testFundingEnabled(): boolean {
  const e = env();
  return e.HOLDFAST_DEMO || e.NODE_ENV !== "production";
}

export const walletRouter = createTRPCRouter({
  balance: protectedProcedure.query(async ({ ctx }) => {
    const balances = await walletBalances(ctx.engine, ctx.user.id);
    return { balances, testFunding: testFundingEnabled() };
  }),
  history: protectedProcedure.query(({ ctx }) => walletHistory(ctx.engine, ctx.user.id)),
  addTestFunds: protectedProcedure
    .input(z.object({ amount: z.number().int().positive().max(TEST_TOPUP_CAP_MINOR, `at most ${TEST_TOPUP_CAP_MINOR} minor units (10,000.00) per top-up`), currency: z.string().regex(/^[A-Z]{3}$/).default("USD") }))
    .mutation(async ({ ctx, input }) => {
      if (!testFundingEnabled()) {
        throw new TRPCError({ code: "FORBIDDEN", message: "Test funds are only available in development and demo mode." });
      }
      requireEnabledCurrency(ctx.engine.config, input.currency);
      await addTestFunds(ctx.engine, ctx.user.id, input.currency, input.amount);
      return { balances: await walletBalances(ctx.engine, ctx.user.id) };
    }),
});
