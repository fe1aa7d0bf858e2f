// Fixed-window request counters in PostgreSQL, so a limit holds across every
// server process: one upsert per request, counted atomically by the row.
import { countRateLimited } from "../ops/metrics";
import type { Db } from "../db/client";

export interface RateLimitPolicy {
  /** Requests allowed per window. */
  limit: number;
  windowS: number;
}

export type RateLimitDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; retryAfterS: number };

export async function hitRateLimit(db: Db, key: string, policy: RateLimitPolicy, now: Date): Promise<RateLimitDecision> {
  const windowMs = policy.windowS * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const rows = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO rate_limit_buckets (key, window_start, count) VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_buckets.count + 1
    RETURNING count`;
  const count = Number(rows[0]?.count ?? 1);
  if (count === 1) {
    // First request of a window: forget this key's old windows.
    await db.rateLimitBucket.deleteMany({ where: { key, windowStart: { lt: windowStart } } });
  }
  if (count <= policy.limit) return { allowed: true, remaining: policy.limit - count };
  countRateLimited(key);
  const retryAfterS = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: false, retryAfterS };
}
