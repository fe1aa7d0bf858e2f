// A typed amount ("12", "12.5", "12.50") → integer minor units, exactly (no floats).
import { currencyMinorDigits } from "~/domain/money";

export function parseMoneyInput(text: string, currency: string): number | null {
  const digits = currencyMinorDigits(currency);
  const match = /^\s*(\d{1,13})(?:[.,](\d*))?\s*$/.exec(text.trim().replace(/^[$€£¥]\s*/, ""));
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Integer minor units → the text a person would type for them ("12.50", "500" for JPY), for prefilled fields. */
export function moneyInputText(minor: number, currency: string): string {
  const digits = currencyMinorDigits(currency);
  if (digits === 0) return String(minor);
  const scale = 10 ** digits;
  return `${Math.floor(minor / scale)}.${String(minor % scale).padStart(digits, "0")}`;
}
