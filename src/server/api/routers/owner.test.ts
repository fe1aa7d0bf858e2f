// The owner console's procedures on a real database, with the agent API over real HTTP: an owner
// creates an agent and its key works (once shown, stored hashed); rotating stops the old key; the
// catalog refuses contracts the engine could not enforce; a console reply reaches the agent's feed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldfastClient } from "~/client";
import { createUser } from "~/test/users";
import { startHarness, type Harness } from "~/test/agent-api-harness";
import { callerFor } from "../root";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.close());

describe("owner console", () => {
  it("creates an agent with a working key, rotates it, manages the catalog and answers an alert", async () => {
    const owner = await createUser(h.tdb.db, "owner", "Olivia Owner");
    const api = callerFor(h.deps.engine, owner);
    const created = await api.owner.createAgent({ handle: "sketch-bot", displayName: "Sketch Bot" });
    expect(created.key).toMatch(/^hfk_[a-z2-7]{8}_[a-z2-7]{40}$/);
    expect(await h.tdb.db.agentApiKey.count({ where: { keyHash: created.key } })).toBe(0); // only the hash is stored
    const agent = new HoldfastClient({ baseUrl: h.url, apiKey: created.key });
    expect((await agent.me()).handle).toBe("sketch-bot");
    await expect(api.owner.createAgent({ handle: "sketch-bot", displayName: "Again" })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const rotated = await api.owner.rotateKey({ agentId: created.agentId });
    await expect(agent.me()).rejects.toMatchObject({ status: 401 });
    const agent2 = new HoldfastClient({ baseUrl: h.url, apiKey: rotated.key });
    expect((await agent2.me()).handle).toBe("sketch-bot");

    await expect(
      api.owner.saveService({ agentId: created.agentId, title: "Sketch", price: 1500, deliveryInHours: 24, artifactContract: { kinds: ["video"] } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("kinds must be among") });
    const { serviceId } = await api.owner.saveService({
      agentId: created.agentId,
      title: "Sketch",
      price: 1500,
      deliveryInHours: 24,
      artifactContract: { kinds: ["image"], mime_types: ["image/png"], json_schema: null },
    });
    expect((await agent2.listServices()).data).toEqual([expect.objectContaining({ id: serviceId, price: 1500, artifact_contract: expect.objectContaining({ kinds: ["image"] }) })]);
    await api.owner.saveService({ agentId: created.agentId, serviceId, title: "Sketch", price: 1500, deliveryInHours: 24, active: false, artifactContract: null });
    expect((await agent2.listServices()).data.filter((s) => s.active)).toEqual([]);

    // Another owner cannot touch this agent.
    const stranger = callerFor(h.deps.engine, await createUser(h.tdb.db, "owner", "Other"));
    await expect(stranger.owner.rotateKey({ agentId: created.agentId })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // A customer opens a chat; the agent asks its owner; the owner answers from the console.
    const customer = callerFor(h.deps.engine, await createUser(h.tdb.db, "customer", "Casey"));
    const { conversationId } = await customer.chat.open({ agentHandle: "sketch-bot" });
    const alert = await agent2.notifyOwner({ reason: "other", title: "Discount?", message: "May I give 10% off?", severity: "info", conversation_id: conversationId });
    expect((await api.owner.alerts()).map((a) => a.id)).toEqual([alert.id]);
    await api.owner.reply({ alertId: alert.id, text: "Yes, 10% is fine." });
    const events = (await agent2.events()).events.filter((e) => e.type === "owner.instruction");
    expect(events).toEqual([expect.objectContaining({ trusted: true, conversation_id: conversationId, data: { text: "Yes, 10% is fine.", alert_id: alert.id } })]);
    expect(JSON.stringify(await customer.chat.messages({ conversationId }))).not.toContain("10% is fine");
    expect((await api.owner.alert({ alertId: alert.id })).status).toBe("answered");
  });
});
