// A customer whose card payment is disputed with their bank (a chargeback, issue 15 item 5) has their
// wallet frozen until the case closes: no new accepts, card payments or returns to the card. It lives
// with the other accept-time checks so the engine asks it without depending on the payments layer.
import type { Db } from "../db/client";
import type { Tx } from "../db/transaction";
import { ServiceError } from "../errors";

/** Stripe's dispute statuses after which the money is settled one way or the other. */
export const CLOSED_DISPUTE_STATUSES = ["won", "lost", "warning_closed", "prevented"];

export async function hasOpenCardDispute(db: Tx | Db, userId: string): Promise<boolean> {
  const open = await db.cardDispute.count({ where: { userId, status: { notIn: CLOSED_DISPUTE_STATUSES } } });
  return open > 0;
}

/** The wallet is frozen while one of the customer's card payments is disputed. */
export async function assertNoOpenCardDispute(db: Tx | Db, userId: string): Promise<void> {
  if (await hasOpenCardDispute(db, userId)) throw walletFrozenError();
}

export function walletFrozenError(): ServiceError {
  return new ServiceError("conflict", "Your wallet is on hold while a card payment is disputed with your bank. A moderator will be in touch.");
}
