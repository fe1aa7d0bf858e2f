import { describe, expect, it } from "vitest";
import {
  convertMinor,
  DEFAULT_CURRENCY_SETTINGS,
  isoMinorDigits,
  parseCurrencySettings,
  parseRate,
  sumConverted,
  type CurrencySettings,
} from "./currency";
import { currencyMinorDigits, formatMoney } from "./money";

const settings = parseCurrencySettings({ currencies: "USD,EUR,GBP,JPY,KWD", rates: "EUR=1.08, GBP=1.27, JPY=0.0067, KWD=3.25" }) as CurrencySettings;

describe("the ISO 4217 table", () => {
  it("knows each currency's exponent, and refuses codes that are not money with a minor unit", () => {
    expect([isoMinorDigits("USD"), isoMinorDigits("JPY"), isoMinorDigits("KWD"), isoMinorDigits("CLF"), isoMinorDigits("HUF")]).toEqual([2, 0, 3, 4, 2]);
    for (const code of ["ZZZ", "XAU", "XAG", "XDR", "XTS", "XXX", "usd", "US", "toString", "__proto__"]) expect(isoMinorDigits(code)).toBeNull();
  });
  it("is what money formatting uses", () => {
    expect(currencyMinorDigits("JPY")).toBe(0);
    expect(formatMoney(2_500, "JPY")).toBe("¥2,500");
    expect(formatMoney(1_234, "KWD")).toMatch(/^KWD\s1\.234$/);
  });
});

describe("parseCurrencySettings", () => {
  it("defaults the limits' currency to the first enabled one, at rate 1", () => {
    expect(settings.base).toBe("USD");
    expect(settings.enabled).toEqual(["USD", "EUR", "GBP", "JPY", "KWD"]);
    expect(parseCurrencySettings({ currencies: "USD" })).toEqual(DEFAULT_CURRENCY_SETTINGS);
    expect((parseCurrencySettings({ currencies: "USD,EUR", rates: "USD=0.93", base: "EUR" }) as CurrencySettings).base).toBe("EUR");
  });
  it.each([
    [{ currencies: "" }, /at least one/],
    [{ currencies: "USD,ZZZ" }, /ZZZ is not an ISO 4217/],
    [{ currencies: "USD,XAU", rates: "XAU=2000" }, /XAU is not an ISO 4217/],
    [{ currencies: "usd" }, /usd is not an ISO 4217/],
    [{ currencies: "USD,EUR" }, /no rate to USD for EUR/],
    [{ currencies: "USD,EUR", rates: "EUR=-1" }, /positive decimal/],
    [{ currencies: "USD,EUR", rates: "EUR=1e3" }, /positive decimal/],
    [{ currencies: "USD,EUR", rates: "EUR=0" }, /positive decimal/],
    [{ currencies: "USD,EUR", rates: "EUR" }, /positive decimal/],
    [{ currencies: "USD,EUR", rates: "EUR=1=2" }, /must be <ISO 4217 code>=<decimal>/],
    [{ currencies: "USD,EUR", rates: "EUR=1.1,EUR=1.2" }, /two rates/],
    [{ currencies: "USD,EUR", rates: "EUR=1.1", base: "GBP" }, /must be one of the enabled/],
    [{ currencies: "USD,USD" }, /listed twice/],
  ])("refuses %j", (input, problem) => {
    expect(parseCurrencySettings(input)).toMatch(problem);
  });
  it("reads rates as exact fractions", () => {
    expect(parseRate("1.08")).toEqual({ numerator: 108n, denominator: 100n });
    expect(parseRate("0.0067")).toEqual({ numerator: 67n, denominator: 10_000n });
    expect(parseRate("1.0.8")).toBeNull();
  });
});

describe("convertMinor", () => {
  it("converts through the rates, minding each currency's exponent", () => {
    expect(convertMinor(settings, 10_000, "EUR", "USD", "up")).toBe(10_800); // €100.00 → $108.00
    expect(convertMinor(settings, 37_000, "JPY", "USD", "up")).toBe(24_790); // ¥37,000 → $247.90
    expect(convertMinor(settings, 1_000, "KWD", "USD", "up")).toBe(325); // KWD 1.000 → $3.25
    expect(convertMinor(settings, 10_800, "USD", "EUR", "up")).toBe(10_000);
    expect(convertMinor(settings, 2_500, "USD", "USD", "up")).toBe(2_500);
  });
  it("rounds as told: up for caps (never understated), down only when asked", () => {
    expect(convertMinor(settings, 1, "JPY", "USD", "up")).toBe(1); // ¥1 = $0.0067
    expect(convertMinor(settings, 1, "JPY", "USD", "down")).toBe(0);
    expect(convertMinor(settings, 100, "USD", "JPY", "up")).toBe(150); // $1 = ¥149.25…
    expect(convertMinor(settings, 100, "USD", "JPY", "down")).toBe(149);
  });
  it("returns null for what it cannot convert", () => {
    expect(convertMinor(settings, 100, "CHF", "USD", "up")).toBeNull();
    expect(convertMinor(settings, 100, "ZZZ", "USD", "up")).toBeNull();
    expect(convertMinor(DEFAULT_CURRENCY_SETTINGS, 100, "EUR", "USD", "up")).toBeNull();
  });
  it("sums several currencies, naming the ones it could not convert", () => {
    const amounts = [
      { amountMinor: 25_000, currency: "USD" },
      { amountMinor: 23_000, currency: "EUR" },
      { amountMinor: 37_000, currency: "JPY" },
      { amountMinor: 500, currency: "ZZZ" },
    ];
    expect(sumConverted(settings, amounts, "USD", "up")).toEqual({ totalMinor: 25_000 + 24_840 + 24_790, unconvertible: ["ZZZ"] });
  });
});
