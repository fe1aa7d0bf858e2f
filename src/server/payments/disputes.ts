// Chargebacks on card payments that funded a wallet (issue 15 item 5). `charge.dispute.created` records
// the case (the customer's wallet then takes no new card payments, no returns to the card and — through
// the engine's accept hook — no new accepts) and Holdfast answers Stripe with evidence built from the
// evidence bundles (issue 18) of the escrows that money paid for. `charge.dispute.closed` lost: the card network took the money back,
// so the ledger posts it out — from what the customer's wallet still holds, the rest as the platform's
// loss (`platform_loss`) — and every invariant still holds.
import type Stripe from "stripe";
import { buildDisputeEvidence, type DisputeEvidenceFields } from "~/domain/payments/dispute-evidence";
import { externalFundingKey, platformLossKey, walletKey } from "~/domain/ledger/accounts";
import type { EngineContext } from "../context";
import type { Db } from "../db/client";
import type { Tx } from "../db/transaction";
import { postTransfer } from "../ledger/ledger";
import { log } from "../log";
import { buildEvidenceBundle } from "../receipts/evidence";
import { CLOSED_DISPUTE_STATUSES } from "../risk/wallet-freeze";
import type { StripePayments } from "./settings";


const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === "string" ? value : (value?.id ?? null);

export async function onDisputeCreated(tx: Tx, ctx: EngineContext, dispute: Stripe.Dispute): Promise<string> {
  const paymentIntentId = idOf(dispute.payment_intent);
  const payment = paymentIntentId ? await tx.cardPayment.findUnique({ where: { paymentIntentId } }) : null;
  if (!payment) return "ignored";
  // The evidence is built after this transaction commits (submitDisputeEvidence): the bundles it comes from
  // seal receipts in their own transactions. Which escrows it covers is decided here, with the dispute.
  const recorded: RecordedEvidence = { escrow_ids: await escrowsPaidBy(tx, payment), fields: null };
  const created = await tx.cardDispute.createMany({
    data: [
      {
        id: dispute.id,
        cardPaymentId: payment.id,
        userId: payment.userId,
        currency: dispute.currency.toUpperCase(),
        amountMinor: BigInt(dispute.amount),
        reason: dispute.reason,
        status: dispute.status,
        evidence: recorded as object,
        createdAt: ctx.now(),
      },
    ],
    skipDuplicates: true,
  });
  return created.count ? "dispute_recorded" : "duplicate";
}

/** What card_disputes.evidence holds: the escrows the money paid for, then the fields sent to Stripe (built once). */
interface RecordedEvidence {
  escrow_ids: string[];
  fields: DisputeEvidenceFields | null;
}

/** The row's evidence; a row recorded before the bundles (the Stripe fields themselves) is sent as it is. */
function recordedEvidence(stored: unknown): RecordedEvidence {
  const value = stored as Partial<RecordedEvidence> & Record<string, unknown>;
  return Array.isArray(value.escrow_ids) ? { escrow_ids: value.escrow_ids, fields: value.fields ?? null } : { escrow_ids: [], fields: value as unknown as DisputeEvidenceFields };
}

/** At most this many escrows (the first the money paid for) in one chargeback's evidence: Stripe caps its length. */
const EVIDENCE_MAX_ESCROWS = 10;

/** The escrows this money paid for: the offer it was paid for, else what the wallet funded after it arrived. */
async function escrowsPaidBy(tx: Tx, payment: { userId: string; escrowId: string | null; outcome: string | null; paidAt: Date | null }): Promise<string[]> {
  if (payment.outcome === "accepted" && payment.escrowId) return [payment.escrowId];
  const funded = await tx.ledgerTransfer.findMany({
    where: { kind: "fund", escrow: { customerId: payment.userId }, createdAt: { gte: payment.paidAt ?? new Date(0) } },
    orderBy: { createdAt: "asc" },
    take: EVIDENCE_MAX_ESCROWS,
    select: { escrowId: true },
  });
  return funded.flatMap((t) => (t.escrowId ? [t.escrowId] : []));
}

/**
 * Stripe's evidence fields from the escrows' evidence bundles — the one assembly (src/server/receipts/evidence.ts)
 * the downloads and the agent API use too, as the payment provider sees it (no owner instructions, no file bytes).
 */
async function evidenceFields(ctx: EngineContext, userId: string, escrowIds: string[]): Promise<DisputeEvidenceFields> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: userId } });
  const bundles = [];
  for (const id of escrowIds) bundles.push(await buildEvidenceBundle(ctx.db, null, id, "payment_provider", ctx.now()));
  return buildDisputeEvidence({ customerName: user.displayName, customerEmail: user.email, bundles });
}

/**
 * Builds the evidence once (kept on the row, so a retry sends the very same parameters under its idempotency
 * key) and sends it to Stripe once — after the webhook's transaction: no network call inside it.
 */
export async function submitDisputeEvidence(ctx: EngineContext, payments: StripePayments, disputeId: string): Promise<boolean> {
  const row = await ctx.db.cardDispute.findUnique({ where: { id: disputeId } });
  if (!row || row.evidenceSubmittedAt || !row.evidence || CLOSED_DISPUTE_STATUSES.includes(row.status)) return false;
  let recorded = recordedEvidence(row.evidence);
  if (!recorded.fields) {
    const fields = await evidenceFields(ctx, row.userId, recorded.escrow_ids);
    // The first builder's fields win; a concurrent redelivery then sends those.
    await ctx.db.$executeRaw`UPDATE card_disputes SET evidence = ${JSON.stringify({ ...recorded, fields })}::jsonb
      WHERE id = ${disputeId} AND evidence->'fields' = 'null'::jsonb`;
    recorded = recordedEvidence((await ctx.db.cardDispute.findUniqueOrThrow({ where: { id: disputeId } })).evidence);
  }
  try {
    await payments.stripe.disputes.update(
      disputeId,
      { evidence: recorded.fields as Stripe.DisputeUpdateParams.Evidence, submit: true },
      { idempotencyKey: `dispute-evidence:${disputeId}` },
    );
  } catch (error) {
    log().warn({ err: error, disputeId }, "dispute evidence not submitted");
    return false;
  }
  await ctx.db.cardDispute.update({ where: { id: disputeId }, data: { evidenceSubmittedAt: ctx.now(), status: "under_review" } });
  return true;
}

export async function onDisputeClosed(tx: Tx, ctx: EngineContext, dispute: Stripe.Dispute): Promise<string> {
  await tx.$queryRaw`SELECT id FROM card_disputes WHERE id = ${dispute.id} FOR UPDATE`;
  const row = await tx.cardDispute.findUnique({ where: { id: dispute.id } });
  if (!row) return "ignored";
  if (row.closedAt) return "duplicate";
  await tx.cardDispute.update({ where: { id: row.id }, data: { status: dispute.status, closedAt: ctx.now() } });
  if (dispute.status !== "lost") return `dispute_${dispute.status}`;
  await postChargebackLoss(tx, row);
  return "dispute_lost";
}

/** The money left with the card network: from the customer's wallet as far as it goes, the rest is the platform's loss. */
async function postChargebackLoss(tx: Tx, row: { id: string; userId: string; currency: string; amountMinor: bigint; cardPaymentId: string }) {
  const { currency, userId } = row;
  const amountMinor = Number(row.amountMinor);
  await tx.$queryRaw`SELECT id FROM ledger_accounts WHERE key = ${walletKey(userId, currency)} FOR UPDATE`;
  const wallet = await tx.ledgerAccount.findUnique({ where: { key: walletKey(userId, currency) } });
  const fromWallet = Math.min(amountMinor, Number(wallet?.balanceMinor ?? 0n));
  const outside = { key: externalFundingKey(currency), kind: "external_funding" as const, currency };
  if (fromWallet > 0) {
    await postTransfer(tx, {
      operationKey: `chargeback:${row.id}:wallet`,
      kind: "chargeback",
      from: { key: walletKey(userId, currency), kind: "wallet", currency, userId },
      to: outside,
      amountMinor: fromWallet,
      currency,
    });
  }
  if (amountMinor > fromWallet) {
    await postTransfer(tx, {
      operationKey: `chargeback:${row.id}:loss`,
      kind: "chargeback",
      from: { key: platformLossKey(currency), kind: "platform_loss", currency },
      to: outside,
      amountMinor: amountMinor - fromWallet,
      currency,
    });
  }
  // The disputed money is gone from the card payment: it can no longer be refunded.
  await tx.$executeRaw`UPDATE card_payments SET refunded_minor = LEAST(amount_minor, refunded_minor + ${row.amountMinor}) WHERE id = ${row.cardPaymentId}`;
}

/** Open chargebacks for the moderation queue, oldest first. */
export async function openCardDisputes(db: Db) {
  const rows = await db.cardDispute.findMany({ where: { status: { notIn: CLOSED_DISPUTE_STATUSES } }, orderBy: { createdAt: "asc" }, include: { user: true } });
  return rows.map((r) => ({
    id: r.id,
    customer: { id: r.userId, name: r.user.displayName, email: r.user.email },
    amountMinor: Number(r.amountMinor),
    currency: r.currency,
    reason: r.reason,
    status: r.status,
    evidenceSubmitted: r.evidenceSubmittedAt !== null,
    createdAt: r.createdAt,
  }));
}
