// The ledger check on a live database: the domain's invariants over every
// account and escrow, plus one only the database can answer — each account's
// stored balance equals the sum of the transfers into and out of it.
import { checkLedgerInvariants, type LedgerViolation } from "~/domain/ledger/invariants";
import type { EscrowStatus } from "~/domain/escrow/states";
import type { Db } from "../db/client";

export interface DatabaseLedgerViolation {
  invariant: LedgerViolation["invariant"] | "balance_differs_from_transfers" | "held_differs_from_holds";
  subject: string;
  message: string;
}

export async function checkDatabaseLedger(db: Db): Promise<DatabaseLedgerViolation[]> {
  // One snapshot for all three reads, so a concurrent transfer cannot make a
  // consistent ledger look broken.
  return db.$transaction(
    async (tx) => {
      const accounts = await tx.ledgerAccount.findMany({
        select: { key: true, kind: true, currency: true, balanceMinor: true, escrowId: true },
      });
      const escrows = await tx.escrow.findMany({
        select: { id: true, status: true, amountMinor: true, currency: true },
      });
      const drift = await tx.$queryRaw<{ key: string; balance_minor: bigint; from_transfers: bigint }[]>`
        SELECT a.key, a.balance_minor,
               COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers t WHERE t.to_account_id = a.id), 0)
             - COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers t WHERE t.from_account_id = a.id), 0)
               AS from_transfers
          FROM ledger_accounts a`;
      const violations: DatabaseLedgerViolation[] = checkLedgerInvariants(
        accounts.map((a) => ({ ...a, balanceMinor: a.balanceMinor })),
        escrows.map((e) => ({
          id: e.id,
          status: e.status as EscrowStatus,
          amountMinor: Number(e.amountMinor),
          currency: e.currency,
        })),
      );
      for (const row of drift) {
        if (BigInt(row.balance_minor) !== BigInt(row.from_transfers)) {
          violations.push({
            invariant: "balance_differs_from_transfers",
            subject: row.key,
            message: `Account ${row.key} holds ${row.balance_minor} but its transfers add up to ${row.from_transfers}.`,
          });
        }
      }
      // Money held for an owner is exactly the sum of their unreleased holds.
      const heldDrift = await tx.$queryRaw<{ key: string; balance_minor: bigint; holds: bigint }[]>`
        SELECT a.key, a.balance_minor,
               COALESCE((SELECT SUM(h.amount_minor) FROM payout_holds h
                          WHERE h.owner_id = a.user_id AND h.currency = a.currency AND h.released_at IS NULL), 0) AS holds
          FROM ledger_accounts a WHERE a.kind = 'held'`;
      for (const row of heldDrift) {
        if (BigInt(row.balance_minor) !== BigInt(row.holds)) {
          violations.push({
            invariant: "held_differs_from_holds",
            subject: row.key,
            message: `Held account ${row.key} holds ${row.balance_minor} but its unreleased holds add up to ${row.holds}.`,
          });
        }
      }
      return violations;
    },
    { isolationLevel: "RepeatableRead" },
  );
}
