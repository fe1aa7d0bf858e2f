// `npm run ledger:check`: verifies every ledger invariant of SPEC §3.3 on the
// configured database (DATABASE_URL, or the embedded one) and exits non-zero,
// naming each violation, if any fails.
import { withDatabaseUrl } from "../src/server/db/database-url";
import { createDb } from "../src/server/db/client";
import { checkDatabaseLedger } from "../src/server/ledger/check";

const violations = await withDatabaseUrl(async (url) => {
  const db = createDb(url, { maxConnections: 2 });
  try {
    return await checkDatabaseLedger(db);
  } catch (error) {
    if ((error as { code?: string }).code === "P2021") {
      console.error("ledger:check: this database has no Holdfast tables. Run `npm run db:migrate` first.");
      process.exit(2);
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
});

if (violations.length === 0) {
  console.log("ledger:check passed: all accounts balance, no wallet is negative, every escrow account matches its state.");
  process.exit(0);
}
console.error(`ledger:check FAILED with ${violations.length} violation(s):`);
for (const v of violations) console.error(`  [${v.invariant}] ${v.message}`);
process.exit(1);
