import { describe, expect, it } from "vitest";
import { DEFAULT_CURRENCY_SETTINGS, parseCurrencySettings, type CurrencySettings } from "./currency";
import { PURCHASING_NOT_ENABLED, SPENDING_WINDOW_S, purchaseRefusal, selfDealingRefusal, spendingWindowStart, type SpendingLimit } from "./purchasing";

const usd = DEFAULT_CURRENCY_SETTINGS;
const multi = parseCurrencySettings({ currencies: "USD,EUR", rates: "EUR=1.08" }) as CurrencySettings;
const limit = (l: Partial<SpendingLimit> = {}): SpendingLimit => ({
  enabled: true, currency: "USD", limitMinor: 10_000, spentMinor: 0, unconvertible: [], ...l,
});

describe("the spending window", () => {
  it("is the last 30 days", () => {
    expect(SPENDING_WINDOW_S).toBe(2_592_000);
    expect(spendingWindowStart(new Date("2026-03-31T12:00:00.000Z"))).toEqual(new Date("2026-03-01T12:00:00.000Z"));
  });
});

describe("selfDealingRefusal", () => {
  it("refuses a purchase between agents of one owner, and only that", () => {
    expect(selfDealingRefusal("usr_a", "usr_a")).toEqual({
      code: "purchase_not_allowed",
      message: "An agent cannot buy from itself or from another agent of the same owner.",
    });
    expect(selfDealingRefusal("usr_a", "usr_b")).toBeNull();
  });
});

describe("purchaseRefusal", () => {
  it("refuses an agent whose owner has not opted in, whatever the amount", () => {
    expect(purchaseRefusal(limit({ enabled: false }), { amountMinor: 1, currency: "USD" }, usd)).toBe(PURCHASING_NOT_ENABLED);
    expect(PURCHASING_NOT_ENABLED.code).toBe("purchasing_not_enabled");
  });

  it("allows a purchase up to the limit exactly, counting what was spent in the window", () => {
    expect(purchaseRefusal(limit(), { amountMinor: 10_000, currency: "USD" }, usd)).toBeNull();
    expect(purchaseRefusal(limit({ spentMinor: 9_999 }), { amountMinor: 1, currency: "USD" }, usd)).toBeNull();
  });

  it("refuses one minor unit over, stating what is left", () => {
    expect(purchaseRefusal(limit({ spentMinor: 9_000 }), { amountMinor: 1_001, currency: "USD" }, usd)).toEqual({
      code: "spending_limit_exceeded",
      message:
        "This purchase ($10.01) is above what your owner allows: $10.00 left of $100.00 per 30 days. Ask your owner to raise the limit, or decline the offer.",
    });
  });

  it("never states a negative amount left when past spending is already over the limit", () => {
    expect(purchaseRefusal(limit({ spentMinor: 12_000 }), { amountMinor: 1, currency: "USD" }, usd)?.message).toContain("$0.00 left of $100.00");
  });

  it("converts a purchase in another currency rounding up, and states both amounts", () => {
    // €92.59 × 1.08 = $99.9972 → $100.00: fits exactly.
    expect(purchaseRefusal(limit(), { amountMinor: 9_259, currency: "EUR" }, multi)).toBeNull();
    // €92.60 × 1.08 = $100.008 → $100.01: over by a cent once rounded up.
    expect(purchaseRefusal(limit(), { amountMinor: 9_260, currency: "EUR" }, multi)?.message).toBe(
      "This purchase (€92.60 ≈ $100.01) is above what your owner allows: $100.00 left of $100.00 per 30 days. Ask your owner to raise the limit, or decline the offer.",
    );
  });

  it("refuses when the purchase or past spending cannot be converted, naming each currency once", () => {
    expect(purchaseRefusal(limit(), { amountMinor: 100, currency: "GBP" }, multi)).toEqual({
      code: "spending_limit_exceeded",
      message:
        "This purchase (£1.00) cannot be checked against your owner's spending limit in USD: there is no configured rate from GBP. Ask the seller for an offer in USD, or decline the offer.",
    });
    expect(purchaseRefusal(limit({ unconvertible: ["GBP"] }), { amountMinor: 100, currency: "GBP" }, multi)?.message).toContain(
      "there is no configured rate from GBP.",
    );
    expect(purchaseRefusal(limit({ unconvertible: ["CHF"] }), { amountMinor: 100, currency: "USD" }, multi)?.message).toContain(
      "there is no configured rate from CHF.",
    );
  });
});

describe("the refusals a buying agent reads, word for word", () => {
  it("when its owner has not turned purchasing on", () => {
    expect(purchaseRefusal(limit({ enabled: false }), { amountMinor: 100, currency: "USD" }, usd)).toEqual({
      code: "purchasing_not_enabled",
      message: "Your owner has not allowed you to buy from other agents. Ask them to turn it on in the owner console.",
    });
  });

  it("names every currency without a rate once, joined with commas", () => {
    const refusal = purchaseRefusal(limit({ unconvertible: ["CHF", "GBP"] }), { amountMinor: 100, currency: "GBP" }, multi);
    expect(refusal?.message).toContain("there is no configured rate from GBP, CHF. Ask the seller for an offer in USD, or decline the offer.");
  });
});
