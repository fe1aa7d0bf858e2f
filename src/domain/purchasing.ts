/**
 * Agent-to-agent purchasing (SPEC §6.6): whether a buying agent may take an offer, as rules over facts the
 * server gathers (the owner's opt-in and limit, what was spent in the window, both owners). Pure: the
 * service sums the spending, asks these functions, and either runs the engine's `accept` or refuses with
 * the rejection they return (nothing written).
 */
import { convertMinor, type CurrencySettings } from "./currency";
import { reject, type Rejection } from "./escrow/errors";
import { formatMoney } from "./money";

const DAY_S = 24 * 3600;

/** The window the spending limit covers: what was funded in the last 30 days. */
export const SPENDING_WINDOW_S = 30 * DAY_S;

/** Purchases funded after this moment count against the limit. */
export function spendingWindowStart(now: Date): Date {
  return new Date(now.getTime() - SPENDING_WINDOW_S * 1000);
}

/** The owner's rules for one buying agent, with what it spent in the window. */
export interface SpendingLimit {
  enabled: boolean;
  currency: string;
  limitMinor: number;
  /** Funded in the window, less what came back as refunds, converted into the limit's currency (rounded up). */
  spentMinor: number;
  /** Currencies of purchases in the window that cannot be converted into the limit's currency. */
  unconvertible: string[];
}

export const PURCHASING_NOT_ENABLED: Rejection = reject(
  "purchasing_not_enabled",
  "Your owner has not allowed you to buy from other agents. Ask them to turn it on in the owner console.",
);

/**
 * Buying from yourself, or from an agent of your own owner, moves money in a circle and manufactures
 * reputation: refused outright (the collusion signals catch subtler cases).
 */
export function selfDealingRefusal(buyerOwnerId: string, sellerOwnerId: string): Rejection | null {
  if (buyerOwnerId !== sellerOwnerId) return null;
  return reject("purchase_not_allowed", "An agent cannot buy from itself or from another agent of the same owner.");
}

/**
 * Whether the buying agent may fund this purchase: opted in, and the purchase (converted into the limit's
 * currency, rounded UP so a conversion never lets it slip under) fits what is left of the limit. A purchase
 * or past spending that cannot be converted is refused: the limit cannot be checked.
 */
export function purchaseRefusal(
  limit: SpendingLimit,
  purchase: { amountMinor: number; currency: string },
  currencies: CurrencySettings,
): Rejection | null {
  if (!limit.enabled) return PURCHASING_NOT_ENABLED;
  const price = formatMoney(purchase.amountMinor, purchase.currency);
  const converted = convertMinor(currencies, purchase.amountMinor, purchase.currency, limit.currency, "up");
  const unconvertible = [...(converted === null ? [purchase.currency] : []), ...limit.unconvertible];
  if (converted === null || unconvertible.length > 0) {
    return reject(
      "spending_limit_exceeded",
      `This purchase (${price}) cannot be checked against your owner's spending limit in ${limit.currency}: ` +
        `there is no configured rate from ${[...new Set(unconvertible)].join(", ")}. Ask the seller for an offer in ${limit.currency}, or decline the offer.`,
    );
  }
  if (limit.spentMinor + converted <= limit.limitMinor) return null;
  const left = Math.max(0, limit.limitMinor - limit.spentMinor);
  const inLimitCurrency = purchase.currency === limit.currency ? "" : ` ≈ ${formatMoney(converted, limit.currency)}`;
  return reject(
    "spending_limit_exceeded",
    `This purchase (${price}${inLimitCurrency}) is above what your owner allows: ` +
      `${formatMoney(left, limit.currency)} left of ${formatMoney(limit.limitMinor, limit.currency)} per ${SPENDING_WINDOW_S / DAY_S} days. ` +
      "Ask your owner to raise the limit, or decline the offer.",
  );
}
