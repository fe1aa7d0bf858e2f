// An owner's payout account (issue 15): a Stripe Connect Express account, onboarded on Stripe's own
// pages through an Account Link. Its status follows Stripe: `account.updated` (and a read when the
// owner comes back from onboarding) sets `ready` once payouts are enabled.
import type Stripe from "stripe";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { ServiceError } from "../errors";
import { log } from "../log";
import { PaymentProviderError } from "./errors";
import { spendPaymentAttempt } from "./limits";
import type { StripePayments } from "./settings";

export type PayoutAccountStatus = "not_connected" | "pending" | "ready";

export function statusOfAccount(account: Pick<Stripe.Account, "payouts_enabled">): Exclude<PayoutAccountStatus, "not_connected"> {
  return account.payouts_enabled ? "ready" : "pending";
}

export async function payoutAccountStatus(ctx: EngineContext, userId: string): Promise<PayoutAccountStatus> {
  const row = await ctx.db.payoutAccount.findUnique({ where: { userId } });
  return (row?.status as PayoutAccountStatus | undefined) ?? "not_connected";
}

function requireOwner(role: string): void {
  if (role !== "owner") throw new ServiceError("forbidden", "Only agent owners have a payout account.");
}

/** Creates the Express account once per owner and returns a fresh onboarding link (links expire in minutes). */
export async function startPayoutOnboarding(
  ctx: EngineContext,
  payments: StripePayments,
  user: { id: string; email: string; role: string },
): Promise<{ url: string }> {
  requireOwner(user.role);
  await spendPaymentAttempt(ctx.db, user.id, "onboarding", ctx.now());
  let row = await ctx.db.payoutAccount.findUnique({ where: { userId: user.id } });
  try {
    if (!row) {
      const account = await payments.stripe.accounts.create(
        { type: "express", email: user.email, capabilities: { transfers: { requested: true } }, metadata: { holdfast_user_id: user.id } },
        // One account per owner even when two tabs click at once or the row write below failed last time.
        { idempotencyKey: `connect-account:${user.id}` },
      );
      await ctx.db.payoutAccount.createMany({ data: [{ userId: user.id, stripeAccountId: account.id, status: statusOfAccount(account) }], skipDuplicates: true });
      row = await ctx.db.payoutAccount.findUniqueOrThrow({ where: { userId: user.id } });
    }
    // Back to the page with the payouts panel (it reads the account on ?payouts=return): /owner itself
    // redirects to the alerts and drops the query.
    const link = await payments.stripe.accountLinks.create({
      account: row.stripeAccountId,
      type: "account_onboarding",
      refresh_url: `${payments.baseUrl}/owner/earnings?payouts=refresh`,
      return_url: `${payments.baseUrl}/owner/earnings?payouts=return`,
    });
    return { url: link.url };
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    log().warn({ err: error, userId: user.id }, "stripe connect onboarding not started");
    throw new PaymentProviderError("The payout account could not be set up right now. Try again in a moment.");
  }
}

/** Reads the account from Stripe (the owner is back from onboarding; the webhook may not have arrived yet). */
export async function refreshPayoutAccount(ctx: EngineContext, payments: StripePayments, userId: string): Promise<PayoutAccountStatus> {
  const row = await ctx.db.payoutAccount.findUnique({ where: { userId } });
  if (!row) return "not_connected";
  try {
    const account = await payments.stripe.accounts.retrieve(row.stripeAccountId);
    const status = statusOfAccount(account);
    await ctx.db.payoutAccount.update({ where: { userId }, data: { status } });
    return status;
  } catch (error) {
    log().warn({ err: error, userId }, "stripe account not read");
    return row.status as PayoutAccountStatus;
  }
}

export async function onAccountUpdated(tx: Tx, account: Stripe.Account): Promise<string> {
  const updated = await tx.payoutAccount.updateMany({ where: { stripeAccountId: account.id }, data: { status: statusOfAccount(account) } });
  return updated.count ? `account_${statusOfAccount(account)}` : "ignored";
}
