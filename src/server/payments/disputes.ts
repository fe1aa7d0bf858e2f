// Chargebacks on card payments that funded a wallet (issue 15 item 5). `charge.dispute.created` records
// the case (the customer's wallet then takes no new card payments, no returns to the card and — through
// the engine's accept hook — no new accepts) and Holdfast answers Stripe with evidence from its own record
// of the escrows that money paid for. `charge.dispute.closed` lost: the card network took the money back,
// so the ledger posts it out — from what the customer's wallet still holds, the rest as the platform's
// loss (`platform_loss`) — and every invariant still holds.
import type Stripe from "stripe";
import { buildDisputeEvidence, type EvidenceEscrow } from "~/domain/payments/dispute-evidence";
import { externalFundingKey, platformLossKey, walletKey } from "~/domain/ledger/accounts";
import type { EngineContext } from "../context";
import type { Db } from "../db/client";
import type { Tx } from "../db/transaction";
import { postTransfer } from "../ledger/ledger";
import { log } from "../log";
import { CLOSED_DISPUTE_STATUSES } from "../risk/wallet-freeze";
import type { StripePayments } from "./settings";


const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === "string" ? value : (value?.id ?? null);

export async function onDisputeCreated(tx: Tx, ctx: EngineContext, dispute: Stripe.Dispute): Promise<string> {
  const paymentIntentId = idOf(dispute.payment_intent);
  const payment = paymentIntentId ? await tx.cardPayment.findUnique({ where: { paymentIntentId } }) : null;
  if (!payment) return "ignored";
  const evidence = await gatherEvidence(tx, payment);
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
        evidence: evidence as object,
        createdAt: ctx.now(),
      },
    ],
    skipDuplicates: true,
  });
  return created.count ? "dispute_recorded" : "duplicate";
}

async function gatherEvidence(tx: Tx, payment: { id: string; userId: string; escrowId: string | null; outcome: string | null; paidAt: Date | null }) {
  const user = await tx.user.findUniqueOrThrow({ where: { id: payment.userId } });
  // The escrows this money paid for: the offer it was paid for, else what the wallet funded after it arrived.
  const escrowIds =
    payment.outcome === "accepted" && payment.escrowId
      ? [payment.escrowId]
      : (
          await tx.ledgerTransfer.findMany({
            where: { kind: "fund", escrow: { customerId: payment.userId }, createdAt: { gte: payment.paidAt ?? new Date(0) } },
            orderBy: { createdAt: "asc" },
            take: 10,
            select: { escrowId: true },
          })
        ).flatMap((t) => (t.escrowId ? [t.escrowId] : []));
  const escrows: EvidenceEscrow[] = [];
  for (const id of escrowIds) {
    const escrow = await tx.escrow.findUniqueOrThrow({ where: { id } });
    const events = await tx.escrowEvent.findMany({ where: { escrowId: id }, orderBy: { id: "asc" } });
    const messages = await tx.message.findMany({
      // Owner instructions are private to the agent and never leave Holdfast.
      where: { conversationId: escrow.conversationId, role: { not: "owner" } },
      orderBy: { seq: "asc" },
      take: 200,
      include: { artifacts: true },
    });
    escrows.push({
      referenceCode: escrow.referenceCode,
      title: escrow.title,
      amountMinor: Number(escrow.amountMinor),
      currency: escrow.currency,
      status: escrow.status,
      createdAt: escrow.createdAt,
      timeline: events.map((e) => ({ at: e.createdAt, command: e.command, actor: e.actorKind, toStatus: e.toStatus })),
      messages: messages.map((m) => ({ at: m.createdAt, role: m.role, text: m.text })),
      artifacts: messages
        .filter((m) => m.escrowId === id)
        .flatMap((m) => m.artifacts.map((a) => ({ name: a.name, mimeType: a.mimeType, sizeBytes: Number(a.sizeBytes), sha256: a.sha256, at: a.createdAt }))),
    });
  }
  return buildDisputeEvidence({ customerName: user.displayName, customerEmail: user.email, escrows });
}

/** Sends the recorded evidence to Stripe once (after the webhook's transaction: no network call inside it). */
export async function submitDisputeEvidence(ctx: EngineContext, payments: StripePayments, disputeId: string): Promise<boolean> {
  const row = await ctx.db.cardDispute.findUnique({ where: { id: disputeId } });
  if (!row || row.evidenceSubmittedAt || !row.evidence || CLOSED_DISPUTE_STATUSES.includes(row.status)) return false;
  try {
    await payments.stripe.disputes.update(
      disputeId,
      { evidence: row.evidence as Stripe.DisputeUpdateParams.Evidence, submit: true },
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
