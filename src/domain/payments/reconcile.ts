// Reconciliation (issue 15 item 6): Stripe's record of money moved against the ledger's external side.
// Each movement is keyed by Stripe's object id (PaymentIntent for money in, Transfer for an owner's
// withdrawal, Refund for money back to a card, Dispute for a chargeback); both sides list what they
// know since a date and every difference is reported. Pure: the service fetches both lists.

export type MovementKind = "payment" | "transfer" | "transfer_reversal" | "refund" | "chargeback";

export interface Movement {
  kind: MovementKind;
  /** Stripe's id of the object (pi_…, tr_…, re_…, dp_…). */
  stripeId: string;
  amountMinor: number;
  /** Upper case ISO 4217. */
  currency: string;
}

export type Mismatch =
  | { problem: "missing_in_ledger"; stripe: Movement }
  | { problem: "missing_at_stripe"; ledger: Movement }
  | { problem: "amount_differs"; stripe: Movement; ledger: Movement }
  | { problem: "currency_differs"; stripe: Movement; ledger: Movement };

const keyOf = (m: Movement) => `${m.kind}:${m.stripeId}`;

export function reconcileMovements(stripe: readonly Movement[], ledger: readonly Movement[]): Mismatch[] {
  const byKey = new Map(ledger.map((m) => [keyOf(m), m]));
  const mismatches: Mismatch[] = [];
  for (const s of stripe) {
    const l = byKey.get(keyOf(s));
    byKey.delete(keyOf(s));
    if (!l) mismatches.push({ problem: "missing_in_ledger", stripe: s });
    else if (l.currency !== s.currency) mismatches.push({ problem: "currency_differs", stripe: s, ledger: l });
    else if (l.amountMinor !== s.amountMinor) mismatches.push({ problem: "amount_differs", stripe: s, ledger: l });
  }
  for (const l of byKey.values()) mismatches.push({ problem: "missing_at_stripe", ledger: l });
  return mismatches;
}

export function describeMismatch(m: Mismatch): string {
  const show = (x: Movement) => `${x.kind} ${x.stripeId} ${x.amountMinor} ${x.currency}`;
  switch (m.problem) {
    case "missing_in_ledger":
      return `missing in the ledger: Stripe has ${show(m.stripe)}`;
    case "missing_at_stripe":
      return `missing at Stripe: the ledger has ${show(m.ledger)}`;
    case "amount_differs":
      return `amount differs for ${m.stripe.kind} ${m.stripe.stripeId}: Stripe ${m.stripe.amountMinor}, ledger ${m.ledger.amountMinor} ${m.ledger.currency}`;
    case "currency_differs":
      return `currency differs for ${m.stripe.kind} ${m.stripe.stripeId}: Stripe ${m.stripe.currency}, ledger ${m.ledger.currency}`;
  }
}
