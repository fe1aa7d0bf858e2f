// A proposal nobody can accept any more is closed in the record, not left "open" (issue 22 item 4):
// once either side escalates, or the negotiation times out, the open proposal is superseded — in the
// database, in the agent API's view and for the customer's chat.
import { describe, expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { drainDueTimers } from "../jobs/scheduler";
import { customerEscrow } from "./customer-view";
import { runEscrowCommand } from "./run-command";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });

async function negotiatingWithProposal() {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock);
  const p = await createParties(tdb.db);
  const escrow = await deliveredEscrow(ctx, clock, p);
  const customer = { kind: "customer" as const, userId: p.customerId };
  const agent = { kind: "agent" as const, agentId: p.agentId };
  await runEscrowCommand(ctx, escrow.id, customer, { command: "dispute", reason: "The logo is the wrong colour." });
  await runEscrowCommand(ctx, escrow.id, agent, { command: "defend", explanation: "It matches the brief." });
  await runEscrowCommand(ctx, escrow.id, agent, { command: "propose_settlement", refundAmountMinor: 1_000 });
  expect(await tdb.db.settlement.findMany({ where: { escrowId: escrow.id } })).toEqual([expect.objectContaining({ status: "open" })]);
  return { ctx, clock, p, escrow, customer };
}

describe("an open proposal when negotiation ends", () => {
  it("escalating to a moderator supersedes it", async () => {
    const { ctx, p, escrow, customer } = await negotiatingWithProposal();
    await runEscrowCommand(ctx, escrow.id, customer, { command: "escalate" });
    const rows = await tdb.db.settlement.findMany({ where: { escrowId: escrow.id } });
    expect(rows.map((r) => r.status)).toEqual(["superseded"]);
    const view = await customerEscrow(ctx, p.customerId, escrow.id);
    expect(view).toMatchObject({ status: "admin_review", settlements: [expect.objectContaining({ status: "superseded" })] });
  });

  it("the negotiation timing out supersedes it", async () => {
    const { ctx, clock, escrow } = await negotiatingWithProposal();
    clock.advanceSeconds(60 * 24 * 3600);
    await drainDueTimers(ctx, 1);
    expect(await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).toMatchObject({ status: "admin_review" });
    expect((await tdb.db.settlement.findMany({ where: { escrowId: escrow.id } })).map((r) => r.status)).toEqual(["superseded"]);
  });
});
