// A verified Stripe payment becomes wallet money (issue 15), inside the webhook's transaction: one
// `topup` per PaymentIntent (operation key `topup:stripe:<pi>`, unique in the ledger), and — when the
// payment was for an offer — the customer's `accept` through the engine's one write path in the same
// transaction, so `escrow.funded` exists only once the platform holds the money. An offer that expired,
// was withdrawn or was accepted meanwhile leaves the money in the wallet and the customer is told.
import { isDomainError } from "~/domain/escrow/errors";
import { externalFundingKey, walletKey } from "~/domain/ledger/accounts";
import { formatMoney } from "~/domain/money";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { ServiceError } from "../errors";
import { insertMessage } from "../conversations/messages";
import { executeEscrowCommand } from "../escrow/run-command";
import { postTransfer } from "../ledger/ledger";
import { log } from "../log";
import { PAYMENT_METADATA } from "./card-payments";

export interface SucceededPayment {
  paymentIntentId: string;
  chargeId: string | null;
  /** What Stripe received, in the currency's minor unit. */
  amountMinor: number;
  /** Upper case ISO 4217. */
  currency: string;
  metadata: Record<string, string>;
}

export type CreditOutcome = "topped_up" | "accepted" | "offer_unavailable" | "duplicate" | "not_ours";

export function topupOperationKey(paymentIntentId: string): string {
  return `topup:stripe:${paymentIntentId}`;
}

export async function creditSucceededPayment(tx: Tx, ctx: EngineContext, paid: SucceededPayment): Promise<CreditOutcome> {
  const paymentId = paid.metadata[PAYMENT_METADATA.paymentId];
  if (!paymentId) return "not_ours";
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM card_payments WHERE id = ${paymentId} FOR UPDATE`;
  if (rows.length === 0) return "not_ours";
  const payment = await tx.cardPayment.findUniqueOrThrow({ where: { id: paymentId } });
  if (payment.currency !== paid.currency) {
    // Stripe charged in the currency the session named; a mismatch means the event is not what we made.
    log().error({ paymentId, paymentIntentId: paid.paymentIntentId }, "stripe payment currency differs from the recorded payment; not credited");
    return "not_ours";
  }
  const now = ctx.now();
  const posted = await postTransfer(tx, {
    operationKey: topupOperationKey(paid.paymentIntentId),
    kind: "topup",
    from: { key: externalFundingKey(paid.currency), kind: "external_funding", currency: paid.currency },
    to: { key: walletKey(payment.userId, paid.currency), kind: "wallet", currency: paid.currency, userId: payment.userId },
    amountMinor: paid.amountMinor,
    currency: paid.currency,
  });
  if (posted.status === "duplicate") return "duplicate";

  let outcome: CreditOutcome = "topped_up";
  if (payment.escrowId) outcome = await acceptPaidOffer(tx, ctx, payment.userId, payment.escrowId, paid);
  await tx.cardPayment.update({
    where: { id: paymentId },
    data: {
      status: "paid",
      outcome,
      paymentIntentId: paid.paymentIntentId,
      chargeId: paid.chargeId,
      amountMinor: BigInt(paid.amountMinor),
      paidAt: now,
    },
  });
  return outcome;
}

/**
 * The accept runs inside a savepoint: if the engine refuses (the offer expired, was withdrawn or
 * accepted, a limit moved), its partial writes roll back and the top-up above still commits.
 */
async function acceptPaidOffer(tx: Tx, ctx: EngineContext, userId: string, escrowId: string, paid: SucceededPayment): Promise<CreditOutcome> {
  await tx.$executeRawUnsafe("SAVEPOINT card_payment_accept");
  try {
    await executeEscrowCommand(tx, ctx, escrowId, { kind: "customer", userId }, { command: "accept" });
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT card_payment_accept");
    return "accepted";
  } catch (error) {
    if (!isDomainError(error) && !(error instanceof ServiceError)) throw error;
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT card_payment_accept");
    const escrow = await tx.escrow.findUnique({ where: { id: escrowId }, select: { conversationId: true, referenceCode: true, status: true } });
    if (escrow) {
      await insertMessage(tx, {
        conversationId: escrow.conversationId,
        escrowId,
        role: "system",
        text:
          `Your card payment of ${formatMoney(paid.amountMinor, paid.currency)} arrived, but offer ${escrow.referenceCode} ` +
          `could not be accepted with it (${error.message}). The money is in your wallet: nothing is lost, and you can use it ` +
          `for another order or return it to your card.`,
        createdAt: ctx.now(),
      });
    }
    return "offer_unavailable";
  }
}
