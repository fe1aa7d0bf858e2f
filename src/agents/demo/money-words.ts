// Prices and the menu in the agent's chat lines. For display only: amounts stay integers in minor units.
import type { Service } from "~/client";

export function currencyExponent(currency: string): number {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units shown with the currency's own number of decimals. */
export function formatPrice(amountMinor: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amountMinor / 10 ** currencyExponent(currency));
}

export function menuOf(catalog: Service[]): string {
  const menu = catalog.map((s) => `• ${s.title} — ${formatPrice(s.price, s.currency)}`).join("\n");
  return `Here is what I offer:\n${menu}\nTell me which one you'd like.`;
}
