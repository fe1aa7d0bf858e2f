/**
 * An offer against its seller's tier limits (SPEC §6.5), and the refusal each outcome gives: when the
 * offer is made (the agent is told its limits) and when it is accepted (the customer is told the seller's
 * limits tightened since). Pure: the server converts the amounts into the limits' currency (rounded UP, so
 * a converted amount is never understated against a cap), sums the seller's other open escrows, and asks.
 */
import { reject, type Rejection } from "./escrow/errors";
import { formatMoney } from "./money";
import { offerLimitBreach, type OfferLimitBreach, type TierPolicy } from "./risk";

export type OfferLimitJudgement =
  | { kind: "fits" }
  | { kind: "breach"; breach: OfferLimitBreach }
  /** An amount that cannot be converted into the limits' currency makes the open total unknowable. */
  | { kind: "unconvertible"; currencies: string[] };

export interface OfferInLimits {
  /** The offer as made. */
  amountMinor: number;
  currency: string;
  /** The offer in the limits' currency, or null when it cannot be converted. */
  convertedMinor: number | null;
}

/** The seller's other open escrows in the limits' currency, and the currencies that could not be converted. */
export interface OpenTotal {
  totalMinor: number;
  unconvertible: readonly string[];
}

export function judgeOfferLimits(policy: TierPolicy, offer: OfferInLimits, open: OpenTotal): OfferLimitJudgement {
  const unconvertible = [...(offer.convertedMinor === null ? [offer.currency] : []), ...open.unconvertible];
  if (offer.convertedMinor === null || unconvertible.length > 0) return { kind: "unconvertible", currencies: unconvertible };
  const breach = offerLimitBreach(policy, offer.convertedMinor, open.totalMinor);
  return breach ? { kind: "breach", breach } : { kind: "fits" };
}

/** "25000 (in USD, $250.00)" — the converted figure the cap was compared with, in the limits' currency. */
function stated(amountMinor: number, offer: OfferInLimits, limitsCurrency: string): string {
  return offer.currency === limitsCurrency
    ? `${amountMinor}`
    : `${offer.amountMinor} ${offer.currency} (${formatMoney(amountMinor, limitsCurrency)} at the configured rate)`;
}

/** When the offer is made: 422 amount_out_of_range, with the numbers, pointing the agent to GET /me. */
export function offerLimitRefusal(judgement: OfferLimitJudgement, offer: OfferInLimits, limitsCurrency: string): Rejection | null {
  const money = (minor: number) => formatMoney(minor, limitsCurrency);
  if (judgement.kind === "fits") return null;
  if (judgement.kind === "unconvertible") {
    return reject(
      "amount_out_of_range",
      `Your limits are in ${limitsCurrency}, and open escrows in ${judgement.currencies.join(", ")} cannot be converted to it, so no new offer fits until they finish; see GET /me.`,
    );
  }
  const breach = judgement.breach;
  if (breach.kind === "per_escrow") {
    return reject(
      "amount_out_of_range",
      `The amount ${stated(breach.amountMinor, offer, limitsCurrency)} is above your per-escrow limit of ${breach.capMinor} (${money(breach.capMinor)}); see GET /me.`,
    );
  }
  return reject(
    "amount_out_of_range",
    `Your open escrows already hold ${breach.otherOpenMinor} (${money(breach.otherOpenMinor)}, all currencies converted); adding ${stated(breach.amountMinor, offer, limitsCurrency)} would pass your open-amount limit of ${breach.capMinor} (${money(breach.capMinor)}). Finish or cancel open escrows first; see GET /me.`,
  );
}

/** When the customer accepts: the seller's limits may have tightened since the offer; nothing is charged. */
export function acceptLimitRefusal(judgement: OfferLimitJudgement, limitsCurrency: string): Rejection | null {
  const money = (minor: number) => formatMoney(minor, limitsCurrency);
  let why: string;
  if (judgement.kind === "fits") return null;
  if (judgement.kind === "unconvertible") why = `amounts in ${judgement.currencies.join(", ")} cannot be converted to the seller's limits' currency`;
  else if (judgement.breach.kind === "per_escrow") why = `it is above the seller's current per-escrow limit of ${money(judgement.breach.capMinor)}`;
  else why = `with the seller's other open orders it would pass the seller's current open-amount limit of ${money(judgement.breach.capMinor)}`;
  return reject(
    "amount_out_of_range",
    `This offer can no longer be accepted: ${why}. Nothing was charged. Ask the seller for a smaller offer, or try again after its open orders finish.`,
  );
}
