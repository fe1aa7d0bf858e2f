// `npm run ledger:check` against a real database: passes on a consistent
// ledger, and on a corrupted one exits non-zero naming each violation.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { activeEscrow, createParties, testClock, testContext } from "~/test/engine-fixtures";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

function ledgerCheck() {
  return spawnSync("npx", ["--no-install", "tsx", "scripts/ledger-check.ts"], {
    env: { ...process.env, DATABASE_URL: tdb.url },
    encoding: "utf8",
  });
}

it("passes on a consistent ledger and names each violation on a corrupted one", async () => {
  const ctx = testContext(tdb.db, testClock());
  const p = await createParties(tdb.db);
  const escrow = await activeEscrow(ctx, p, 2_500);

  const ok = ledgerCheck();
  expect(ok.stdout).toContain("ledger:check passed");
  expect(ok.status).toBe(0);

  // Money appears from nowhere in a wallet, and the escrow account loses some.
  await tdb.db.$executeRaw`UPDATE ledger_accounts SET balance_minor = balance_minor + 7 WHERE user_id = ${p.customerId}`;
  await tdb.db.$executeRaw`UPDATE ledger_accounts SET balance_minor = balance_minor - 100 WHERE escrow_id = ${escrow.id}`;
  const broken = ledgerCheck();
  expect(broken.status).toBe(1);
  expect(broken.stderr).toContain("[currency_sum_nonzero]");
  expect(broken.stderr).toContain("[funded_escrow_mismatch]");
  expect(broken.stderr).toContain("[balance_differs_from_transfers]");
}, 60_000);
