/**
 * The offer: the lifecycle's first row (OFFER_RULE in transitions.ts). What a valid offer is, and
 * what a new escrow starts as. Pure; the service adds the reference code, checks the seller's tier
 * limits under its row lock and writes the row through the one write path.
 */
import { FIELD_LIMITS } from "../field-limits";
import { feeMinor, formatMoney, isValidAmountMinor } from "../money";
import { hasVisibleText, isOneLineText, ONE_LINE_TEXT_REQUIRED, VISIBLE_TEXT_REQUIRED } from "../text";
import { initialOfferDeadline } from "./effects";
import type { TimeWindows } from "./types";

export const MAX_TITLE_CHARS = FIELD_LIMITS.offerTitleChars;
export const MAX_DESCRIPTION_CHARS = FIELD_LIMITS.offerDescriptionChars;
export const MAX_DELIVERY_HOURS = 24 * 365;

export interface OfferTerms {
  title: string;
  description?: string;
  amountMinor: number;
  currency: string;
  deliveryInHours?: number | null;
}

/** A field of the offer that is not acceptable, and what it should be (the service answers 400 validation_error). */
export interface OfferProblem {
  field: "amount" | "currency" | "title" | "description" | "delivery_in_hours";
  expected: string;
}

/**
 * The first problem of an offer, in the order an agent fixes them, or null. `currencyEnabled` says
 * whether the deployment accepts the currency (the service answers that one with the enabled list).
 */
export function offerProblem(terms: OfferTerms, currencyEnabled: boolean): OfferProblem | null {
  if (!isValidAmountMinor(terms.amountMinor)) {
    return { field: "amount", expected: "a positive integer in minor units, at most 2^53 − 1" };
  }
  if (!currencyEnabled) return { field: "currency", expected: "a currency this deployment accepts" };
  const title = terms.title.trim();
  if (!hasVisibleText(title) || title.length > MAX_TITLE_CHARS) {
    return { field: "title", expected: `1 to ${MAX_TITLE_CHARS} characters; it ${VISIBLE_TEXT_REQUIRED}` };
  }
  if (!isOneLineText(title)) return { field: "title", expected: `the title ${ONE_LINE_TEXT_REQUIRED}` };
  if ((terms.description?.length ?? 0) > MAX_DESCRIPTION_CHARS) {
    return { field: "description", expected: `at most ${MAX_DESCRIPTION_CHARS} characters` };
  }
  const hours = terms.deliveryInHours;
  if (hours !== undefined && hours !== null && (!Number.isInteger(hours) || hours < 1 || hours > MAX_DELIVERY_HOURS)) {
    return { field: "delivery_in_hours", expected: `a whole number of hours from 1 to ${MAX_DELIVERY_HOURS}` };
  }
  return null;
}

/** What a new escrow starts as (status pending, version 1), from terms `offerProblem` accepted. */
export interface OfferDecision {
  title: string;
  description: string;
  amountMinor: number;
  currency: string;
  feeBps: number;
  /** The full fee; what is charged at the end follows the outcome (effects.ts). */
  feeAmountMinor: number;
  deadline: Date;
  deadlineAction: "offer_expired";
  deliveryInHours: number | null;
  /** The conversation's system line (the service appends the reference code, as for every transition). */
  systemMessage: string;
}

export function decideOffer(
  terms: OfferTerms,
  serviceDeliveryInHours: number | null,
  feeBps: number,
  now: Date,
  windows: TimeWindows,
): OfferDecision {
  const title = terms.title.trim();
  return {
    title,
    description: terms.description ?? "",
    amountMinor: terms.amountMinor,
    currency: terms.currency,
    feeBps,
    feeAmountMinor: feeMinor(terms.amountMinor, feeBps),
    deadline: initialOfferDeadline(now, windows),
    deadlineAction: "offer_expired",
    deliveryInHours: terms.deliveryInHours ?? serviceDeliveryInHours,
    systemMessage: `Offer: ${title} for ${formatMoney(terms.amountMinor, terms.currency)}. Accept and pay to hold the money in escrow until delivery.`,
  };
}
