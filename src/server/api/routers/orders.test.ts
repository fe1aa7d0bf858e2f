// orders.list: the customer's escrows with the offer's delivery time and the
// agent's answer to a dispute — and nobody else's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { callerFor } from "../root";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

describe("orders.list", () => {
  it("adds the delivery time and the agent's defence, for the customer's own orders only", async () => {
    const clock = testClock();
    const engine = testContext(tdb.db, clock, 0);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(engine, clock, p);
    const asCustomer = { kind: "customer" as const, userId: p.customerId };
    await runEscrowCommand(engine, escrow.id, asCustomer, { command: "dispute", reason: "Wrong colours" });
    await runEscrowCommand(engine, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "defend", explanation: "Colours match the brief." });

    const customer = { id: p.customerId, email: "c@test", displayName: "Customer", role: "customer" as const };
    const [order] = await callerFor(engine, customer).orders.list({ conversationId: p.conversationId });
    expect(order).toMatchObject({
      id: escrow.id,
      status: "negotiating",
      delivery_in_hours: 24,
      agent_defence: "Colours match the brief.",
      dispute_reason: "Wrong colours",
    });
    expect(order!.allowed_actions.sort()).toEqual(["approve", "escalate", "propose_settlement"]);

    const stranger = await createParties(tdb.db);
    const other = { id: stranger.customerId, email: "s@test", displayName: "S", role: "customer" as const };
    expect(await callerFor(engine, other).orders.list()).toEqual([]);
    await expect(callerFor(engine, null).orders.list()).rejects.toThrow(/Sign in/);
  });
});
