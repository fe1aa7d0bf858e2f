// Engine settings taken from the validated environment.
import type { SignalActionRule } from "~/domain/signals";
import type { TimeWindows } from "~/domain/escrow/decide";
import {
  defaultReviewPolicy,
  parseReminderOffsets,
  parseReviewTiers,
  type ReviewPolicy,
} from "~/domain/escrow/review-policy";
import { DEFAULT_TIER_POLICIES, type RiskTier, type TierPolicy } from "~/domain/risk";
import { DEFAULT_CURRENCY_SETTINGS, parseCurrencySettings, type CurrencySettings } from "~/domain/currency";
import { env, type Env } from "~/env";

/**
 * An absolute link to a page of the web app, for mail, alerts and notices: built on the one
 * base-URL rule (src/env.ts), so links follow HOLDFAST_BASE_URL, NEXTAUTH_URL or PORT alike.
 */
export function appUrl(path: string, e: Env = env()): string {
  return new URL(path, e.HOLDFAST_BASE_URL).toString();
}

export interface TimerSettings {
  /** escrow.due_soon this long before the due time (at most halfway from funding). */
  dueSoonLeadS: number;
}

export interface EngineConfig {
  windows: TimeWindows;
  feeBps: number;
  /** Limits and payout holds per risk tier (SPEC §6.5). */
  riskPolicies: Readonly<Record<RiskTier, TierPolicy>>;
  /**
   * The amount-scaled review window and reminders (SPEC §6.1). Absent → every escrow gets
   * windows.reviewWindowS and no reminders (the engine tests' fixed windows).
   */
  reviewPolicy?: ReviewPolicy;
  timers?: TimerSettings;
  /** An offer naming a catalog service alerts its owner above this percentage of the price; absent → 150. */
  catalogPriceAlertPct?: number;
  /**
   * What an open signal does (src/domain/signals.ts SIGNAL_ACTIONS); absent → that table. The engine tests'
   * no-hold fixture sets [] so their repeated tiny fixture deliveries do not hold payouts.
   */
  signalActions?: readonly SignalActionRule[];
  /** Enabled currencies, the limits' currency and conversion rates; absent → USD only (DEFAULT_CURRENCY_SETTINGS). */
  currencies?: CurrencySettings;
  /** The smallest sale that counts toward a tier, in the limits' currency (minor units); absent → DEFAULT_MIN_TICKET_MINOR. */
  minTicketMinor?: number;
}

/** The deployment's currencies (USD only unless configured). */
export function currenciesOf(config: EngineConfig): CurrencySettings {
  return config.currencies ?? DEFAULT_CURRENCY_SETTINGS;
}

export function currencySettingsFromEnv(e: Env): CurrencySettings {
  const parsed = parseCurrencySettings({ currencies: e.HOLDFAST_CURRENCIES, rates: e.HOLDFAST_FX_RATES, base: e.HOLDFAST_LIMITS_CURRENCY });
  if (typeof parsed === "string") throw new Error(`Invalid HOLDFAST_CURRENCIES / HOLDFAST_FX_RATES: ${parsed}`);
  return parsed;
}

export const DEFAULT_TIMER_SETTINGS: TimerSettings = Object.freeze({ dueSoonLeadS: 6 * 3600 });

export function engineConfigFromEnv(): EngineConfig {
  const e = env();
  return {
    feeBps: e.HOLDFAST_FEE_BPS,
    windows: {
      offerTtlS: e.HOLDFAST_OFFER_TTL_S,
      deliveryGraceS: e.HOLDFAST_DELIVERY_GRACE_S,
      reviewWindowS: e.HOLDFAST_REVIEW_WINDOW_S,
      reviewExtensionS: e.HOLDFAST_REVIEW_EXTENSION_S,
      responseWindowS: e.HOLDFAST_RESPONSE_WINDOW_S,
      negotiationWindowS: e.HOLDFAST_NEGOTIATION_WINDOW_S,
    },
    riskPolicies: {
      ...DEFAULT_TIER_POLICIES,
      new: { ...DEFAULT_TIER_POLICIES.new, payoutHoldS: e.HOLDFAST_PAYOUT_HOLD_NEW_S },
      restricted: { ...DEFAULT_TIER_POLICIES.restricted, payoutHoldS: e.HOLDFAST_PAYOUT_HOLD_RESTRICTED_S },
    },
    reviewPolicy: reviewPolicyFromEnv(e),
    timers: { dueSoonLeadS: e.HOLDFAST_DUE_SOON_S },
    currencies: currencySettingsFromEnv(e),
    catalogPriceAlertPct: e.HOLDFAST_CATALOG_PRICE_ALERT_PCT,
    minTicketMinor: e.HOLDFAST_TIER_MIN_TICKET_MINOR,
  };
}

/** HOLDFAST_REVIEW_WINDOW_S is the base; the tier and reminder variables override the derived defaults. */
export function reviewPolicyFromEnv(e: Env): ReviewPolicy {
  const policy = defaultReviewPolicy(e.HOLDFAST_REVIEW_WINDOW_S);
  const tiers = e.HOLDFAST_REVIEW_WINDOW_TIERS === undefined ? policy.tiers : parseReviewTiers(e.HOLDFAST_REVIEW_WINDOW_TIERS);
  if (typeof tiers === "string") throw new Error(`Invalid HOLDFAST_REVIEW_WINDOW_TIERS: ${tiers}`);
  const reminders =
    e.HOLDFAST_REVIEW_REMINDERS_S === undefined ? policy.reminderOffsetsS : parseReminderOffsets(e.HOLDFAST_REVIEW_REMINDERS_S);
  if (typeof reminders === "string") throw new Error(`Invalid HOLDFAST_REVIEW_REMINDERS_S: ${reminders}`);
  return { tiers, reminderOffsetsS: reminders };
}

/** Which engine runs the timers (README "Configuration"). */
export function timerEngine(e: Env = env()): "embedded" | "inngest" {
  return e.HOLDFAST_TIMERS ?? (e.INNGEST_EVENT_KEY ? "inngest" : "embedded");
}
