import { describe, expect, it } from "vitest";
import { DEFAULT_CURRENCY_SETTINGS, parseCurrencySettings, type CurrencySettings } from "./currency";
import { DEFAULT_CATALOG_PRICE_ALERT_PCT, OFFER_ALERT_RULES, catalogNoticeFor, offerAlerts, type OfferAlertFacts } from "./offer-alerts";

const multi = parseCurrencySettings({ currencies: "USD,EUR,JPY", rates: "EUR=1.08,JPY=0.0067" }) as CurrencySettings;
const policy = { currencies: multi, catalogPriceAlertPct: 150 };
const kinds = (o: Partial<OfferAlertFacts>, p = policy) =>
  offerAlerts({ amountMinor: 1_000, currency: "USD", service: { priceMinor: 1_000, currency: "USD" }, threshold: null, ...o }, p).map((r) => r.kind);

describe("offerAlerts", () => {
  it("an offer at the catalog price, or up to 150 % of it, raises nothing", () => {
    expect(kinds({})).toEqual([]);
    expect(kinds({ amountMinor: 1_500 })).toEqual([]);
  });
  it("above 150 % of the catalog price (3×, 20×) raises one above_catalog_price alert", () => {
    expect(kinds({ amountMinor: 1_501 })).toEqual(["above_catalog_price"]);
    expect(kinds({ amountMinor: 3_000 })).toEqual(["above_catalog_price"]);
    expect(kinds({ amountMinor: 20_000 })).toEqual(["above_catalog_price"]);
    expect(kinds({ amountMinor: 20_000 }, { ...policy, catalogPriceAlertPct: 2_500 })).toEqual([]);
  });
  it("compares a price in another currency after converting, rounded up", () => {
    // €14.00 = $15.12 > 150 % of $10.00
    expect(kinds({ amountMinor: 1_400, currency: "EUR" })).toEqual(["above_catalog_price"]);
    expect(kinds({ amountMinor: 1_388, currency: "EUR" })).toEqual([]); // $14.9904 → $15.00
    expect(kinds({ amountMinor: 1_000, currency: "USD", service: { priceMinor: 1_000, currency: "EUR" } })).toEqual([]);
  });
  it("an offer outside the catalog raises off_catalog", () => {
    expect(kinds({ service: null })).toEqual(["off_catalog"]);
  });
  it("the large-amount threshold compares after conversion into the threshold's currency", () => {
    const threshold = { amountMinor: 10_000, currency: "USD" };
    expect(kinds({ service: null, amountMinor: 9_500, currency: "EUR", threshold })).toEqual(["off_catalog", "large_amount"]); // $102.60
    expect(kinds({ service: null, amountMinor: 9_259, currency: "EUR", threshold })).toEqual(["off_catalog"]); // $99.9972 → $100.00
    expect(kinds({ service: null, amountMinor: 1_500_000, currency: "JPY", threshold })).toEqual(["off_catalog", "large_amount"]); // $100.50
    expect(kinds({ service: null, amountMinor: 10_001, threshold: { amountMinor: 9_000, currency: "EUR" } })).toEqual(["off_catalog", "large_amount"]);
  });
  it("what cannot be converted alerts rather than passes", () => {
    const usdOnly = { ...policy, currencies: DEFAULT_CURRENCY_SETTINGS };
    expect(kinds({ amountMinor: 1, currency: "EUR" }, usdOnly)).toEqual(["above_catalog_price"]);
    expect(kinds({ amountMinor: 1, threshold: { amountMinor: 10_000, currency: "GBP" } }, usdOnly)).toEqual(["large_amount"]);
  });
});

describe("offer alert rules, as the owner's inbox sees them", () => {
  it("files an above-catalog-price alert under off_catalog, and a large amount under large_amount", () => {
    const reasons = (o: Partial<OfferAlertFacts>) =>
      offerAlerts({ amountMinor: 1_000, currency: "USD", service: { priceMinor: 1_000, currency: "USD" }, threshold: null, ...o }, policy).map(
        (r) => [r.kind, r.reason],
      );
    expect(reasons({ service: null })).toEqual([["off_catalog", "off_catalog"]]);
    expect(reasons({ amountMinor: 1_501 })).toEqual([["above_catalog_price", "off_catalog"]]);
    expect(reasons({ amountMinor: 1_501, threshold: { amountMinor: 1_500, currency: "USD" } })).toEqual([
      ["above_catalog_price", "off_catalog"],
      ["large_amount", "large_amount"],
    ]);
  });
  it("alerts above the threshold, not at it", () => {
    expect(kinds({ amountMinor: 10_000, service: { priceMinor: 10_000, currency: "USD" }, threshold: { amountMinor: 10_000, currency: "USD" } })).toEqual([]);
    expect(kinds({ amountMinor: 10_001, service: { priceMinor: 10_000, currency: "USD" }, threshold: { amountMinor: 10_000, currency: "USD" } })).toEqual(["large_amount"]);
  });
  it("defaults the catalog-price alert to 150 %", () => {
    expect(DEFAULT_CATALOG_PRICE_ALERT_PCT).toBe(150);
    expect(OFFER_ALERT_RULES.map((r) => r.kind)).toEqual(["off_catalog", "above_catalog_price", "large_amount"]);
  });
});

describe("catalogNoticeFor (the customer's offer card, issue 17)", () => {
  const usd = (amountMinor: number) => ({ amountMinor, currency: "USD" });
  it("an offer outside the catalog always says so", () => {
    expect(catalogNoticeFor({ ...usd(1_000), service: null }, policy)).toEqual({ kind: "off_catalog", text: "Not from the catalog." });
  });
  it("names both prices above the alerting factor, and nothing at or near the listed price", () => {
    const service = { priceMinor: 1_500, currency: "USD" };
    expect(catalogNoticeFor({ ...usd(15_000), service }, policy)).toEqual({
      kind: "above_catalog_price",
      text: "Listed at $15.00; this offer asks $150.00.",
    });
    expect(catalogNoticeFor({ ...usd(2_250), service }, policy)).toBeNull();
    expect(catalogNoticeFor({ ...usd(2_251), service }, policy)?.kind).toBe("above_catalog_price");
    expect(catalogNoticeFor({ ...usd(15_000), service }, { ...policy, catalogPriceAlertPct: 1_000 })).toBeNull();
  });
});
