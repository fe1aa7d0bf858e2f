/**
 * Money arithmetic for Holdfast. Every rounding rule in the product lives here and nowhere else (but
 * converting between currencies for limits, which rounds toward the safe side, in currency.ts).
 *
 * Amounts are integers in the currency's minor unit (cents for USD, yen for JPY). They are carried as
 * `number` because every amount we accept is a safe integer (≤ 2^53 − 1); products that could exceed
 * that (amount × basis points) are computed with BigInt.
 */
import { isoMinorDigits } from "./currency";

/** The wire protocol accepts amounts up to 2^53 − 1, the largest integer a JSON number holds exactly. */
export const MAX_AMOUNT_MINOR = Number.MAX_SAFE_INTEGER;

/** Basis points in 100 %. */
const BPS_DENOMINATOR = 10_000n;

/** A valid escrow or transfer amount: a positive safe integer no larger than MAX_AMOUNT_MINOR. */
export function isValidAmountMinor(x: unknown): x is number {
  return (
    typeof x === "number" &&
    Number.isSafeInteger(x) &&
    x > 0 &&
    // Stryker disable next-line ConditionalExpression: equivalent — a safe integer is ≤ 2^53 − 1 = MAX_AMOUNT_MINOR already; the bound says what the wire accepts
    x <= MAX_AMOUNT_MINOR
  );
}

/** Throws if `x` is not a safe integer; `label` names the value in the message. */
export function assertMinorUnits(x: number, label: string): void {
  if (!Number.isSafeInteger(x)) {
    throw new RangeError(`${label} must be a safe integer in minor units, got ${String(x)}`);
  }
}

function assertNonNegativeMinor(x: number, label: string): void {
  assertMinorUnits(x, label);
  if (x < 0) throw new RangeError(`${label} must not be negative, got ${x}`);
}

function assertFeeBps(feeBps: number): void {
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) {
    throw new RangeError(`feeBps must be an integer from 0 to 10000, got ${String(feeBps)}`);
  }
}

/**
 * The platform fee on `amountMinor` at `feeBps` basis points, rounded DOWN.
 *
 * Why floor: the fee is the one number the platform chooses for itself. Rounding down means the
 * platform never takes more than its stated rate; the sub-unit remainder goes to the seller, who did
 * the work. BigInt keeps amount × bps exact even next to 2^53.
 */
export function feeMinor(amountMinor: number, feeBps: number): number {
  assertNonNegativeMinor(amountMinor, "amountMinor");
  assertFeeBps(feeBps);
  // BigInt division truncates toward zero, which is floor for non-negative operands.
  return Number((BigInt(amountMinor) * BigInt(feeBps)) / BPS_DENOMINATOR);
}

/** Release of the whole amount: the seller gets the amount minus the fee. */
export function releaseSplit(amountMinor: number, feeBps: number): { sellerNetMinor: number; feeMinor: number } {
  const fee = feeMinor(amountMinor, feeBps);
  return { sellerNetMinor: amountMinor - fee, feeMinor: fee };
}

/**
 * A settlement: `refundMinor` goes back to the buyer in full; the rest is released, and the fee is
 * charged on the released part only (a refund is not a sale). refundMinor may be 0 (a plain release)
 * or the whole amount (a plain refund), so every outcome is one formula. The parts always sum to
 * amountMinor.
 */
export function settlementSplit(
  amountMinor: number,
  refundMinor: number,
  feeBps: number,
): { refundMinor: number; sellerNetMinor: number; feeMinor: number } {
  assertNonNegativeMinor(amountMinor, "amountMinor");
  assertNonNegativeMinor(refundMinor, "refundMinor");
  if (refundMinor > amountMinor) {
    throw new RangeError(`refundMinor (${refundMinor}) exceeds amountMinor (${amountMinor})`);
  }
  const released = releaseSplit(amountMinor - refundMinor, feeBps);
  return { refundMinor, ...released };
}

const minorDigitsCache = new Map<string, number>();

/**
 * Digits after the decimal point in the currency's minor unit (USD 2, JPY 0, KWD 3, HUF 2), from the
 * ISO 4217 table (domain/currency.ts): that is what amounts are stored in. A code outside the table
 * (a row from before currencies were checked) falls back to Intl, so it still prints.
 */
export function currencyMinorDigits(currency: string): number {
  const code = currency.toUpperCase();
  const iso = isoMinorDigits(code);
  if (iso !== null) return iso;
  const cached = minorDigitsCache.get(code);
  if (cached !== undefined) return cached;
  // Throws RangeError for a malformed code; an unknown but well-formed code gets Intl's default (2).
  const digits = new Intl.NumberFormat("en-US", { style: "currency", currency: code }).resolvedOptions()
    .maximumFractionDigits;
  const result = digits ?? 2;
  minorDigitsCache.set(code, result);
  return result;
}

/**
 * Human-readable money, e.g. formatMoney(2500, "USD") → "$25.00", formatMoney(2500, "JPY") → "¥2,500".
 * The decimal string is built from integers and handed to Intl as a string, so even amounts near 2^53
 * print exactly (dividing by 100 as a float would not).
 */
export function formatMoney(amountMinor: number, currency: string): string {
  assertMinorUnits(amountMinor, "amountMinor");
  // Stryker disable next-line MethodExpression: equivalent — Intl upper-cases the currency code itself and currencyMinorDigits does too
  const code = currency.toUpperCase();
  const digits = currencyMinorDigits(code);
  const formatter = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: code,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return formatter.format(minorToDecimalString(amountMinor, digits));
}

function minorToDecimalString(amountMinor: number, digits: number): Intl.StringNumericLiteral {
  const sign = amountMinor < 0 ? "-" : "";
  const magnitude = BigInt(Math.abs(amountMinor));
  // Stryker disable next-line ConditionalExpression: equivalent — without it a 0-digit amount becomes "n.0", which Intl prints as n
  if (digits === 0) return `${sign}${magnitude}` as Intl.StringNumericLiteral;
  const scale = 10n ** BigInt(digits);
  const whole = magnitude / scale;
  const fraction = (magnitude % scale).toString().padStart(digits, "0");
  return `${sign}${whole}.${fraction}` as Intl.StringNumericLiteral;
}
