/**
 * Currencies a deployment accepts, and converting amounts between them for limits (issue 16 item 4).
 * Pure: the server passes in the settings parsed from the environment (HOLDFAST_CURRENCIES,
 * HOLDFAST_FX_RATES, HOLDFAST_LIMITS_CURRENCY). All arithmetic is BigInt on integer minor units and
 * decimal rates read as exact fractions, so no float ever touches money.
 */

/**
 * Minor-unit exponents from the ISO 4217 list (active codes). Codes with no minor unit in the
 * standard (XAU, XAG, XPT, XPD, XDR, XTS, XXX, the bond-market units XBA–XBD, XSU, XUA) are absent on
 * purpose: they are not money a customer pays with, and "any three letters" is exactly the hole.
 */
const ZERO_DIGITS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
const THREE_DIGITS = "BHD IQD JOD KWD LYD OMR TND";
const FOUR_DIGITS = "CLF UYW";
const TWO_DIGITS =
  "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD " +
  "CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP " +
  "GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL " +
  "MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN " +
  "QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP " +
  "TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL";

export const ISO_4217_MINOR_DIGITS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(
    (
      [
        [TWO_DIGITS, 2],
        [ZERO_DIGITS, 0],
        [THREE_DIGITS, 3],
        [FOUR_DIGITS, 4],
      ] as const
    ).flatMap(([codes, digits]) => codes.split(" ").map((code) => [code, digits] as const)),
  ),
);

/** The ISO 4217 exponent of `code` (USD 2, JPY 0, KWD 3), or null for a code not in the table. */
export function isoMinorDigits(code: string): number | null {
  return Object.hasOwn(ISO_4217_MINOR_DIGITS, code) ? ISO_4217_MINOR_DIGITS[code]! : null;
}

/** A rate as an exact fraction: one major unit of the currency is `numerator / denominator` major units of the base. */
export interface Rate {
  numerator: bigint;
  denominator: bigint;
}

export interface CurrencySettings {
  /** What amounts may be stated in, in the order configured. */
  enabled: readonly string[];
  /** The currency the tier limits are stated in (minor units), and that rates convert to. */
  base: string;
  /** Every enabled currency (and any other configured one), the base included at 1. */
  rates: ReadonlyMap<string, Rate>;
}

const ONE: Rate = { numerator: 1n, denominator: 1n };

/** The default deployment: USD only, as before currencies were configurable. */
export const DEFAULT_CURRENCY_SETTINGS: CurrencySettings = Object.freeze({
  enabled: Object.freeze(["USD"]),
  base: "USD",
  rates: new Map([["USD", ONE]]),
});

/** "1.08" → 108/100; refuses anything but a plain positive decimal (no exponent, sign or float noise). */
export function parseRate(text: string): Rate | null {
  const m = /^(\d{1,15})(?:\.(\d{1,12}))?$/.exec(text.trim());
  if (!m) return null;
  const fraction = m[2] ?? "";
  const numerator = BigInt(`${m[1]}${fraction}`);
  if (numerator === 0n) return null;
  return { numerator, denominator: 10n ** BigInt(fraction.length) };
}

/**
 * Parses the currency settings from their environment texts, or returns the problem as a sentence.
 * `currencies`: comma-separated ISO 4217 codes; `rates`: `EUR=1.08,GBP=1.27` (one major unit of each in
 * the base currency); `base`: the limits' currency (default: the first enabled). Every enabled currency
 * other than the base needs a rate, so every limit can always be enforced across currencies.
 */
export function parseCurrencySettings(input: { currencies: string; rates?: string | undefined; base?: string | undefined }): CurrencySettings | string {
  const enabled = input.currencies
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  if (enabled.length === 0) return "list at least one currency, e.g. USD";
  for (const code of enabled) {
    if (isoMinorDigits(code) === null) return `${code} is not an ISO 4217 currency with a minor unit (use upper-case codes such as USD, EUR, JPY)`;
  }
  if (new Set(enabled).size !== enabled.length) return "a currency is listed twice";
  const base = input.base?.trim() || enabled[0]!;
  if (!enabled.includes(base)) return `the limits' currency ${base} must be one of the enabled currencies (${enabled.join(", ")})`;
  const rates = new Map<string, Rate>([[base, ONE]]);
  for (const entry of (input.rates ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    // Stryker disable next-line StringLiteral: equivalent for `code` — split always yields a first part (value's default is pinned by a test)
    const [code = "", value = "", ...rest] = entry.split("=").map((part) => part.trim());
    if (rest.length > 0 || isoMinorDigits(code) === null) return `rate entry "${entry}" must be <ISO 4217 code>=<decimal>, e.g. EUR=1.08`;
    const rate = parseRate(value);
    if (!rate) return `rate of ${code} must be a positive decimal such as 1.08, got "${value}"`;
    if (code === base) {
      if (rate.numerator !== rate.denominator) return `the rate of the limits' currency ${base} is 1 by definition`;
      continue;
    }
    if (rates.has(code)) return `${code} has two rates`;
    rates.set(code, rate);
  }
  const missing = enabled.filter((code) => !rates.has(code));
  if (missing.length > 0) return `no rate to ${base} for ${missing.join(", ")}: add ${missing.map((c) => `${c}=<rate>`).join(",")} to HOLDFAST_FX_RATES`;
  return { enabled: Object.freeze([...enabled]), base, rates };
}

export function isEnabledCurrency(settings: CurrencySettings, code: string): boolean {
  return settings.enabled.includes(code);
}

export type Rounding = "up" | "down";

function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  const quotient = numerator / denominator;
  return rounding === "up" && quotient * denominator !== numerator ? quotient + 1n : quotient;
}

/**
 * `amountMinor` (≥ 0) of `from` in minor units of `to`, through the configured rates, or null when
 * either currency has no rate (or no ISO exponent): the caller must refuse what it cannot convert.
 * Rounding is the caller's safe side: UP when the result is checked against a cap or a threshold
 * (a converted amount is never understated), DOWN never for a limit.
 */
export function convertMinor(settings: CurrencySettings, amountMinor: number, from: string, to: string, rounding: Rounding): number | null {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new RangeError(`amountMinor must be a non-negative safe integer, got ${amountMinor}`);
  if (from === to) return amountMinor;
  const rateFrom = settings.rates.get(from);
  const rateTo = settings.rates.get(to);
  const digitsFrom = isoMinorDigits(from);
  const digitsTo = isoMinorDigits(to);
  if (!rateFrom || !rateTo || digitsFrom === null || digitsTo === null) return null;
  // amount / 10^dFrom × (nFrom / kFrom) ÷ (nTo / kTo) × 10^dTo
  const numerator = BigInt(amountMinor) * rateFrom.numerator * rateTo.denominator * 10n ** BigInt(digitsTo);
  const denominator = rateFrom.denominator * rateTo.numerator * 10n ** BigInt(digitsFrom);
  // Past 2^53 the Number is approximate, but only ever compared with caps far below it.
  return Number(divide(numerator, denominator, rounding));
}

/**
 * The sum of amounts in several currencies, in minor units of `to`, each currency's subtotal converted
 * with `rounding`; or the currencies that could not be converted.
 */
export function sumConverted(
  settings: CurrencySettings,
  amounts: readonly { amountMinor: number; currency: string }[],
  to: string,
  rounding: Rounding,
): { totalMinor: number; unconvertible: string[] } {
  const byCurrency = new Map<string, number>();
  for (const a of amounts) byCurrency.set(a.currency, (byCurrency.get(a.currency) ?? 0) + a.amountMinor);
  let totalMinor = 0;
  const unconvertible: string[] = [];
  // Stryker disable next-line EqualityOperator: equivalent — map keys are unique, so a and b are never equal
  for (const [currency, subtotal] of [...byCurrency].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const converted = convertMinor(settings, Math.min(subtotal, Number.MAX_SAFE_INTEGER), currency, to, rounding);
    if (converted === null) unconvertible.push(currency);
    else totalMinor += converted;
  }
  return { totalMinor, unconvertible };
}
