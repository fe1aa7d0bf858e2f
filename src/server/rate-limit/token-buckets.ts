// In-process token buckets for the agent API's per-key limit: a request costs no database statement
// (the old fixed-window counter upserted a row on every read). A bucket holds at most `limit` tokens
// and refills at `limit` per `windowS`, so a burst over the limit is refused with 429 + Retry-After
// just as before, and a steady client is held to `limit` per window.
//
// Several server processes (the cluster launcher, HOLDFAST_SERVER_PROCESSES) do not share buckets:
// each process holds 1/N of every limit (`processCount`). Round-robin spreading of connections makes
// that the same limit overall within a rounding error, with no shared write per request; a client on
// one keep-alive connection reaches one process and gets 1/N, which errs on the strict side.
// (A periodic batched flush to PostgreSQL would be exact across processes but adds a write per interval
// per active key and lets a burst through between flushes; the share needs neither.)
import { countRateLimited } from "../ops/metrics";
import type { RateLimitDecision, RateLimitPolicy } from "./rate-limit";

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Buckets idle longer than this are full again and can be forgotten (bounded memory). */
const SWEEP_EVERY_TAKES = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private takes = 0;

  constructor(
    /** Server processes sharing the limits; each holds 1/N of them. */
    private readonly processCount = 1,
  ) {}

  /** This process's share of a policy: at least one request per window. */
  share(policy: RateLimitPolicy): { capacity: number; perMs: number } {
    const capacity = Math.max(1, Math.floor(policy.limit / Math.max(1, this.processCount)));
    return { capacity, perMs: capacity / (policy.windowS * 1000) };
  }

  /** Spends one token of `key`'s bucket, or says how long until one is back. */
  take(key: string, policy: RateLimitPolicy, now: Date): RateLimitDecision {
    const { capacity, perMs } = this.share(policy);
    const nowMs = now.getTime();
    if (++this.takes % SWEEP_EVERY_TAKES === 0) this.sweep(nowMs, capacity, perMs);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, atMs: nowMs };
    // A clock that moved back (tests, NTP) refills nothing.
    const refilled = Math.min(capacity, bucket.tokens + Math.max(0, nowMs - bucket.atMs) * perMs);
    if (refilled >= 1) {
      this.buckets.set(key, { tokens: refilled - 1, atMs: Math.max(nowMs, bucket.atMs) });
      return { allowed: true, remaining: Math.floor(refilled - 1) };
    }
    this.buckets.set(key, { tokens: refilled, atMs: Math.max(nowMs, bucket.atMs) });
    countRateLimited(key);
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - refilled) / perMs / 1000)) };
  }

  private sweep(nowMs: number, capacity: number, perMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + Math.max(0, nowMs - bucket.atMs) * perMs >= capacity) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
