// The owner's word reaches the customer (SPEC §5), over real HTTP: the reference agent on the agent
// API, the customer and the owner on their tRPC procedures. An owner's reply to an alert becomes the
// agent's next move — a refund, a split proposal, a relayed message, a decline, going ahead — and the
// customer sees it in the chat; a reply it cannot map goes back to the owner as a question while the
// customer is told the owner is consulted. Never "I'll follow up shortly" and then nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor } from "~/server/api/root";
import { createWorld, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { walletBalances } from "~/server/ledger/wallet";
import { DemoSellerAgent } from "./agent";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function drain(agent: DemoSellerAgent) {
  while ((await agent.pollOnce(0)) > 0) {
    // every event now in the feed, including those the agent's own moves caused
  }
}

async function seller(options: Parameters<typeof createWorld>[1] = {}) {
  const world = await createWorld(h, options);
  const agent = new DemoSellerAgent(world.client);
  await agent.start();
  return { world, agent };
}

/** The owner answers the agent's latest alert from the console, as the owner would from a phone. */
async function ownerReplies(world: World, text: string) {
  const alert = await h.tdb.db.ownerAlert.findFirstOrThrow({ where: { agentId: world.agentId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  await callerFor(h.deps.engine, world.owner).owner.reply({ alertId: alert.id, text });
  return alert;
}

/** What the customer's chat shows (owner lines never reach it). */
async function customerSees(world: World) {
  return (await world.customerApi.chat.messages({ conversationId: world.conversationId })).messages;
}

const agentLines = async (world: World) => (await customerSees(world)).filter((m) => m.role === "agent").map((m) => m.text);
const usd = async (userId: string) => (await walletBalances(h.deps.engine, userId)).find((b) => b.currency === "USD")?.balanceMinor ?? 0;

/** A logo sold, paid, delivered and disputed with `reason`; the agent has answered by its rule. */
async function disputedOrder(world: World, agent: DemoSellerAgent, reason: string) {
  await world.customerApi.chat.send({ conversationId: world.conversationId, text: "Can you design a logo for my bakery, Crumb & Co, in navy and gold?" });
  await drain(agent);
  const [offer] = await world.customerApi.escrow.list({ conversationId: world.conversationId });
  await world.customerApi.escrow.accept({ escrowId: offer!.id });
  await drain(agent);
  await world.customerApi.escrow.dispute({ escrowId: offer!.id, reason });
  await drain(agent);
  return offer!;
}

const NEVER_SAID = [/follow up shortly/i, /continue as planned/i];

describe("the owner's instruction acts on the order", () => {
  it('"offer a full refund" on a dispute: the agent agrees the refund and the customer sees it and has the money back', async () => {
    const { world, agent } = await seller();
    const before = await usd(world.customer.id);
    const offer = await disputedOrder(world, agent, "I don't like the colours");
    expect((await world.customerApi.escrow.byId({ escrowId: offer.id })).status).toBe("negotiating");

    const alert = await ownerReplies(world, "offer a full refund");
    expect(alert).toMatchObject({ reason: "dispute", escrowId: offer.id });
    await drain(agent);

    expect(await world.customerApi.escrow.byId({ escrowId: offer.id })).toMatchObject({ status: "refunded", outcome: "refunded" });
    expect(await usd(world.customer.id)).toBe(before);
    const lines = await agentLines(world);
    expect(lines.at(-1)).toBe(`My owner has reviewed order ${offer.reference_code} and asked me to refund you in full: $25.00 is back in your wallet.`);
    for (const never of NEVER_SAID) expect(lines.join("\n")).not.toMatch(never);
    expect((await customerSees(world)).some((m) => m.role === "owner")).toBe(false); // the owner's words stay private
  });

  it('"refund them" while the order is still active (its delivery was refused): cancel with a full refund', async () => {
    // The contract asks for MP3 and the agent draws WAV: the engine refuses the delivery and the agent tells its owner.
    const { world, agent } = await seller({ contract: { kinds: ["audio"], mime_types: ["audio/mpeg"], json_schema: null } });
    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "I need a logo design please" });
    await drain(agent);
    const [offer] = await world.customerApi.escrow.list({ conversationId: world.conversationId });
    await world.customerApi.escrow.accept({ escrowId: offer!.id });
    await drain(agent);
    expect((await world.customerApi.escrow.byId({ escrowId: offer!.id })).status).toBe("active");
    expect((await agentLines(world)).at(-1)).toBe(
      `The platform's check refused my delivery of ${offer!.reference_code}, so it does not count yet. I've told my owner; your money stays held meanwhile.`,
    );

    const alert = await ownerReplies(world, "Refund them.");
    expect(alert).toMatchObject({ reason: "extension_failure", escrowId: offer!.id });
    await drain(agent);
    expect(await world.customerApi.escrow.byId({ escrowId: offer!.id })).toMatchObject({ status: "refunded" });
    expect((await agentLines(world)).at(-1)).toBe(
      `On my owner's instruction I've cancelled order ${offer!.reference_code} and refunded you in full: $25.00 is back in your wallet.`,
    );
  });

  it('"propose a split: $10 back": the customer sees the proposal and accepting it splits the money', async () => {
    const { world, agent } = await seller();
    const offer = await disputedOrder(world, agent, "It looks amateurish");
    await ownerReplies(world, "propose a split: $10 back to the customer, and tell them thanks for their patience");
    await drain(agent);

    const negotiating = await world.customerApi.escrow.byId({ escrowId: offer.id });
    const open = negotiating.settlements.find((s) => s.status === "open");
    expect(open).toMatchObject({ proposed_by: "agent", refund_amount: 1_000 });
    expect((await agentLines(world)).at(-1)).toBe("My owner also asked me to tell you: Thanks for your patience.");
    expect((await agentLines(world)).at(-2)).toBe(
      `My owner proposes a split on order ${offer.reference_code}: $10.00 back to you and $15.00 to me. Accept it in the order panel, or propose another amount.`,
    );
    const resolved = await world.customerApi.escrow.acceptSettlement({ escrowId: offer.id, settlementId: open!.id });
    expect(resolved).toMatchObject({ status: "resolved", outcome: "split", refund_amount: 1_000 });
  });

  it("a split the order cannot hold is asked back to the owner; nothing moves", async () => {
    const { world, agent } = await seller();
    const offer = await disputedOrder(world, agent, "It looks amateurish");
    await ownerReplies(world, "split: give them $40 back");
    await drain(agent);
    const after = await world.customerApi.escrow.byId({ escrowId: offer.id });
    expect(after.status).toBe("negotiating");
    expect(after.settlements.filter((s) => s.status === "open")).toEqual([expect.objectContaining({ proposed_by: "agent", refund_amount: 1_250 })]);
    const question = await h.tdb.db.ownerAlert.findFirstOrThrow({ where: { agentId: world.agentId, status: "open" }, orderBy: { createdAt: "desc" } });
    expect(question.title).toBe(`I could not do that on ${offer.reference_code}`);
    expect(question.message).toContain("at most the order's amount");
  });
});

describe("the owner's instruction about a request outside the catalog", () => {
  async function offCatalogRequest() {
    const { world, agent } = await seller();
    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "Could you write my wedding speech?" });
    await drain(agent);
    expect((await agentLines(world)).at(-1)).toBe("That's outside my catalog, so I've asked my owner. I'll come back to you here.");
    return { world, agent };
  }

  it("relays the owner's message to the customer, in the customer's terms", async () => {
    const { world, agent } = await offCatalogRequest();
    await ownerReplies(world, "tell them we only do logos for now, but their speech idea sounds lovely");
    await drain(agent);
    expect((await agentLines(world)).at(-1)).toBe("My owner asked me to tell you: We only do logos for now, but your speech idea sounds lovely.");
  });

  it('"tell them that\'s out of scope" declines in words, with what the agent does offer', async () => {
    const { world, agent } = await offCatalogRequest();
    await ownerReplies(world, "tell them that's out of scope");
    await drain(agent);
    const last = (await agentLines(world)).at(-1)!;
    expect(last).toMatch(/^I checked with my owner: that's outside what I offer, so I can't take it on\. Here is what I offer:\n• Logo design — \$25\.00/);
    expect(await world.customerApi.escrow.list({ conversationId: world.conversationId })).toEqual([]);
  });

  it("a reply it cannot map goes back to the owner as a question; the customer hears the owner is consulted; the next reply acts", async () => {
    const { world, agent } = await offCatalogRequest();
    await ownerReplies(world, "hmm, what about the weather");
    await drain(agent);
    expect((await agentLines(world)).at(-1)).toBe("I'm checking with my owner how to go on; I'll write here as soon as they answer.");
    const question = await h.tdb.db.ownerAlert.findFirstOrThrow({ where: { agentId: world.agentId, status: "open" } });
    expect(question).toMatchObject({ title: "I did not understand your reply", conversationId: world.conversationId });
    expect(question.message).toMatch(/^I did not understand "hmm, what about the weather" — reply with one of: "refund" \(in full\), "split \$12\.50"/);
    expect(await world.customerApi.escrow.list({ conversationId: world.conversationId })).toEqual([]);

    // The owner answers the question: "go ahead" with a price makes an offer written from the request.
    await ownerReplies(world, "go ahead for $40");
    await drain(agent);
    const [offer] = await world.customerApi.escrow.list({ conversationId: world.conversationId });
    expect(offer).toMatchObject({ amount: 4_000, status: "pending", title: "Custom request for your wedding speech" });
    expect(offer!.description).toMatch(/^Custom request for your wedding speech\. You receive the finished work within 24 hours/);
    expect((await agentLines(world)).at(-1)).toContain(`My owner approved your request: I've sent an offer (ref ${offer!.reference_code}) for $40.00.`);
    for (const never of NEVER_SAID) expect((await agentLines(world)).join("\n")).not.toMatch(never);
  });

  it("a money instruction on a finished order is asked back to the owner, and the customer is not told to wait", async () => {
    const { world, agent } = await seller();
    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "A logo for my garage please" });
    await drain(agent);
    const [offer] = await world.customerApi.escrow.list({ conversationId: world.conversationId });
    await world.customerApi.escrow.accept({ escrowId: offer!.id });
    await drain(agent);
    await world.customerApi.escrow.approve({ escrowId: offer!.id });
    await drain(agent);
    await world.client.notifyOwner({ reason: "other", title: "Done", message: "Finished", severity: "info", escrow_id: offer!.id });
    const linesBefore = await agentLines(world);
    await ownerReplies(world, "refund them");
    await drain(agent);
    expect(await agentLines(world)).toEqual(linesBefore);
    expect((await world.customerApi.escrow.byId({ escrowId: offer!.id })).status).toBe("completed");
    const question = await h.tdb.db.ownerAlert.findFirstOrThrow({ where: { agentId: world.agentId, status: "open" } });
    expect(question.message).toContain(`Order ${offer!.reference_code} is already completed`);
  });
});

describe("an offer over the owner's threshold", () => {
  it('"out of scope" withdraws it (nothing charged); "go ahead" on another keeps it and says so', async () => {
    const { world, agent } = await seller();
    await callerFor(h.deps.engine, world.owner).owner.setThreshold({ amount: 1_000, currency: "USD" });
    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "A logo for my bakery please" });
    await drain(agent);
    const [first] = await world.customerApi.escrow.list({ conversationId: world.conversationId });
    await ownerReplies(world, "Decline, that's not something we do");
    await drain(agent);
    expect((await world.customerApi.escrow.byId({ escrowId: first!.id })).status).toBe("cancelled");
    const lines = await agentLines(world);
    expect(lines.at(-2)).toBe(`I've withdrawn the offer (ref ${first!.reference_code}); nothing was charged.`);

    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "Then a logo for my café?" });
    await drain(agent);
    const second = (await world.customerApi.escrow.list({ conversationId: world.conversationId })).find((e) => e.status === "pending")!;
    await ownerReplies(world, "ok go ahead");
    await drain(agent);
    expect((await world.customerApi.escrow.byId({ escrowId: second.id })).status).toBe("pending");
    expect((await agentLines(world)).at(-1)).toBe(
      `My owner has approved this offer (ref ${second.reference_code}). Accept and pay when you're ready; the money stays held until you approve the delivery.`,
    );
  });
});

describe("the agent reads the catalog as the owner keeps it", () => {
  it("after the owner edits a price, the next offer uses it (no copy from the agent's start)", async () => {
    const { world, agent } = await seller();
    await callerFor(h.deps.engine, world.owner).owner.saveService({
      agentId: world.agentId,
      serviceId: world.serviceId,
      title: "Logo design",
      price: 3_900,
      deliveryInHours: 12,
      artifactContract: { kinds: ["image"], mime_types: ["image/png"], json_schema: null },
    });
    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "Can you design a logo for my bike shop in teal?" });
    await drain(agent);
    const [offer] = await world.customerApi.escrow.list({ conversationId: world.conversationId });
    expect(offer).toMatchObject({ amount: 3_900, title: "Logo design" });
    expect(offer!.description).toBe(
      "Logo design for your bike shop in teal. You receive a PNG image within 12 hours of paying; the money stays held until you approve it.",
    );
  });

  it("a dispute answer quotes the customer's reason and answers it", async () => {
    const { world, agent } = await seller();
    const offer = await disputedOrder(world, agent, "The colours are wrong");
    const defended = await world.customerApi.escrow.byId({ escrowId: offer.id });
    expect(defended.status).toBe("negotiating");
    // What the customer's order panel shows as the agent's answer.
    const defence = (await world.customerApi.orders.list({ conversationId: world.conversationId }))[0]!.agent_defence;
    expect(defence).toContain('You said: "The colours are wrong".');
    expect(defence).toContain("the colours your brief named (navy and gold)");
  });
});
