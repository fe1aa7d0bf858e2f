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

describe("a movement is matched by kind and Stripe id together", () => {
  it("the same id under another kind is two differences; an equal pair is none", () => {
    expect(reconcileMovements([m("payment", "x_1", 5)], [m("refund", "x_1", 5)]).map(describeMismatch)).toEqual([
      "missing in the ledger: Stripe has payment x_1 5 USD",
      "missing at Stripe: the ledger has refund x_1 5 USD",
    ]);
    expect(reconcileMovements([m("chargeback", "dp_1", 5, "EUR")], [m("chargeback", "dp_1", 5, "EUR")])).toEqual([]);
    expect(reconcileMovements([], [])).toEqual([]);
  });

  it("a currency difference is reported as such even when the amounts differ too", () => {
    expect(reconcileMovements([m("transfer", "tr_9", 5, "EUR")], [m("transfer", "tr_9", 7, "USD")])).toEqual([
      { problem: "currency_differs", stripe: m("transfer", "tr_9", 5, "EUR"), ledger: m("transfer", "tr_9", 7, "USD") },
    ]);
  });
});
