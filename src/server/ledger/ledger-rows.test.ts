// The two ledger invariants PostgreSQL sums for the periodic check (check.ts: balances against transfers,
// held accounts against unreleased holds) are stated in the domain over rows (checkTransferTotals,
// checkHeldAgainstHolds). Here both run over the same database — clean, then broken one way after
// another — and must find exactly the same violations, word for word.
import { expect, it } from "vitest";
import { checkHeldAgainstHolds, checkTransferTotals, type LedgerViolation } from "~/domain/ledger/invariants";
import { DEFAULT_TIER_POLICIES } from "~/domain/risk";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import type { Db } from "../db/client";
import { runEscrowCommand } from "../escrow/run-command";
import { newId } from "../ids";
import { checkDatabaseLedger, readAccounts } from "./check";

const tdb = databaseForThisFile();

const RECONCILED = new Set(["balance_differs_from_transfers", "held_differs_from_holds"]);
const sorted = (violations: LedgerViolation[]) => [...violations].sort((a, b) => `${a.invariant}${a.subject}`.localeCompare(`${b.invariant}${b.subject}`));

/** The domain's statement over every row, read out of the database. */
async function fromRows(db: Db): Promise<LedgerViolation[]> {
  const accounts = await readAccounts(db);
  const transfers = await db.ledgerTransfer.findMany({
    select: { amountMinor: true, fromAccount: { select: { key: true } }, toAccount: { select: { key: true } } },
  });
  const holds = await db.payoutHold.findMany({ select: { ownerId: true, currency: true, amountMinor: true, releasedAt: true } });
  return [
    ...checkTransferTotals(accounts, transfers.map((t) => ({ fromKey: t.fromAccount.key, toKey: t.toAccount.key, amountMinor: t.amountMinor }))),
    ...checkHeldAgainstHolds(accounts, holds.map((h) => ({ ...h, released: h.releasedAt !== null }))),
  ];
}

async function bothPaths(db: Db) {
  const fast = (await checkDatabaseLedger(db)).filter((v) => RECONCILED.has(v.invariant));
  return { fast: sorted(fast), rows: sorted(await fromRows(db)) };
}

it("the SQL fast path and the domain's statement over rows find the same violations", async () => {
  const clock = testClock();
  const ctx = testContext(tdb.db, clock, 1000, DEFAULT_TIER_POLICIES);
  const p = await createParties(tdb.db);
  const released = await deliveredEscrow(ctx, clock, p, 2_000); // a new agent: its payout is held
  await runEscrowCommand(ctx, released.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
  const refunded = await deliveredEscrow(ctx, clock, p, 1_000);
  await runEscrowCommand(ctx, refunded.id, { kind: "customer", userId: p.customerId }, { command: "dispute", reason: "Wrong" });
  await runEscrowCommand(ctx, refunded.id, { kind: "agent", agentId: p.agentId }, { command: "agree_refund" });
  expect(await tdb.db.payoutHold.count()).toBe(1);

  expect(await bothPaths(tdb.db)).toEqual({ fast: [], rows: [] });

  // A balance written without a transfer.
  const wallet = await tdb.db.ledgerAccount.findFirstOrThrow({ where: { userId: p.customerId, kind: "wallet" } });
  await tdb.db.ledgerAccount.update({ where: { id: wallet.id }, data: { balanceMinor: { increment: 7n } } });
  let both = await bothPaths(tdb.db);
  expect(both.fast.map((v) => [v.invariant, v.subject])).toEqual([["balance_differs_from_transfers", wallet.key]]);
  expect(both.rows).toEqual(both.fast);

  // A hold marked released with the money still held.
  await tdb.db.payoutHold.updateMany({ data: { releasedAt: clock.now() } });
  both = await bothPaths(tdb.db);
  expect(both.fast.map((v) => v.invariant)).toEqual(["balance_differs_from_transfers", "held_differs_from_holds"]);
  expect(both.rows).toEqual(both.fast);

  // A transfer recorded that moved no balance.
  const held = await tdb.db.ledgerAccount.findFirstOrThrow({ where: { kind: "held" } });
  await tdb.db.ledgerTransfer.create({
    data: { id: newId("trf"), operationKey: `rogue:${newId("trf")}`, kind: "hold_release", fromAccountId: held.id, toAccountId: wallet.id, amountMinor: 5n, currency: "USD" },
  });
  both = await bothPaths(tdb.db);
  expect(both.fast).toHaveLength(3);
  expect(both.rows).toEqual(both.fast);
  expect(both.fast.map((v) => v.message)).toContain(`Account ${held.key} holds ${held.balanceMinor} but its transfers add up to ${held.balanceMinor - 5n}.`);
});
