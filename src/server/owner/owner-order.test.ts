// The console's order page and the alert inbox's order state (issue 22 item 8), on a real database: an
// alert about a dispute names its order with the order's state now, and the owner reads that order with
// its whole conversation (their own instructions included); another owner's order is not found.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";
import { insertMessage } from "../conversations/messages";
import { inTransaction } from "../db/transaction";
import { runEscrowCommand } from "../escrow/run-command";

const tdb = databaseForThisFile();

describe("owner console: an alert's order", () => {
  it("links the dispute alert to its order, shows the order's current state, and reads the order's conversation", async () => {
    const clock = testClock();
    const ctx = testContext(tdb.db, clock);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(ctx, clock, p);
    await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "dispute", reason: "The logo is blurry" });
    await inTransaction(tdb.db, (tx) =>
      insertMessage(tx, { conversationId: p.conversationId, escrowId: escrow.id, role: "owner", text: "Offer a redraw first", createdAt: clock.now() }),
    );
    const owner = callerFor(ctx, { id: p.ownerId, email: "", displayName: "Owner", role: "owner" });

    const [alert] = await owner.owner.alerts();
    expect(alert).toMatchObject({ escrowId: escrow.id, conversationId: p.conversationId, order: { status: "disputed", amountMinor: 2_500, title: "Logo design" } });
    // The state is read now, not copied when the alert was raised.
    await runEscrowCommand(ctx, escrow.id, { kind: "agent", agentId: p.agentId }, { command: "agree_refund" });
    expect((await owner.owner.alert({ alertId: alert!.id })).order).toMatchObject({ status: "refunded" });

    const order = await owner.owner.order({ escrowId: escrow.referenceCode });
    expect(order).toMatchObject({ id: escrow.id, status: "refunded", amountMinor: 2_500, conversationId: p.conversationId, disputeReason: "The logo is blurry", defence: null });
    expect(order.transcript.some((m) => m.role === "agent" && m.artifacts.length > 0)).toBe(true);
    expect(order.transcript.find((m) => m.role === "owner")?.text).toBe("Offer a redraw first");
    for (const m of order.transcript) for (const a of m.artifacts) expect(a.url).toBe(`/api/artifacts/${a.id}`);

    const stranger = callerFor(ctx, await createUser(tdb.db, "owner"));
    await expect(stranger.owner.order({ escrowId: escrow.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const customer = callerFor(ctx, { id: p.customerId, email: "", displayName: "Customer", role: "customer" });
    await expect(customer.owner.order({ escrowId: escrow.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
