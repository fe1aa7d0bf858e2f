// The agent API's in-memory rate limit: a burst over the limit is refused with a Retry-After that is
// when a request is allowed again; tokens come back at limit per window; keys do not share; each of N
// processes holds 1/N of the limit.
import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./token-buckets";

const policy = { limit: 4, windowS: 60 };
const t0 = new Date("2026-11-28T10:00:00Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);

describe("token buckets", () => {
  it("allows a burst up to the limit, then refuses with the seconds until the next token", () => {
    const buckets = new TokenBuckets();
    const answers = Array.from({ length: 5 }, () => buckets.take("k", policy, t0));
    expect(answers.map((a) => a.allowed)).toEqual([true, true, true, true, false]);
    expect(answers[4]).toEqual({ allowed: false, retryAfterS: 15 });
    // Retry-After is honest: one second early is still refused, on time is allowed.
    expect(buckets.take("k", policy, at(14)).allowed).toBe(false);
    expect(buckets.take("k", policy, at(15)).allowed).toBe(true);
    expect(buckets.take("k", policy, at(15)).allowed).toBe(false);
  });

  it("holds a steady client to the limit per window, never storing more than the limit", () => {
    const buckets = new TokenBuckets();
    let allowed = 0;
    for (let s = 0; s < 600; s++) if (buckets.take("k", policy, at(s)).allowed) allowed++;
    // 4 at once, then one every 15 s: the 40th refill lands at 600 s, just after the last request.
    expect(allowed).toBe(4 + 40 - 1);
    const idle = new TokenBuckets();
    idle.take("k", policy, t0);
    const later = Array.from({ length: 5 }, () => idle.take("k", policy, at(3600)).allowed);
    expect(later).toEqual([true, true, true, true, false]);
  });

  it("keeps keys apart, and a clock moving back refills nothing", () => {
    const buckets = new TokenBuckets();
    for (let i = 0; i < 4; i++) buckets.take("a", policy, at(100));
    expect(buckets.take("a", policy, at(100)).allowed).toBe(false);
    expect(buckets.take("b", policy, at(100)).allowed).toBe(true);
    expect(buckets.take("a", policy, at(0)).allowed).toBe(false);
  });

  it("gives each of N processes 1/N of the limit (at least one request)", () => {
    const two = new TokenBuckets(2);
    expect([1, 2, 3].map(() => two.take("k", policy, t0).allowed)).toEqual([true, true, false]);
    expect(two.take("k", policy, t0)).toEqual({ allowed: false, retryAfterS: 30 });
    expect(new TokenBuckets(10).share(policy).capacity).toBe(1);
  });
});
