// The ledger check on a live database: the domain's invariants (src/domain/ledger/invariants.ts) over
// every account and escrow, plus the two that compare balances with the records behind them — each
// account's balance equals the sum of its transfers, each held account the sum of its owner's unreleased
// holds. Those two are stated in the domain over rows (checkTransferTotals, checkHeldAgainstHolds); here
// PostgreSQL sums them in two queries (the fast path: no transfer or hold row leaves the database), and
// the domain words each difference. ledger-rows.test.ts checks both paths find the same violations.
import {
  balanceAgainstTransfers, checkLedgerInvariants, heldAgainstHolds, type AccountBalance, type LedgerViolation,
} from "~/domain/ledger/invariants";
import type { EscrowStatus } from "~/domain/escrow/states";
import type { Db } from "../db/client";
import type { Tx } from "../db/transaction";

export type DatabaseLedgerViolation = LedgerViolation;

export async function checkDatabaseLedger(db: Db): Promise<DatabaseLedgerViolation[]> {
  // One snapshot for all reads, so a concurrent transfer cannot make a consistent ledger look broken.
  return db.$transaction(
    async (tx) => {
      const accounts = await readAccounts(tx);
      const escrows = await tx.escrow.findMany({ select: { id: true, status: true, amountMinor: true, currency: true } });
      const violations: DatabaseLedgerViolation[] = checkLedgerInvariants(
        accounts,
        escrows.map((e) => ({ id: e.id, status: e.status as EscrowStatus, amountMinor: Number(e.amountMinor), currency: e.currency })),
      );
      for (const row of await transferTotals(tx)) {
        const violation = balanceAgainstTransfers({ key: row.key, balanceMinor: row.balance_minor }, BigInt(row.from_transfers));
        if (violation) violations.push(violation);
      }
      for (const row of await unreleasedHoldTotals(tx)) {
        const violation = heldAgainstHolds({ key: row.key, balanceMinor: row.balance_minor }, BigInt(row.holds));
        if (violation) violations.push(violation);
      }
      return violations;
    },
    { isolationLevel: "RepeatableRead" },
  );
}

export function readAccounts(tx: Tx): Promise<AccountBalance[]> {
  return tx.ledgerAccount.findMany({ select: { key: true, kind: true, currency: true, balanceMinor: true, escrowId: true } });
}

/** Each account's balance beside what its transfers add up to (in minus out). */
function transferTotals(tx: Tx) {
  return tx.$queryRaw<{ key: string; balance_minor: bigint; from_transfers: bigint }[]>`
    SELECT a.key, a.balance_minor,
           COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers t WHERE t.to_account_id = a.id), 0)
         - COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers t WHERE t.from_account_id = a.id), 0)
           AS from_transfers
      FROM ledger_accounts a`;
}

/** Each held account's balance beside its owner's unreleased holds in its currency. */
function unreleasedHoldTotals(tx: Tx) {
  return tx.$queryRaw<{ key: string; balance_minor: bigint; holds: bigint }[]>`
    SELECT a.key, a.balance_minor,
           COALESCE((SELECT SUM(h.amount_minor) FROM payout_holds h
                      WHERE h.owner_id = a.user_id AND h.currency = a.currency AND h.released_at IS NULL), 0) AS holds
      FROM ledger_accounts a WHERE a.kind = 'held'`;
}
