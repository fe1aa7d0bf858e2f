// A credential turned away by the consoles is refused on the agent's very next request, even before
// the LISTEN notification reaches the cache: under load the notification arrived after the owner's
// "rotated" answer and the old key still worked once (CI, stop 25). Each change below runs with the
// cache's notifications muted, so only the services' own drop (agentAccessChanged) can refuse the key.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldfastClient } from "~/client";
import { callerFor } from "~/server/api/root";
import { createUser } from "~/test/users";
import { createWorld, startHarness, type Harness } from "~/test/agent-api-harness";
import type { CachedAgentKeys } from "./agent-key-cache";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.close());

/** The harness cache with its notifications dropped on the floor (restored by the returned function). */
async function muteNotifications(): Promise<() => void> {
  const keys = h.deps.keys as CachedAgentKeys;
  await keys.ready();
  expect(keys.caching).toBe(true);
  // The LISTEN connection is private; a test that must prove the cache does not depend on it reaches in.
  const listener = (keys as unknown as { listener: pg.Client }).listener;
  const handlers = listener.listeners("notification") as ((message: pg.Notification) => void)[];
  listener.removeAllListeners("notification");
  return () => {
    for (const handler of handlers) listener.on("notification", handler);
  };
}

async function cachedClient(key: string): Promise<HoldfastClient> {
  const client = new HoldfastClient({ baseUrl: h.url, apiKey: key });
  await client.me();
  await client.me(); // the second answer comes from the cache
  return client;
}

describe("agent key cache", () => {
  it("refuses a key at once after the owner rotates or revokes it", async () => {
    const owner = await createUser(h.tdb.db, "owner", "Olivia Owner");
    const api = callerFor(h.deps.engine, owner);
    const created = await api.owner.createAgent({ handle: `rot-${Date.now().toString(36)}`, displayName: "Rotating Bot" });
    const first = await cachedClient(created.key);
    const unmute = await muteNotifications();
    try {
      const rotated = await api.owner.rotateKey({ agentId: created.agentId });
      await expect(first.me()).rejects.toMatchObject({ status: 401 });
      const second = await cachedClient(rotated.key);
      const keys = await h.tdb.db.agentApiKey.findMany({ where: { agentId: created.agentId, revokedAt: null } });
      expect(keys).toHaveLength(1);
      await api.owner.revokeKey({ agentId: created.agentId, keyId: keys[0]!.id });
      await expect(second.me()).rejects.toMatchObject({ status: 401 });
    } finally {
      unmute();
    }
  });

  it("refuses a key at once after a moderator suspends its agent or its owner, and takes it back on reinstatement", async () => {
    const world = await createWorld(h);
    const admin = callerFor(h.deps.engine, await createUser(h.tdb.db, "admin", "Mo Moderator"));
    const agent = await cachedClient(world.key.key);
    const unmute = await muteNotifications();
    try {
      await admin.admin.suspendAgent({ agentId: world.agentId, note: "fake deliveries" });
      await expect(agent.me()).rejects.toMatchObject({ status: 401 });
      await admin.admin.suspendAgent({ agentId: world.agentId, suspended: false, note: "appeal upheld" });
      expect((await agent.me()).handle).toBe(world.handle);
      await agent.me(); // cached again

      await admin.admin.suspendUser({ userId: world.owner.id, note: "owner fraud" });
      await expect(agent.me()).rejects.toMatchObject({ status: 401 });
      await admin.admin.suspendUser({ userId: world.owner.id, suspended: false, note: "cleared" });
      expect((await agent.me()).handle).toBe(world.handle);
      await agent.me();

      await admin.admin.decideAgentCase({ agentId: world.agentId, decision: "suspend", note: "collusion confirmed" });
      await expect(agent.me()).rejects.toMatchObject({ status: 401 });
    } finally {
      unmute();
    }
  });
});
