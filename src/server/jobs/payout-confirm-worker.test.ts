// A withdrawal Stripe never answered is settled by the background worker, not by the owner coming back
// to the payouts panel (issue 15): the official SDK against the local Stripe stand-in, the connection
// cut through every retry, then the worker's loop asking again with the payout's own key.
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env";
import { callerFor } from "~/server/api/root";
import { addTestFunds } from "~/server/ledger/wallet";
import { databaseForThisFile } from "~/test/db";
import { stripeHarnessForThisFile } from "~/test/stripe-harness";
import { createUser } from "~/test/users";
import { stripePayments } from "../payments/provider";
import { PAYOUT_CONFIRM_WORKER, startPayoutConfirmation } from "./payout-confirm-worker";
import { expectedWorkerNames } from "./workers";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true });
const h = stripeHarnessForThisFile(tdb);

async function until<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the payout confirmation worker", () => {
  it("confirms a payout left `submitting` (Stripe never answered) without the owner opening the panel, once", async () => {
    h.fake.balance.available.set("usd", 1_000_000);
    const owner = await createUser(tdb.db, "owner", "Olivia Owner");
    const caller = callerFor(h.ctx, owner);
    const { url } = await caller.wallet.connectPayoutAccount();
    const accountId = new URL(url).pathname.split("/").at(-1)!;
    await h.fake.finishOnboarding(accountId);
    await addTestFunds(h.ctx, owner.id, "USD", 5_000);

    // Stripe acted, but every answer (first try and the SDK's retries) was lost on the way back.
    h.fake.dropNext("POST /v1/transfers", 3, "after");
    await expect(caller.wallet.withdraw({ amount: 3_000, currency: "USD" })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    const [pending] = await tdb.db.payout.findMany({ where: { userId: owner.id } });
    expect(pending).toMatchObject({ status: "submitting" });
    const requestsBefore = h.fake.requests.length;

    const worker = startPayoutConfirmation(h.ctx, stripePayments()!, { everyMs: 50 });
    try {
      // Too recent: the worker leaves it to the withdrawal still in flight.
      await new Promise((r) => setTimeout(r, 300));
      expect(await tdb.db.payout.findUniqueOrThrow({ where: { id: pending!.id } })).toMatchObject({ status: "submitting" });
      expect(h.fake.requests.length).toBe(requestsBefore);

      h.clock.advanceSeconds(31);
      const paid = await until(async () => {
        const row = await tdb.db.payout.findUniqueOrThrow({ where: { id: pending!.id } });
        return row.status === "paid" ? row : null;
      });
      const transfers = [...h.fake.objects.values()].filter((o) => o.object === "transfer" && o.destination === accountId);
      expect(transfers).toHaveLength(1);
      expect(paid.stripeObjectId).toBe(transfers[0]!.id);
      const keys = new Set(h.fake.requests.filter((r) => r.path === "/v1/transfers").map((r) => r.idempotencyKey));
      expect([...keys]).toEqual([`payout:${pending!.id}`]);
    } finally {
      await worker.stop();
    }
    const wallet = await tdb.db.ledgerAccount.findUnique({ where: { key: `wallet:${owner.id}:USD` } });
    expect(Number(wallet?.balanceMinor)).toBe(2_000);
  });

  it("is one of the workers readiness expects when, and only when, Stripe is configured", () => {
    const base = { DATABASE_URL: "postgres://x@localhost/x", NEXTAUTH_SECRET: "x".repeat(32) };
    const withStripe = { ...base, STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET };
    expect(expectedWorkerNames(parseEnv({ ...base, NODE_ENV: "test" }))).not.toContain(PAYOUT_CONFIRM_WORKER);
    expect(expectedWorkerNames(parseEnv({ ...withStripe, NODE_ENV: "test" }))).toContain(PAYOUT_CONFIRM_WORKER);
  });
});
