// The demo seller agent against the real agent API over HTTP, with a customer
// on the tRPC side: it quotes from the catalog, refuses to be told it was
// paid, delivers a real PNG only after escrow.funded, and answers disputes by
// its stated rule.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor } from "~/server/api/root";
import { createWorld, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { addTestFunds, walletBalances } from "~/server/ledger/wallet";
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
    // Written from the request, not a copy of it.
    expect(offer.description).toBe("Logo design for your bakery. You receive a PNG image within 24 hours of paying; the money stays held until you approve it.");

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

/** Lets every agent handle its feed until none has anything left (their actions feed each other). */
async function drainAll(...agents: DemoSellerAgent[]) {
  for (let round = 0; round < 20; round++) {
    let handled = 0;
    for (const agent of agents) handled += await agent.pollOnce(0);
    if (handled === 0) return;
  }
  throw new Error("the agents did not settle within 20 rounds");
}

/** A second demo agent that sells a kit and buys its logo from `supplier` with its owner's wallet. */
async function studioBuyingFrom(supplier: World, ownerFunds: number, spendingLimit = 10_000) {
  const studio = await createWorld(h);
  await h.tdb.db.service.update({
    where: { id: studio.serviceId },
    data: { title: "Brand starter kit", priceMinor: 6_000n },
  });
  await callerFor(h.deps.engine, studio.owner).owner.setPurchasing({ agentId: studio.agentId, enabled: true, limit: spendingLimit });
  await addTestFunds(h.deps.engine, studio.owner.id, "USD", ownerFunds);
  const agent = new DemoSellerAgent(studio.client, { supplier: supplier.handle });
  await agent.start();
  return { studio, agent };
}

const usd = async (userId: string) => (await walletBalances(h.deps.engine, userId)).find((b) => b.currency === "USD")?.balanceMinor ?? 0;

describe("the demo agent buying from another agent (a supplier configured)", () => {
  it("commissions the logo once paid, checks the PNG, approves, and delivers it to its own customer", async () => {
    const supplier = await createWorld(h);
    const supplierAgent = new DemoSellerAgent(supplier.client);
    await supplierAgent.start();
    const { studio, agent } = await studioBuyingFrom(supplier, 5_000);

    const order = await newSale(studio, agent, "I'd like a brand starter kit for Forno Verde, a bakery");
    expect(order).toMatchObject({ title: "Brand starter kit", amount: 6_000 });
    await studio.customerApi.escrow.accept({ escrowId: order.id });
    await drainAll(agent, supplierAgent);

    // The studio bought a logo with its owner's wallet, and approved it.
    const [purchase] = (await studio.client.listPurchases({ status: "all" })).data;
    expect(purchase).toMatchObject({ title: "Logo design", amount: 2_500, status: "completed" });
    // The supplier wrote its offer from the studio's request: the order it is for, and the name asked for.
    expect(purchase!.description).toBe(
      `Logo design for your customer's order ${order.reference_code} named "Forno Verde". You receive a PNG image within 24 hours of paying; the money stays held until you approve it.`,
    );
    expect(await usd(studio.owner.id)).toBe(5_000 - 2_500);

    // The customer received the supplier's very file (same hash) and a brand sheet naming its maker.
    const delivered = await studio.customerApi.escrow.byId({ escrowId: order.id });
    expect(delivered.status).toBe("delivered");
    const { messages } = await studio.customerApi.chat.messages({ conversationId: studio.conversationId });
    const artifacts = messages.flatMap((m) => m.artifacts);
    const supplierFile = (await supplier.client.listMessages(purchase!.conversation_id)).data.flatMap((m) => m.artifacts)[0]!;
    expect(artifacts.find((a) => a.kind === "image")).toMatchObject({ name: "logo.png", sha256: supplierFile.sha256 });
    expect(artifacts.find((a) => a.kind === "data")?.data).toMatchObject({
      logo: { made_by: `@${supplier.handle}`, bought_through_holdfast_order: purchase!.reference_code },
    });
    await studio.customerApi.escrow.approve({ escrowId: order.id });
    expect((await studio.customerApi.escrow.byId({ escrowId: order.id })).status).toBe("completed");
  });

  it("disputes a delivery that is not a PNG; the supplier refunds and the studio's owner is told", async () => {
    const supplier = await createWorld(h, { contract: null }); // a careless supplier, driven by hand
    const { studio, agent } = await studioBuyingFrom(supplier, 5_000);
    const order = await newSale(studio, agent, "A brand starter kit for a bike shop, please");
    await studio.customerApi.escrow.accept({ escrowId: order.id });
    await drainAll(agent);

    const [conversation] = (await supplier.client.listConversations()).data.filter((c) => c.id !== supplier.conversationId);
    const request = (await supplier.client.listMessages(conversation!.id)).data.at(-1)!;
    const offer = await supplier.client.createEscrow({
      conversation_id: conversation!.id,
      title: "Logo design",
      description: request.text,
      amount: 2_500,
      currency: "USD",
    });
    await drainAll(agent); // the studio accepts
    expect((await supplier.client.getEscrow(offer.id)).status).toBe("active");
    // A second offer quoting the same order is declined: one paid commission per order.
    const again = await supplier.client.createEscrow({
      conversation_id: conversation!.id,
      title: "Logo design, again",
      description: request.text,
      amount: 2_500,
      currency: "USD",
    });
    await drainAll(agent);
    expect((await supplier.client.getEscrow(again.id)).status).toBe("cancelled");
    expect(await usd(studio.owner.id)).toBe(5_000 - 2_500);
    const notDelivered = `The logo for ${order.reference_code} was not delivered`;
    const alertTitles = async () => (await h.tdb.db.ownerAlert.findMany({ where: { agentId: studio.agentId } })).map((a) => a.title);
    expect(await alertTitles()).not.toContain(notDelivered); // declining the duplicate is no failure of the order
    const junk = await supplier.client.uploadFile({ name: "logo.png", bytes: new TextEncoder().encode("not an image"), contentType: "image/png" });
    await supplier.client.sendMessage(conversation!.id, { text: "Done!", artifact_ids: [junk.id], escrow_id: offer.id });
    await supplier.client.complete(offer.id);
    await drainAll(agent); // the studio checks the file and disputes

    const disputed = await supplier.client.getEscrow(offer.id);
    expect(disputed).toMatchObject({ status: "disputed", dispute_reason: "The delivered file is corrupt: it is not a PNG image." });
    await supplier.client.agreeRefund(offer.id);
    await drainAll(agent);
    expect(await usd(studio.owner.id)).toBe(5_000);
    expect((await alertTitles()).filter((t) => t === notDelivered)).toHaveLength(1);
    expect((await studio.customerApi.escrow.byId({ escrowId: order.id })).status).toBe("active"); // still held for the customer
  });
});

describe("the demo agent's purchases stay within its owner's rules", () => {
  it("an offer over the owner's spending limit is not bought: the owner is asked and the customer told", async () => {
    const supplier = await createWorld(h);
    const supplierAgent = new DemoSellerAgent(supplier.client);
    await supplierAgent.start();
    const { studio, agent } = await studioBuyingFrom(supplier, 5_000, 1_000); // $10 a month; the logo is $25
    const order = await newSale(studio, agent, "A brand starter kit for a flower shop");
    await studio.customerApi.escrow.accept({ escrowId: order.id });
    await drainAll(agent, supplierAgent);

    const [purchase] = (await studio.client.listPurchases({ status: "all" })).data;
    expect(purchase).toMatchObject({ title: "Logo design", status: "pending" });
    expect(await usd(studio.owner.id)).toBe(5_000);
    const alert = await h.tdb.db.ownerAlert.findFirstOrThrow({ where: { agentId: studio.agentId } });
    expect(alert).toMatchObject({ title: `Could not buy the logo for ${order.reference_code}`, severity: "warning" });
    expect(alert.message).toContain("spending_limit_exceeded");
    const { messages } = await studio.customerApi.chat.messages({ conversationId: studio.conversationId });
    expect(messages.at(-1)?.text).toBe("My supplier's offer needs my owner's approval; I've asked them and will update you here.");
    expect((await studio.customerApi.escrow.byId({ escrowId: order.id })).status).toBe("active");

    // The promise is kept: the owner raises the limit and says "go ahead"; the waiting offer is bought and the kit delivered.
    await callerFor(h.deps.engine, studio.owner).owner.setPurchasing({ agentId: studio.agentId, enabled: true, limit: 10_000 });
    await callerFor(h.deps.engine, studio.owner).owner.reply({ alertId: alert.id, text: "Go ahead" });
    await drainAll(agent, supplierAgent);
    expect((await studio.client.getPurchase(purchase!.id)).status).toBe("completed");
    expect((await studio.client.listPurchases({ status: "all" })).data).toHaveLength(1); // the waiting offer, not a second commission
    expect((await studio.customerApi.escrow.byId({ escrowId: order.id })).status).toBe("delivered");
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
