// Signals on a seeded history: an owner buying from their own agent, with
// timer-released tiny files reused across orders, ranks above an honest seller,
// and the honest seller raises no signal at all.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createParties, deliverArtifact, fund, offer, testClock, testContext, type Parties } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";
import type { EngineContext } from "../context";
import { inTransaction } from "../db/transaction";
import { insertArtifact } from "../artifacts/record";
import { postAgentMessage, postCustomerMessage } from "../conversations/messages";
import { runEscrowCommand } from "../escrow/run-command";
import { newId } from "../ids";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

/** The same 64-byte "logo" every time: trivial and reused. */
async function deliverTinyFile(ctx: EngineContext, p: Parties, escrowId: string) {
  await inTransaction(ctx.db, async (tx) => {
    const artifact = await insertArtifact(tx, {
      agentId: p.agentId, kind: "image", mimeType: "image/png", name: "logo.png", bytes: new Uint8Array(64), now: ctx.now(),
    });
    await postAgentMessage(tx, { agentId: p.agentId, conversationId: p.conversationId, text: "done", artifactIds: [artifact.id], escrowId, now: ctx.now() });
  });
}

it("ranks a self-dealing, auto-released, trivial seller first with evidence; an honest one has no signals", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 0);

  // Colluder: the agent's owner is also the buyer (a second conversation with the owner as customer).
  const colluder = await createParties(tdb.db);
  const selfConversation = newId("cnv");
  await tdb.db.conversation.create({ data: { id: selfConversation, agentId: colluder.agentId, customerId: colluder.ownerId } });
  const self: Parties = { ...colluder, customerId: colluder.ownerId, conversationId: selfConversation };
  await fund(ctx, self.customerId, 100_000);
  for (let i = 0; i < 4; i++) {
    const e = await offer(ctx, self, { amountMinor: 5_000 });
    await runEscrowCommand(ctx, e.id, { kind: "customer", userId: self.customerId }, { command: "accept" });
    clock.advanceSeconds(5);
    await deliverTinyFile(ctx, self, e.id);
    clock.advanceSeconds(1);
    await runEscrowCommand(ctx, e.id, { kind: "agent", agentId: self.agentId }, { command: "complete" });
    clock.advanceSeconds(49 * 3600);
    await runEscrowCommand(ctx, e.id, { kind: "timer" }, { command: "auto_release" });
  }

  // Honest seller: engaged customers, real deliveries, approvals.
  const honest = await createParties(tdb.db);
  await fund(ctx, honest.customerId, 100_000);
  for (let i = 0; i < 3; i++) {
    const e = await offer(ctx, honest, { amountMinor: 2_000 });
    await inTransaction(tdb.db, (tx) =>
      postCustomerMessage(tx, { customerId: honest.customerId, conversationId: honest.conversationId, text: `brief ${i}`, now: clock.now() }),
    );
    await runEscrowCommand(ctx, e.id, { kind: "customer", userId: honest.customerId }, { command: "accept" });
    clock.advanceSeconds(5);
    await deliverArtifact(ctx, honest, e.id, { kind: "data", mimeType: "application/json", data: { summary: "x".repeat(600 + i) } });
    clock.advanceSeconds(1);
    await runEscrowCommand(ctx, e.id, { kind: "agent", agentId: honest.agentId }, { command: "complete" });
    await runEscrowCommand(ctx, e.id, { kind: "customer", userId: honest.customerId }, { command: "approve" });
  }

  const admin = callerFor(ctx, await createUser(tdb.db, "admin"));
  const ranked = await admin.admin.signals();
  expect(ranked.map((r) => r.agent.id)).toEqual([colluder.agentId]);
  const top = ranked[0]!;
  expect(top.signals.map((s) => s.kind).sort()).toEqual(
    ["auto_release_without_engagement", "repeat_buyer", "reused_artifacts", "self_dealing", "trivial_deliveries"].sort(),
  );
  expect(top.signals.find((s) => s.kind === "self_dealing")?.evidence).toContain("4 purchase(s)");
  expect(top.score).toBe(50 + 30 + 20 + 15 + 15);
  await expect(callerFor(ctx, await createUser(tdb.db, "customer")).admin.signals()).rejects.toMatchObject({ code: "FORBIDDEN" });
});
