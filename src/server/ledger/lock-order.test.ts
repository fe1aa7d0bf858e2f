// Every writer of ledger accounts locks them in key order (issue 20: a timer batch locks its accounts by
// key before its first firing, a transition's write statement upserts them by key): a transfer posted on
// its own (a hold's release, a top-up, the evaluator's fee) must too, or it deadlocks against a batch —
// it used to lock its two rows in the order of their random ids.
import { expect, it } from "vitest";
import { databaseForThisFile } from "~/test/db";
import { walletKey } from "~/domain/ledger/accounts";
import { createParties } from "~/test/engine-fixtures";
import { statementLoggingDb } from "~/test/statement-log";
import { inTransaction } from "../db/transaction";
import { postTransfer } from "./ledger";

const tdb = databaseForThisFile();

it.each([
  ["the credited account's key sorts first, its id last", "credited first" as const, ["credit", "debit"]],
  ["the debited account's key sorts first, its id last", "debited first" as const, ["debit", "credit"]],
])("a transfer locks its two accounts in key order: %s", async (_label, keyOrder, expected) => {
  const p = await createParties(tdb.db);
  const [lo, hi] = [p.customerId, p.ownerId].sort() as [string, string];
  // Ids in the opposite order of the keys: the old rule (id order) locks the other account first.
  const [fromUser, toUser] = keyOrder === "credited first" ? [hi, lo] : [lo, hi];
  const [fromKey, toKey] = [walletKey(fromUser, "USD"), walletKey(toUser, "USD")];
  const [fromId, toId] = fromKey < toKey ? ["acc_zzzz" + lo, "acc_aaaa" + lo] : ["acc_aaaa" + lo, "acc_zzzz" + lo];
  await tdb.db.$executeRaw`
    INSERT INTO ledger_accounts (id, key, kind, currency, user_id, balance_minor, updated_at)
    VALUES (${fromId}, ${fromKey}, 'wallet', 'USD', ${fromUser}, 500, now()), (${toId}, ${toKey}, 'wallet', 'USD', ${toUser}, 0, now())`;
  const log = statementLoggingDb(tdb.url);
  try {
    const result = await inTransaction(log.db, (tx) =>
      postTransfer(tx, {
        operationKey: `test:${fromKey}`,
        kind: "payout",
        from: { key: fromKey, kind: "wallet", currency: "USD", userId: fromUser },
        to: { key: toKey, kind: "wallet", currency: "USD", userId: toUser },
        amountMinor: 200,
        currency: "USD",
      }),
    );
    expect(result.status).toBe("posted");
    const moves = log.statements
      .filter((s) => /UPDATE ledger_accounts SET balance_minor = balance_minor [-+]/.test(s))
      .map((s) => (/balance_minor - /.test(s) ? "debit" : "credit"));
    expect(moves).toEqual(expected);
  } finally {
    await log.close();
  }
});
