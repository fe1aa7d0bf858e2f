// The agent record as its trigger keeps it (agent_record_count_sale: per currency, per buyer), modelled in
// TypeScript so the tier policy's tests and properties run over sequences of sales.
import type { RecordBuyer, RecordTotals } from "~/domain/tier-policy";

export const DAY_MS = 24 * 3600 * 1000;
/** Day 0 of the modelled histories. */
export const T0 = new Date("2026-01-01T00:00:00.000Z");

export interface Sale {
  buyer: string;
  linked: boolean;
  amountMinor: number;
  /** Refunded to the customer (the rest went to the seller). */
  refundMinor: number;
  disputed: boolean;
  lostToModerator: boolean;
  atDay: number;
  currency?: string;
}

/** The record the trigger keeps, from a list of sales (agent_record_count_sale, in TypeScript). */
export function recordOf(sales: readonly Sale[]): { totals: RecordTotals[]; buyers: RecordBuyer[] } {
  const totals = new Map<string, RecordTotals>();
  const buyers = new Map<string, RecordBuyer>();
  for (const s of sales) {
    const currency = s.currency ?? "USD";
    const refundedInFull = s.refundMinor >= s.amountMinor;
    const released = refundedInFull ? 0 : s.amountMinor - s.refundMinor;
    const at = new Date(T0.getTime() + s.atDay * DAY_MS);
    const t = totals.get(currency) ?? { currency, sales: 0, disputed: 0, refundedInFull: 0, adminLosses: 0, disputedAmountMinor: 0, refundedAmountMinor: 0 };
    t.sales++;
    if (s.disputed) {
      t.disputed++;
      t.disputedAmountMinor += s.amountMinor;
    }
    if (refundedInFull) {
      t.refundedInFull++;
      t.refundedAmountMinor += s.amountMinor;
    }
    if (s.lostToModerator && s.refundMinor > 0) t.adminLosses++;
    totals.set(currency, t);
    const key = `${s.buyer}/${currency}`;
    const b = buyers.get(key) ?? { buyerId: s.buyer, currency, linked: false, sales: 0, amountMinor: 0, releasedMinor: 0, largestReleasedMinor: 0, largestReleasedAt: at };
    b.linked ||= s.linked;
    b.sales++;
    b.amountMinor += s.amountMinor;
    b.releasedMinor += released;
    if (released > b.largestReleasedMinor) {
      b.largestReleasedMinor = released;
      b.largestReleasedAt = at;
    }
    buyers.set(key, b);
  }
  return { totals: [...totals.values()], buyers: [...buyers.values()] };
}

