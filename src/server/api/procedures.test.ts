// The customer procedures named in PROTOCOL.md, called as signed-in users on a
// real database: a purchase end to end, and the refusals that protect it.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { deliverArtifact, testClock, testContext, type Parties } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { createOffer } from "../escrow/create-offer";
import { inTransaction } from "../db/transaction";
import { insertMessage } from "../conversations/messages";
import { callerFor } from "./root";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

async function seedAgent(db: TestDatabase["db"]) {
  const owner = await createUser(db, "owner", "Olivia");
  const handle = `agent-${owner.id.slice(4, 12)}`;
  const agent = await db.agent.create({ data: { id: `agt_${owner.id.slice(4)}`, ownerId: owner.id, handle, displayName: "Pixel Forge" } });
  return { owner, agent };
}

describe("customer procedures", () => {
  it("a customer opens a chat, pays into escrow, receives, approves, and sees it in the wallet", async () => {
    const clock = testClock();
    const engine = testContext(tdb.db, clock, 0);
    const { owner, agent } = await seedAgent(tdb.db);
    const customer = await createUser(tdb.db, "customer", "Casey");
    const api = callerFor(engine, customer);

    const { conversationId } = await api.chat.open({ agentHandle: agent.handle });
    expect((await api.chat.open({ agentHandle: agent.handle })).conversationId).toBe(conversationId);
    await api.chat.send({ conversationId, text: "Can you make me a logo?" });
    await api.wallet.addTestFunds({ amount: 5_000, currency: "USD" });
    expect((await api.wallet.balance()).balances).toEqual([{ currency: "USD", balanceMinor: 5_000, heldMinor: 0 }]);

    const offer = await createOffer(engine, agent.id, { conversationId, title: "Logo", amountMinor: 2_500, currency: "USD" });
    const pending = await api.escrow.byId({ escrowId: offer.referenceCode });
    expect(pending.allowed_actions.sort()).toEqual(["accept", "decline"]);
    const active = await api.escrow.accept({ escrowId: offer.id });
    expect(active.status).toBe("active");

    clock.advanceSeconds(60);
    const parties: Parties = { customerId: customer.id, ownerId: owner.id, agentId: agent.id, conversationId, serviceId: "" };
    await deliverArtifact(engine, parties, offer.id);
    await inTransaction(tdb.db, (tx) =>
      insertMessage(tx, { conversationId, role: "owner", text: "Owner: offer a discount next time", createdAt: clock.now() }),
    );
    const { runEscrowCommand } = await import("../escrow/run-command");
    await runEscrowCommand(engine, offer.id, { kind: "agent", agentId: agent.id }, { command: "complete" });

    const { messages } = await api.chat.messages({ conversationId });
    expect(messages.some((m) => m.role === "owner")).toBe(false);
    expect(messages.some((m) => m.role === "system" && m.text.includes("held in escrow"))).toBe(true);
    expect(messages.find((m) => m.artifacts.length)?.artifacts[0]).toMatchObject({ kind: "image", mime_type: "image/png" });
    const customerMessage = messages.find((m) => m.role === "customer");
    expect(customerMessage?.trusted).toBe(false);

    const delivered = await api.escrow.byId({ escrowId: offer.id });
    expect(delivered.allowed_actions.sort()).toEqual(["approve", "dispute", "extend_review"]);
    const completed = await api.escrow.approve({ escrowId: offer.id });
    expect(completed.status).toBe("completed");

    expect((await api.wallet.balance()).balances).toEqual([{ currency: "USD", balanceMinor: 2_500, heldMinor: 0 }]);
    const history = await api.wallet.history();
    expect(history.map((h) => [h.kind, h.amount_minor])).toEqual([
      ["fund", -2_500],
      ["topup", 5_000],
    ]);
    expect(history[0]?.escrow?.reference_code).toBe(offer.referenceCode);
    const orders = await api.escrow.list();
    expect(orders.map((o) => o.id)).toEqual([offer.id]);
    const ownerApi = callerFor(engine, owner);
    expect((await ownerApi.wallet.balance()).balances).toEqual([{ currency: "USD", balanceMinor: 2_500, heldMinor: 0 }]);
  });

  it("refuses anonymous callers, other customers' escrows, and bad input, with codes", async () => {
    const engine = testContext(tdb.db, testClock());
    const { agent } = await seedAgent(tdb.db);
    const customer = await createUser(tdb.db);
    const stranger = await createUser(tdb.db);
    const { conversationId } = await callerFor(engine, customer).chat.open({ agentHandle: agent.handle });
    const offer = await createOffer(engine, agent.id, { conversationId, title: "Logo", amountMinor: 2_500, currency: "USD" });

    await expect(callerFor(engine, null).escrow.accept({ escrowId: offer.id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(callerFor(engine, stranger).escrow.accept({ escrowId: offer.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(engine, stranger).chat.messages({ conversationId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const broke = callerFor(engine, customer).escrow.accept({ escrowId: offer.id });
    await expect(broke).rejects.toBeInstanceOf(TRPCError);
    await expect(broke).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("Insufficient funds") });
    await expect(
      callerFor(engine, customer).escrow.proposeSettlement({ escrowId: offer.id, refundAmount: -5 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(engine, customer).escrow.approve({ escrowId: offer.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await tdb.db.escrow.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("pending");
  });

  it("the marketplace lists active agents with their services and finds them by search", async () => {
    const engine = testContext(tdb.db, testClock());
    const { agent } = await seedAgent(tdb.db);
    await tdb.db.service.create({
      data: { id: `svc_${agent.id}`, agentId: agent.id, title: "Vector mascot", priceMinor: 3_000n, currency: "USD", deliveryInHours: 24 },
    });
    const api = callerFor(engine, null);
    const found = await api.market.agents({ query: "mascot" });
    expect(found.map((a) => a.handle)).toContain(agent.handle);
    const profile = await api.market.agent({ handle: agent.handle });
    expect(profile.services).toEqual([expect.objectContaining({ title: "Vector mascot", price: 3_000, currency: "USD" })]);
    expect(profile.owner_display_name).toBe("Olivia");
    expect(profile.reputation).toMatchObject({ finished: 0, disputeRateBps: null });
  });
});
