// Issue 15 item 6: `npm run payments:reconcile` run as a deployment runs it (the script, in its own
// process, with the database URL and the Stripe key), against the Stripe stand-in after real flows.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { callerFor } from "~/server/api/root";
import { databaseForThisFile } from "~/test/db";
import { stripeHarnessForThisFile } from "~/test/stripe-harness";
import { createUser } from "~/test/users";
import { addTestFunds } from "../ledger/wallet";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });
const h = stripeHarnessForThisFile(tdb);

async function reconcile(): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    DATABASE_URL: tdb.url,
    STRIPE_SECRET_KEY: h.fake.secretKey,
    STRIPE_WEBHOOK_SECRET: h.fake.webhookSecret,
    HOLDFAST_STRIPE_API_URL: h.fake.url,
    HOLDFAST_LOG_LEVEL: "silent",
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/payments-reconcile.ts", "--since", "2020-01-01"], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("payments:reconcile", () => {
  it("exits 0 after card payments, a withdrawal, a reversal and a refund; reports a seeded mismatch and exits 1", async () => {
    const customer = await createUser(tdb.db, "customer");
    await h.cardTopUp(customer, 4_000);
    await callerFor(h.ctx, customer).wallet.returnToCard({ amount: 1_000, currency: "USD" });
    const owner = await createUser(tdb.db, "owner");
    const { url } = await callerFor(h.ctx, owner).wallet.connectPayoutAccount();
    await h.fake.finishOnboarding(new URL(url).pathname.split("/").at(-1)!);
    await addTestFunds(h.ctx, owner.id, "USD", 5_000);
    h.fake.balance.available.set("usd", 100_000);
    const kept = await callerFor(h.ctx, owner).wallet.withdraw({ amount: 2_000, currency: "USD" });
    const reversed = await callerFor(h.ctx, owner).wallet.withdraw({ amount: 1_500, currency: "USD" });
    const reversedRow = await tdb.db.payout.findUniqueOrThrow({ where: { id: reversed.id } });
    await h.fake.reverseTransfer(reversedRow.stripeObjectId!);

    const clean = await reconcile();
    expect(clean.stderr).toBe("");
    expect(clean.stdout).toMatch(/payments:reconcile passed/);
    expect(clean.code).toBe(0);

    // Seeded: a payment Stripe took whose webhook never arrived, and a transfer Stripe records differently.
    const started = await callerFor(h.ctx, customer).wallet.startCardPayment({ purpose: "wallet", amount: 777, currency: "USD" });
    const lost = await h.fake.pay(started.checkoutUrl.split("/").at(-1)!, { deliver: false });
    const keptRow = await tdb.db.payout.findUniqueOrThrow({ where: { id: kept.id } });
    h.fake.objects.get(keptRow.stripeObjectId!)!.amount = 2_001;

    const dirty = await reconcile();
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toContain("FAILED with 2 mismatch(es)");
    expect(dirty.stderr).toContain(`[missing_in_ledger] missing in the ledger: Stripe has payment ${lost.paymentIntentId} 777 USD`);
    expect(dirty.stderr).toContain(`[amount_differs] amount differs for transfer ${keptRow.stripeObjectId}: Stripe 2001, ledger 2000 USD`);
  }, 120_000);
});
