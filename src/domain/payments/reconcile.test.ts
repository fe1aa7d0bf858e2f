import { describe, expect, it } from "vitest";
import { describeMismatch, reconcileMovements, type Movement } from "./reconcile";

const m = (kind: Movement["kind"], stripeId: string, amountMinor: number, currency = "USD"): Movement => ({ kind, stripeId, amountMinor, currency });

describe("reconcileMovements", () => {
  it("finds nothing when both sides agree, in any order", () => {
    expect(reconcileMovements([m("payment", "pi_1", 500), m("refund", "re_1", 200)], [m("refund", "re_1", 200), m("payment", "pi_1", 500)])).toEqual([]);
  });

  it("reports each kind of difference, keyed by kind and Stripe id", () => {
    const found = reconcileMovements(
      [m("payment", "pi_1", 500), m("payment", "pi_2", 700), m("transfer", "tr_1", 100), m("refund", "re_1", 50, "EUR")],
      [m("payment", "pi_1", 499), m("transfer", "tr_1", 100), m("refund", "re_1", 50), m("refund", "tr_1", 100), m("chargeback", "dp_1", 300)],
    );
    expect(found.map((f) => f.problem)).toEqual(["amount_differs", "missing_in_ledger", "currency_differs", "missing_at_stripe", "missing_at_stripe"]);
    expect(found.map(describeMismatch)).toEqual([
      "amount differs for payment pi_1: Stripe 500, ledger 499 USD",
      "missing in the ledger: Stripe has payment pi_2 700 USD",
      "currency differs for refund re_1: Stripe EUR, ledger USD",
      "missing at Stripe: the ledger has refund tr_1 100 USD",
      "missing at Stripe: the ledger has chargeback dp_1 300 USD",
    ]);
  });
});
