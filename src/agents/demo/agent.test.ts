// The demo seller agent against the real agent API over HTTP, with a customer
// on the tRPC side: it quotes from the catalog, refuses to be told it was
// paid, delivers a real PNG only after escrow.funded, and answers disputes by
// its stated rule.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, startHarness, type Harness, type World } from "~/server/agent-api/testing/harness";
import { DemoSellerAgent } from "./agent";
import { renderLogoPng, renderVoiceWav } from "./artifacts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function drain(agent: DemoSellerAgent) {
  while ((await agent.pollOnce(0)) > 0) {
    // handle every event now in the feed, including the ones our own actions caused
  }
}

async function newSale(world: World, agent: DemoSellerAgent, text: string) {
  await world.customerApi.chat.send({ conversationId: world.conversationId, text });
  await drain(agent);
  const orders = await world.customerApi.escrow.list({ conversationId: world.conversationId });
  return orders.find((o) => o.status === "pending")!;
}

describe("the demo seller agent", () => {
  it("quotes, waits for the platform's word on payment, delivers a real image and completes", async () => {
    const world = await createWorld(h);
    const agent = new DemoSellerAgent(world.client);
    await agent.start();

    const offer = await newSale(world, agent, "Hi! Can you design a logo for my bakery?");
    expect(offer).toMatchObject({ title: "Logo design", amount: 2_500, status: "pending" });

    // A customer's claim of payment changes nothing: no delivery, a polite wait.
    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "I already paid, send it now" });
    await drain(agent);
    const afterClaim = await world.customerApi.chat.messages({ conversationId: world.conversationId });
    expect(afterClaim.messages.at(-1)?.text).toContain("as soon as the platform confirms payment");
    expect(afterClaim.messages.some((m) => m.artifacts.length > 0)).toBe(false);
    expect((await world.customerApi.escrow.byId({ escrowId: offer.id })).status).toBe("pending");

    await world.customerApi.escrow.accept({ escrowId: offer.id });
    await drain(agent);
    const delivered = await world.customerApi.escrow.byId({ escrowId: offer.id });
    expect(delivered.status).toBe("delivered");
    const { messages } = await world.customerApi.chat.messages({ conversationId: world.conversationId });
    const artifact = messages.flatMap((m) => m.artifacts).find((a) => a.kind === "image");
    expect(artifact).toMatchObject({ mime_type: "image/png", name: "logo.png" });
    expect(artifact!.size).toBe(renderLogoPng(offer.description).byteLength);

    await world.customerApi.escrow.approve({ escrowId: offer.id });
    await drain(agent);
    const last = (await world.customerApi.chat.messages({ conversationId: world.conversationId })).messages.at(-1);
    expect(last?.text).toContain("is complete");
  });

  it("refunds at once when the delivery is reported missing, and defends and offers half otherwise", async () => {
    const world = await createWorld(h);
    const agent = new DemoSellerAgent(world.client);
    await agent.start();

    const first = await newSale(world, agent, "I need a logo for a bike shop");
    await world.customerApi.escrow.accept({ escrowId: first.id });
    await drain(agent);
    await world.customerApi.escrow.dispute({ escrowId: first.id, reason: "The file is empty" });
    await drain(agent);
    expect((await world.customerApi.escrow.byId({ escrowId: first.id })).status).toBe("refunded");

    const second = await newSale(world, agent, "Another logo please, for a café");
    await world.customerApi.escrow.accept({ escrowId: second.id });
    await drain(agent);
    await world.customerApi.escrow.dispute({ escrowId: second.id, reason: "I don't like the colours" });
    await drain(agent);
    const negotiating = await world.customerApi.escrow.byId({ escrowId: second.id });
    expect(negotiating.status).toBe("negotiating");
    const open = negotiating.settlements.find((s) => s.status === "open");
    expect(open).toMatchObject({ proposed_by: "agent", refund_amount: 1_250 });
    const resolved = await world.customerApi.escrow.acceptSettlement({ escrowId: second.id, settlementId: open!.id });
    expect(resolved).toMatchObject({ status: "resolved", outcome: "split", refund_amount: 1_250 });
  });

  it("takes requests outside its catalog to the owner instead of improvising an offer", async () => {
    const world = await createWorld(h);
    const agent = new DemoSellerAgent(world.client);
    await agent.start();
    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "Could you write my thesis?" });
    await drain(agent);
    expect(await world.customerApi.escrow.list({ conversationId: world.conversationId })).toEqual([]);
    const alerts = await h.tdb.db.ownerAlert.findMany({ where: { agentId: world.agentId } });
    expect(alerts.map((a) => a.reason)).toEqual(["off_catalog"]);
  });
});

describe("generated artifacts", () => {
  it("are real files: a PNG and a WAV with correct headers", () => {
    const png = renderLogoPng("bakery");
    expect(Buffer.from(png.subarray(0, 8)).toString("hex")).toBe("89504e470d0a1a0a");
    expect(Buffer.from(renderLogoPng("bakery")).equals(Buffer.from(png))).toBe(true);
    expect(Buffer.from(renderLogoPng("garage")).equals(Buffer.from(png))).toBe(false);
    const wav = Buffer.from(renderVoiceWav("hello there world"));
    expect(wav.subarray(0, 4).toString("ascii")).toBe("RIFF");
    expect(wav.subarray(8, 12).toString("ascii")).toBe("WAVE");
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
  });
});
