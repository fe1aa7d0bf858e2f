// Rate limits per key, in each process's token buckets: two servers over one database, configured as the
// two processes of one deployment (each holds half of the limit, token-buckets.ts), hold the key to the
// limit between them; the answer past the limit is 429 rate_limited with Retry-After; other keys are
// unaffected; and counting costs no database statement.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CachedAgentKeys } from "../auth/agent-key-cache";
import { PgFeedNotifier } from "../events/feed";
import { TokenBuckets } from "../rate-limit/token-buckets";
import { serveFetchHandler, type RunningServer } from "./node-server";
import { handleAgentApiRequest } from "./rest";
import { createWorld, startHarness, type Harness } from "~/test/agent-api-harness";

let h: Harness;
let second: RunningServer;
let secondFeed: PgFeedNotifier;
let secondKeys: CachedAgentKeys;
beforeAll(async () => {
  h = await startHarness({ rateLimit: { limit: 4, windowS: 3600 } });
  h.deps.limiter = new TokenBuckets(2);
  secondFeed = new PgFeedNotifier(h.tdb.url);
  secondKeys = new CachedAgentKeys(h.tdb.db, h.tdb.url);
  const deps = { ...h.deps, feed: secondFeed, keys: secondKeys, limiter: new TokenBuckets(2) };
  second = await serveFetchHandler((request) => handleAgentApiRequest(request, deps));
});
afterAll(async () => {
  await second.close();
  await secondFeed.close();
  await secondKeys.close();
  await h.close();
});

const get = (origin: string, key: string) =>
  fetch(`${origin}/api/agent/v1/me`, { headers: { authorization: `Bearer ${key}` } });

describe("rate limits", () => {
  it("counts one key across servers and answers 429 with Retry-After", async () => {
    const w = await createWorld(h);
    const other = await createWorld(h);
    const statuses = [];
    for (const origin of [h.url, second.url, h.url, second.url]) statuses.push((await get(origin, w.key.key)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    for (const origin of [h.url, second.url]) {
      const limited = await get(origin, w.key.key);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    }
    // A POST past the limit writes nothing.
    const post = await fetch(`${h.url}/api/agent/v1/escrows`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.key.key}`, "content-type": "application/json" },
      body: JSON.stringify({ conversation_id: w.conversationId, title: "x", amount: 100, currency: "USD" }),
    });
    expect(post.status).toBe(429);
    expect(await h.tdb.db.escrow.count({ where: { agentId: w.agentId } })).toBe(0);
    expect((await get(h.url, other.key.key)).status).toBe(200);
  });
});
