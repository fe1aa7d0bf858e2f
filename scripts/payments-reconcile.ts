// `npm run payments:reconcile -- [--since YYYY-MM-DD]` (issue 15): compares Stripe's record of the money
// Holdfast moved (card payments, owner transfers and reversals, refunds, lost chargebacks) since the date
// (default: 30 days ago) with the ledger's external movements, prints every mismatch and exits 1 on any.
// Needs STRIPE_SECRET_KEY (and the database: DATABASE_URL, or the embedded one).
import { env } from "../src/env";
import { describeMismatch } from "../src/domain/payments/reconcile";
import { withDatabaseUrl } from "../src/server/db/database-url";
import { createDb } from "../src/server/db/client";
import { reconcileWithStripe } from "../src/server/payments/reconcile";
import { stripePaymentsFromEnv } from "../src/server/payments/settings";

const DAY_MS = 24 * 3600 * 1000;

function sinceFromArgs(args: string[]): Date {
  const at = args.indexOf("--since");
  if (at === -1) return new Date(Date.now() - 30 * DAY_MS);
  const value = args[at + 1] ?? "";
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    console.error(`payments:reconcile: --since needs a date such as 2026-11-01, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return date;
}

const since = sinceFromArgs(process.argv.slice(2));
const payments = stripePaymentsFromEnv(env());
if (!payments) {
  console.error("payments:reconcile: STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are not set; there is nothing to reconcile.");
  process.exit(2);
}

const mismatches = await withDatabaseUrl(async (url) => {
  const db = createDb(url, { maxConnections: 2 });
  try {
    return await reconcileWithStripe(db, payments.stripe, since);
  } finally {
    await db.$disconnect();
  }
});

if (mismatches.length === 0) {
  console.log(`payments:reconcile passed: Stripe and the ledger agree on every movement since ${since.toISOString()}.`);
  process.exit(0);
}
console.error(`payments:reconcile FAILED with ${mismatches.length} mismatch(es) since ${since.toISOString()}:`);
for (const m of mismatches) console.error(`  [${m.problem}] ${describeMismatch(m)}`);
process.exit(1);
