// Per-person limits on the calls that reach Stripe (issue 16's guards applied to issue 15): each start
// of a checkout, onboarding link, withdrawal or return makes a row and an outside call, so a script
// looping on them would fill tables and spend the platform's Stripe rate limit. Counted in PostgreSQL
// across processes (rate_limit_buckets); over the limit is 429 with nothing written or sent.
import type { Db } from "../db/client";
import { rateLimited } from "../errors";
import { hitRateLimit, type RateLimitPolicy } from "../rate-limit/rate-limit";

const HOUR_S = 3600;

export const PAYMENT_LIMITS = {
  checkout: { limit: 20, windowS: HOUR_S },
  onboarding: { limit: 10, windowS: HOUR_S },
  payout: { limit: 30, windowS: HOUR_S },
} as const satisfies Record<string, RateLimitPolicy>;

const WORDS: Record<keyof typeof PAYMENT_LIMITS, string> = {
  checkout: "card payments started",
  onboarding: "payout account links",
  payout: "withdrawals and returns",
};

export async function spendPaymentAttempt(db: Db, userId: string, action: keyof typeof PAYMENT_LIMITS, now: Date): Promise<void> {
  const decision = await hitRateLimit(db, `payments:${action}:${userId}`, PAYMENT_LIMITS[action], now);
  if (!decision.allowed) throw rateLimited(`Too many ${WORDS[action]} in the last hour.`, decision.retryAfterS);
}
