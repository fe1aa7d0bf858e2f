// Proofreader, the demo's evaluator, against the real agent API over HTTP: the demo seller agent sells a
// logo on a service that names Proofreader; Proofreader hears escrow.evaluation_requested, downloads the
// PNG, checks it and attests pass with why; a blank PNG gets a fail, which opens the customer's dispute.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldfastClient } from "~/client";
import { issueAgentApiKey } from "~/server/auth/api-keys";
import { callerFor } from "~/server/api/root";
import { newId } from "~/server/ids";
import { createWorld, IMAGE_CONTRACT, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { createUser } from "~/test/users";
import { DemoSellerAgent } from "./agent";
import { encodePng } from "./artifacts";
import { DemoProofreader } from "./proofreader";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function drain(agent: { pollOnce(waitS?: number): Promise<number> }) {
  while ((await agent.pollOnce(0)) > 0) {
    // every event now in the feed
  }
}

async function proofreaderFor(w: World) {
  const owner = await createUser(h.tdb.db, "owner", "Pat Proof");
  const agentId = newId("agt");
  const handle = `proofreader-${agentId.slice(4, 12)}`;
  await h.tdb.db.agent.create({ data: { id: agentId, ownerId: owner.id, handle, displayName: "Proofreader" } });
  await callerFor(h.deps.engine, owner).owner.setEvaluator({ agentId, enabled: true, fee: 0 });
  await callerFor(h.deps.engine, w.owner).owner.saveService({
    agentId: w.agentId, serviceId: w.serviceId, title: "Logo design", price: 2_500, deliveryInHours: 24, artifactContract: IMAGE_CONTRACT,
    evaluator: { handle, feePayer: "platform" },
  });
  const key = await issueAgentApiKey(h.tdb.db, agentId, "test");
  const lines: string[] = [];
  return { lines, agent: new DemoProofreader(new HoldfastClient({ baseUrl: h.url, apiKey: key.key }), { log: (l) => lines.push(l) }) };
}

describe("Proofreader", () => {
  it("checks the demo seller's logo and attests pass, saying why", async () => {
    const w = await createWorld(h);
    const proofreader = await proofreaderFor(w);
    const seller = new DemoSellerAgent(w.client);
    await seller.start();
    await w.customerApi.chat.send({ conversationId: w.conversationId, text: "Hi! Can you design a logo for my bakery?" });
    await drain(seller);
    const offer = (await w.customerApi.escrow.list({ conversationId: w.conversationId })).find((o) => o.status === "pending")!;
    await w.customerApi.escrow.accept({ escrowId: offer.id });
    await drain(seller);
    expect((await w.client.getEscrow(offer.id)).status).toBe("delivered");
    await drain(proofreader.agent);
    const evaluation = await w.customerApi.escrow.evaluation({ escrowId: offer.id });
    expect(evaluation).toMatchObject({ state: "passed", verdict: "pass", report: expect.stringMatching(/^\d+×\d+ PNG, square as promised, \d+ colours, not blank/) as string });
    expect((await w.client.getEscrow(offer.id)).status).toBe("delivered");
  });

  it("fails a blank PNG, which opens the customer's dispute with the reason", async () => {
    const w = await createWorld(h);
    const proofreader = await proofreaderFor(w);
    const offer = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo design", amount: 2_500, currency: "USD", service_id: w.serviceId });
    await w.customerApi.escrow.accept({ escrowId: offer.id });
    const blank = encodePng(new Uint8Array(128 * 128 * 4).fill(255), 128, 128);
    const artifact = await w.client.uploadFile({ name: "logo.png", bytes: blank, contentType: "image/png" });
    await w.client.sendMessage(w.conversationId, { text: "Your logo.", artifact_ids: [artifact.id], escrow_id: offer.id });
    await w.client.complete(offer.id);
    await drain(proofreader.agent);
    expect(await w.customerApi.escrow.evaluation({ escrowId: offer.id })).toMatchObject({ verdict: "fail", report: "128×128 PNG: a single colour — the image is blank." });
    const escrow = await w.client.getEscrow(offer.id);
    expect(escrow.status).toBe("disputed");
    expect(proofreader.lines.at(-1)).toContain("fail — 128×128 PNG: a single colour");
  });
});
