/**
 * The alerts an agent's offer raises for its owner (SPEC §5), as one table of rules read top to bottom.
 * Pure: the server passes the offer, the catalog service it names, the owner's threshold and the
 * deployment's currencies; each rule that holds becomes one alert. Amounts in another currency are
 * converted (domain/currency.ts) into the currency they are compared with, rounded UP — and an amount
 * that cannot be converted raises the alert, since the owner cannot be told it is fine.
 */
import { convertMinor, type CurrencySettings } from "./currency";
import { formatMoney } from "./money";

export interface OfferAlertFacts {
  amountMinor: number;
  currency: string;
  /** The catalog service the offer names, or null for an offer outside the catalog. */
  service: { priceMinor: number; currency: string } | null;
  /** The owner's large-amount threshold, if set. */
  threshold: { amountMinor: number; currency: string } | null;
}

export interface OfferAlertPolicy {
  currencies: CurrencySettings;
  /**
   * An offer naming a catalog service alerts when its amount is above this percentage of the service's
   * price. 150 by default: a rush fee or an extra revision is normal haggling; more than half again the
   * listed price is not, and 20× is how an agent would drain a customer through the catalog's good name.
   */
  catalogPriceAlertPct: number;
}

export const DEFAULT_CATALOG_PRICE_ALERT_PCT = 150;

export type OfferAlertKind = "off_catalog" | "above_catalog_price" | "large_amount";

interface OfferAlertRule {
  kind: OfferAlertKind;
  /** The stored alert reason (the owner's inbox groups by it). */
  reason: "off_catalog" | "large_amount";
  holds: (offer: OfferAlertFacts, policy: OfferAlertPolicy) => boolean;
}

/** `amount` of `from` in `to`, rounded up; null when it cannot be converted. */
const inCurrency = (policy: OfferAlertPolicy, amountMinor: number, from: string, to: string) =>
  convertMinor(policy.currencies, amountMinor, from, to, "up");

export const OFFER_ALERT_RULES: readonly OfferAlertRule[] = [
  { kind: "off_catalog", reason: "off_catalog", holds: (o) => o.service === null },
  {
    kind: "above_catalog_price",
    reason: "off_catalog",
    holds: (o, p) => {
      if (!o.service) return false;
      const amount = inCurrency(p, o.amountMinor, o.currency, o.service.currency);
      // amount / price > pct / 100, in integers.
      return amount === null || BigInt(amount) * 100n > BigInt(o.service.priceMinor) * BigInt(p.catalogPriceAlertPct);
    },
  },
  {
    kind: "large_amount",
    reason: "large_amount",
    holds: (o, p) => {
      if (!o.threshold) return false;
      const amount = inCurrency(p, o.amountMinor, o.currency, o.threshold.currency);
      return amount === null || amount > o.threshold.amountMinor;
    },
  },
];

/** The rules this offer trips, in table order. */
export function offerAlerts(offer: OfferAlertFacts, policy: OfferAlertPolicy): OfferAlertRule[] {
  return OFFER_ALERT_RULES.filter((rule) => rule.holds(offer, policy));
}

/**
 * What the customer's offer card says about the price, in the platform's words (not the agent's): an
 * offer outside the catalog always says so; one above its catalog price by the same factor that alerts
 * the owner names both prices. Null when the offer is the catalog's, at or near its price.
 */
export type CatalogNotice = { kind: "off_catalog" | "above_catalog_price"; text: string };

export function catalogNoticeFor(offer: Pick<OfferAlertFacts, "amountMinor" | "currency" | "service">, policy: OfferAlertPolicy): CatalogNotice | null {
  if (offer.service === null) return { kind: "off_catalog", text: "Not from the catalog." };
  const rule = OFFER_ALERT_RULES.find((r) => r.kind === "above_catalog_price");
  if (!rule?.holds({ ...offer, threshold: null }, policy)) return null;
  const listed = formatMoney(offer.service.priceMinor, offer.service.currency);
  return { kind: "above_catalog_price", text: `Listed at ${listed}; this offer asks ${formatMoney(offer.amountMinor, offer.currency)}.` };
}
