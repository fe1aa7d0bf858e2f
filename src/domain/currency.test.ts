import { describe, expect, it } from "vitest";
import {
  convertMinor,
  DEFAULT_CURRENCY_SETTINGS,
  isEnabledCurrency,
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

describe("parseCurrencySettings: the sentence an operator reads", () => {
  it.each([
    [{ currencies: " , " }, "list at least one currency, e.g. USD"],
    [{ currencies: "USD,ZZZ" }, "ZZZ is not an ISO 4217 currency with a minor unit (use upper-case codes such as USD, EUR, JPY)"],
    [{ currencies: "USD,USD" }, "a currency is listed twice"],
    [{ currencies: "USD,EUR", base: "GBP" }, "the limits' currency GBP must be one of the enabled currencies (USD, EUR)"],
    [{ currencies: "USD,EUR", rates: "EUR=1=2" }, 'rate entry "EUR=1=2" must be <ISO 4217 code>=<decimal>, e.g. EUR=1.08'],
    [{ currencies: "USD,EUR", rates: "ZZZ=2" }, 'rate entry "ZZZ=2" must be <ISO 4217 code>=<decimal>, e.g. EUR=1.08'],
    [{ currencies: "USD,EUR", rates: "EUR=1.1, ZZZ=2" }, 'rate entry "ZZZ=2" must be <ISO 4217 code>=<decimal>, e.g. EUR=1.08'],
    [{ currencies: "USD,EUR", rates: "EUR" }, 'rate of EUR must be a positive decimal such as 1.08, got ""'],
    [{ currencies: "USD,EUR", rates: "EUR=abc" }, 'rate of EUR must be a positive decimal such as 1.08, got "abc"'],
    [{ currencies: "USD,EUR", rates: "EUR=1.1,USD=2" }, "the rate of the limits' currency USD is 1 by definition"],
    [{ currencies: "USD,EUR", rates: "EUR=1.1 , EUR=1.2" }, "EUR has two rates"],
    [{ currencies: "USD,EUR,GBP" }, "no rate to USD for EUR, GBP: add EUR=<rate>,GBP=<rate> to HOLDFAST_FX_RATES"],
  ])("refuses %j", (input, sentence) => {
    expect(parseCurrencySettings(input)).toBe(sentence);
  });

  it("trims codes, rates and the base, and accepts the base's own rate when it is 1", () => {
    const parsed = parseCurrencySettings({ currencies: " USD , EUR ,", rates: " USD = 0.93 , EUR=1.000, GBP=1.27", base: " EUR " }) as CurrencySettings;
    expect(parsed.enabled).toEqual(["USD", "EUR"]);
    expect(parsed.base).toBe("EUR");
    expect([...parsed.rates]).toEqual([
      ["EUR", { numerator: 1n, denominator: 1n }],
      ["USD", { numerator: 93n, denominator: 100n }],
      ["GBP", { numerator: 127n, denominator: 100n }],
    ]);
    expect(Object.isFrozen(parsed.enabled)).toBe(true);
    expect((parseCurrencySettings({ currencies: "EUR,USD", base: "  ", rates: "USD=0.93" }) as CurrencySettings).base).toBe("EUR");
  });

  it("knows which currencies are enabled", () => {
    expect(isEnabledCurrency(settings, "EUR")).toBe(true);
    expect(isEnabledCurrency(settings, "CHF")).toBe(false);
    expect(isEnabledCurrency(DEFAULT_CURRENCY_SETTINGS, "USD")).toBe(true);
  });
});

describe("the ISO 4217 table, every line of it", () => {
  it("gives two digits to a code from each line of the two-digit list", () => {
    for (const code of ["AED", "CAD", "CDF", "GIP", "GMD", "KZT", "MGA", "PLN", "QAR", "TOP", "TRY", "ZWL"]) {
      expect([code, isoMinorDigits(code)]).toEqual([code, 2]);
    }
  });
});

describe("parseRate", () => {
  it("reads up to 15 whole digits and 12 decimals, trimmed", () => {
    expect(parseRate(" 2 ")).toEqual({ numerator: 2n, denominator: 1n });
    expect(parseRate("123456789012345")).toEqual({ numerator: 123456789012345n, denominator: 1n });
    expect(parseRate("1234567890123456")).toBeNull();
    expect(parseRate("0.000000000001")).toEqual({ numerator: 1n, denominator: 10n ** 12n });
    expect(parseRate("0.0000000000001")).toBeNull();
    expect(parseRate("0.000")).toBeNull();
    expect(parseRate("x1.5")).toBeNull();
    expect(parseRate("1.5x")).toBeNull();
    expect(parseRate("1.")).toBeNull();
    expect(parseRate(".5")).toBeNull();
  });
});

describe("convertMinor and sumConverted: refusals and rounding", () => {
  it("refuses a negative or fractional amount", () => {
    expect(() => convertMinor(settings, -1, "EUR", "USD", "up")).toThrow("amountMinor must be a non-negative safe integer, got -1");
    expect(() => convertMinor(settings, 1.5, "EUR", "USD", "up")).toThrow(RangeError);
    expect(convertMinor(settings, 0, "EUR", "USD", "up")).toBe(0);
    // a currency into itself needs no rate
    expect(convertMinor(DEFAULT_CURRENCY_SETTINGS, 5, "CHF", "CHF", "up")).toBe(5);
  });
  it("needs a rate on both sides", () => {
    const noJpyDigits: CurrencySettings = { ...settings, rates: new Map([...settings.rates, ["XAU", { numerator: 2000n, denominator: 1n }]]) };
    expect(convertMinor(noJpyDigits, 1, "XAU", "USD", "up")).toBeNull();
    expect(convertMinor(noJpyDigits, 1, "USD", "XAU", "up")).toBeNull();
    expect(convertMinor(settings, 100, "USD", "CHF", "up")).toBeNull();
  });
  it("rounds up only when something is left over", () => {
    expect(convertMinor(settings, 100, "EUR", "USD", "up")).toBe(108);
    expect(convertMinor(settings, 100, "EUR", "USD", "down")).toBe(108);
    expect(convertMinor(settings, 1, "EUR", "USD", "up")).toBe(2); // €0.01 = $0.0108
    expect(convertMinor(settings, 1, "EUR", "USD", "down")).toBe(1);
  });
  it("sums per currency before converting, so rounding up happens once per currency", () => {
    const cents = [
      { amountMinor: 1, currency: "EUR" },
      { amountMinor: 1, currency: "EUR" },
    ];
    expect(sumConverted(settings, cents, "USD", "up")).toEqual({ totalMinor: 3, unconvertible: [] }); // €0.02 = $0.0216
    expect(sumConverted(settings, cents, "USD", "down")).toEqual({ totalMinor: 2, unconvertible: [] });
    expect(sumConverted(settings, [], "USD", "up")).toEqual({ totalMinor: 0, unconvertible: [] });
  });
  it("names every currency it could not convert, in order", () => {
    const amounts = [
      { amountMinor: 1, currency: "ZZZ" },
      { amountMinor: 1, currency: "CHF" },
      { amountMinor: 5, currency: "USD" },
      { amountMinor: 1, currency: "ZZZ" },
    ];
    expect(sumConverted(settings, amounts, "USD", "up")).toEqual({ totalMinor: 5, unconvertible: ["CHF", "ZZZ"] });
    const many = ["ZZZ", "SEK", "CHF", "NOK", "AUD", "DKK"].map((currency) => ({ amountMinor: 1, currency }));
    expect(sumConverted(settings, many, "USD", "up").unconvertible).toEqual(["AUD", "CHF", "DKK", "NOK", "SEK", "ZZZ"]);
  });
  it("caps a subtotal past 2^53 instead of throwing", () => {
    const huge = [
      { amountMinor: Number.MAX_SAFE_INTEGER, currency: "USD" },
      { amountMinor: Number.MAX_SAFE_INTEGER, currency: "USD" },
    ];
    expect(sumConverted(settings, huge, "USD", "up")).toEqual({ totalMinor: Number.MAX_SAFE_INTEGER, unconvertible: [] });
  });
});
