// `npm run payments:reconcile` (issue 15 item 6): Stripe's objects since a date (PaymentIntents,
// Transfers and their reversals, Refunds, lost Disputes made by Holdfast) against the ledger's external
// movements of the same period; src/domain/payments/reconcile.ts compares them.
import type Stripe from "stripe";
import { reconcileMovements, type Mismatch, type Movement } from "~/domain/payments/reconcile";
import type { Db } from "../db/client";

const upper = (currency: string) => currency.toUpperCase();

export async function stripeMovements(stripe: Stripe, since: Date): Promise<Movement[]> {
  const created = { gte: Math.floor(since.getTime() / 1000) };
  const out: Movement[] = [];
  for await (const pi of stripe.paymentIntents.list({ created, limit: 100 })) {
    if (pi.status === "succeeded" && pi.metadata?.holdfast_payment_id) {
      out.push({ kind: "payment", stripeId: pi.id, amountMinor: pi.amount_received, currency: upper(pi.currency) });
    }
  }
  for await (const tr of stripe.transfers.list({ created, limit: 100 })) {
    if (!tr.metadata?.holdfast_payout_id) continue;
    out.push({ kind: "transfer", stripeId: tr.id, amountMinor: tr.amount, currency: upper(tr.currency) });
    if (tr.amount_reversed > 0) out.push({ kind: "transfer_reversal", stripeId: tr.id, amountMinor: tr.amount_reversed, currency: upper(tr.currency) });
  }
  for await (const re of stripe.refunds.list({ created, limit: 100 })) {
    if (re.metadata?.holdfast_payout_id && re.status !== "failed" && re.status !== "canceled") {
      out.push({ kind: "refund", stripeId: re.id, amountMinor: re.amount, currency: upper(re.currency) });
    }
  }
  for await (const dp of stripe.disputes.list({ created, limit: 100 })) {
    if (dp.status === "lost") out.push({ kind: "chargeback", stripeId: dp.id, amountMinor: dp.amount, currency: upper(dp.currency) });
  }
  return out;
}

export async function ledgerMovements(db: Db, since: Date): Promise<Movement[]> {
  const out: Movement[] = [];
  const topups = await db.ledgerTransfer.findMany({ where: { kind: "topup", operationKey: { startsWith: "topup:stripe:" }, createdAt: { gte: since } } });
  for (const t of topups) {
    out.push({ kind: "payment", stripeId: t.operationKey.slice("topup:stripe:".length), amountMinor: Number(t.amountMinor), currency: t.currency });
  }
  const payouts = await db.payout.findMany({ where: { createdAt: { gte: since }, stripeObjectId: { not: null } } });
  const ledgerRows = await db.ledgerTransfer.findMany({
    where: { OR: payouts.flatMap((p) => [{ operationKey: `payout:${p.id}` }, { operationKey: { startsWith: `payout:${p.id}:reversal` } }]) },
  });
  const amountOf = (key: string) => {
    const row = ledgerRows.find((r) => r.operationKey === key);
    return row ? { amountMinor: Number(row.amountMinor), currency: row.currency } : null;
  };
  for (const p of payouts) {
    const stripeId = p.stripeObjectId!;
    const out1 = amountOf(`payout:${p.id}`);
    if (out1) out.push({ kind: p.kind === "card_refund" ? "refund" : "transfer", stripeId, ...out1 });
    // A transfer may be reversed in parts (one ledger row per reversal): Stripe reports their total.
    const reversals = ledgerRows.filter((r) => r.operationKey.startsWith(`payout:${p.id}:reversal`));
    const back = reversals.length
      ? { amountMinor: reversals.reduce((sum, r) => sum + Number(r.amountMinor), 0), currency: reversals[0]!.currency }
      : null;
    if (back && p.kind === "connect_transfer") out.push({ kind: "transfer_reversal", stripeId, ...back });
  }
  const chargebacks = await db.ledgerTransfer.groupBy({
    by: ["operationKey", "currency"],
    where: { kind: "chargeback", createdAt: { gte: since } },
    _sum: { amountMinor: true },
  });
  const byDispute = new Map<string, Movement>();
  for (const c of chargebacks) {
    const stripeId = c.operationKey.split(":")[1]!;
    const prior = byDispute.get(stripeId);
    const amountMinor = Number(c._sum.amountMinor ?? 0n) + (prior?.amountMinor ?? 0);
    byDispute.set(stripeId, { kind: "chargeback", stripeId, amountMinor, currency: c.currency });
  }
  out.push(...byDispute.values());
  return out;
}

export async function reconcileWithStripe(db: Db, stripe: Stripe, since: Date): Promise<Mismatch[]> {
  const [fromStripe, fromLedger] = await Promise.all([stripeMovements(stripe, since), ledgerMovements(db, since)]);
  return reconcileMovements(fromStripe, fromLedger);
}
