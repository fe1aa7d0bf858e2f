// The background worker that settles withdrawals Stripe never answered (issue 15): a payout left
// `submitting` (a crash between the ledger and the call, or no answer through every retry) is asked
// again with its own idempotency key until Stripe says paid or refused. Without it such a payout would
// wait for its owner to open the payouts panel; started with the server's other workers (workers.ts)
// when Stripe is configured.
import type { EngineContext } from "../context";
import { log as logger } from "../log";
import { resumeSubmittingPayouts } from "../payments/payouts";
import type { StripePayments } from "../payments/settings";
import { pollingLoop, type Worker } from "./polling-loop";

export const PAYOUT_CONFIRM_WORKER = "payout confirmations";

export function startPayoutConfirmation(
  ctx: EngineContext,
  payments: StripePayments,
  options: { everyMs?: number; log?: (line: string) => void } = {},
): Worker {
  const log = options.log ?? ((line: string) => logger().info(line));
  // Every user's payouts (no userId filter), oldest first, a batch per round.
  return pollingLoop(PAYOUT_CONFIRM_WORKER, () => resumeSubmittingPayouts(ctx, payments), { everyMs: options.everyMs ?? 15_000, log, db: ctx.db });
}
