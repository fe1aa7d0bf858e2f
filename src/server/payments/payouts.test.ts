// Issue 15 item 3: owners withdraw their available balance to a Stripe Connect Express account. The
// owner's procedures (tRPC), the official SDK against the local Stripe stand-in, the hosted onboarding
// page, and Connect / transfer webhooks signed as Stripe signs them, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TIER_POLICIES } from "~/domain/risk";
import { callerFor } from "~/server/api/root";
import type { SessionUser } from "~/server/auth/session-user";
import { serveFetchHandler, type RunningServer } from "~/server/agent-api/node-server";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { addTestFunds } from "~/server/ledger/wallet";
import { databaseForThisFile } from "~/test/db";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { startFakeStripe, type FakeStripe } from "~/test/fake-stripe";
import { createUser } from "~/test/users";
import type { EngineContext } from "../context";
import { stripePayments } from "./provider";
import { handleStripeWebhook } from "./webhook";

const tdb = databaseForThisFile({ ledgerBalancedAfter: true, maxConnections: 30 });
let fake: FakeStripe;
let hook: RunningServer;
let ctx: EngineContext;
const clock = testClock(new Date());

beforeAll(async () => {
  fake = await startFakeStripe();
  process.env.STRIPE_SECRET_KEY = fake.secretKey;
  process.env.STRIPE_WEBHOOK_SECRET = fake.webhookSecret;
  process.env.HOLDFAST_STRIPE_API_URL = fake.url;
  process.env.HOLDFAST_BASE_URL = "http://localhost:3000";
  ctx = testContext(tdb.db, clock, 0);
  hook = await serveFetchHandler((request) => handleStripeWebhook(request, ctx, stripePayments()));
  fake.setWebhookEndpoint(`${hook.url}/api/stripe/webhook`);
  // The platform's Stripe balance: customers paid by card and the funds settled.
  fake.balance.available.set("usd", 10_000_000);
});
afterAll(async () => {
  await hook.close();
  await fake.close();
});

async function walletMinor(userId: string, kind: "wallet" | "held" = "wallet"): Promise<number> {
  const a = await tdb.db.ledgerAccount.findUnique({ where: { key: `${kind}:${userId}:USD` } });
  return Number(a?.balanceMinor ?? 0n);
}

const transfersTo = (accountId: string) => [...fake.objects.values()].filter((o) => o.object === "transfer" && o.destination === accountId);

/** An owner whose payout account finished onboarding, with `walletMinor` available. */
async function readyOwner(available: number): Promise<{ owner: SessionUser; accountId: string }> {
  const owner = await createUser(tdb.db, "owner", "Olivia Owner");
  const caller = callerFor(ctx, owner);
  const { url } = await caller.wallet.connectPayoutAccount();
  const accountId = new URL(url).pathname.split("/").at(-1)!;
  await fake.finishOnboarding(accountId);
  if (available) await addTestFunds(ctx, owner.id, "USD", available);
  return { owner, accountId };
}

describe("connecting a payout account", () => {
  it("not connected → pending (Express account, onboarding link) → ready when Stripe says payouts are enabled", async () => {
    const owner = await createUser(tdb.db, "owner", "Olivia Owner");
    const caller = callerFor(ctx, owner);
    expect(await caller.wallet.payouts()).toEqual({ enabled: true, account: "not_connected", payouts: [] });

    const first = await caller.wallet.connectPayoutAccount();
    expect(first.url.startsWith(`${fake.url}/connect/acct_`)).toBe(true);
    const accountId = new URL(first.url).pathname.split("/").at(-1)!;
    expect(fake.objects.get(accountId)).toMatchObject({ type: "express", email: owner.email, metadata: { holdfast_user_id: owner.id } });
    expect((await caller.wallet.payouts()).account).toBe("pending");
    // A second click makes a new link for the same account.
    const second = await caller.wallet.connectPayoutAccount();
    expect(new URL(second.url).pathname).toBe(`/connect/${accountId}`);
    expect(fake.requests.filter((r) => r.path === "/v1/accounts" && r.idempotencyKey === `connect-account:${owner.id}`)).toHaveLength(1);

    await addTestFunds(ctx, owner.id, "USD", 1000);
    await expect(caller.wallet.withdraw({ amount: 500, currency: "USD" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/being verified/) });
    expect(await walletMinor(owner.id)).toBe(1000);

    // Stripe's onboarding page, then back to the console; account.updated arrives signed.
    expect((await fetch(first.url)).status).toBe(200);
    const back = await fetch(first.url, { method: "POST", redirect: "manual" });
    expect(back.headers.get("location")).toBe("http://localhost:3000/owner/earnings?payouts=return");
    expect(fake.deliveries.find((d) => d.type === "account.updated")?.status).toBe(200);
    expect((await caller.wallet.payouts()).account).toBe("ready");
    expect(await caller.wallet.refreshPayoutAccount()).toEqual({ account: "ready" });
  });

  it("is for owners only: a customer is refused before anything reaches Stripe", async () => {
    const customer = await createUser(tdb.db, "customer");
    const before = fake.requests.length;
    await expect(callerFor(ctx, customer).wallet.connectPayoutAccount()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(ctx, customer).wallet.withdraw({ amount: 100, currency: "USD" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(fake.requests.length).toBe(before);
  });
});

describe("withdrawals", () => {
  it("moves the available balance only (held payouts stay held), exact to the minor unit, keyed by one operation id", async () => {
    // A new agent's sale, released into the owner's held account (the default tiers hold payouts).
    const clock = testClock(new Date());
    const holdCtx = testContext(tdb.db, clock, 0, DEFAULT_TIER_POLICIES);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(holdCtx, clock, p, 5_000);
    await runEscrowCommand(holdCtx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "approve" });
    const row = await tdb.db.user.findUniqueOrThrow({ where: { id: p.ownerId } });
    const owner: SessionUser = { id: row.id, email: row.email, displayName: row.displayName, role: row.role };
    const { url } = await callerFor(ctx, owner).wallet.connectPayoutAccount();
    const accountId = new URL(url).pathname.split("/").at(-1)!;
    await fake.finishOnboarding(accountId);
    await addTestFunds(ctx, owner.id, "USD", 10_001);
    expect(await walletMinor(owner.id, "held")).toBe(5_000);

    const caller = callerFor(ctx, owner);
    await expect(caller.wallet.withdraw({ amount: 10_002, currency: "USD" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    expect(transfersTo(accountId)).toHaveLength(0);

    const payout = await caller.wallet.withdraw({ amount: 6_001, currency: "USD" });
    expect(payout).toMatchObject({ amountMinor: 6_001, currency: "USD", status: "paid" });
    expect(await walletMinor(owner.id)).toBe(4_000);
    expect(await walletMinor(owner.id, "held")).toBe(5_000);
    const [transfer] = transfersTo(accountId);
    expect(transfer).toMatchObject({ amount: 6_001, currency: "usd", metadata: { holdfast_payout_id: payout.id } });
    expect(fake.requests.find((r) => r.path === "/v1/transfers" && r.status === 200 && r.idempotencyKey === `payout:${payout.id}`)).toBeTruthy();
    expect(await tdb.db.ledgerTransfer.findUnique({ where: { operationKey: `payout:${payout.id}` } })).toMatchObject({ kind: "payout", amountMinor: 6_001n });
  });

  it("20 concurrent withdrawals of 60 % of the available balance: exactly one succeeds, one Stripe transfer", async () => {
    const { owner, accountId } = await readyOwner(10_000);
    const caller = callerFor(ctx, owner);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => caller.wallet.withdraw({ amount: 6_000, currency: "USD" })));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const lost of results.filter((r) => r.status === "rejected")) {
      expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringMatching(/Insufficient funds/) });
    }
    expect(await walletMinor(owner.id)).toBe(4_000);
    expect(transfersTo(accountId)).toHaveLength(1);
    expect(await tdb.db.payout.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("Stripe answering 500 then success with the same idempotency key makes one transfer", async () => {
    const { owner, accountId } = await readyOwner(3_000);
    fake.failNext("POST /v1/transfers", 500, 1);
    const payout = await callerFor(ctx, owner).wallet.withdraw({ amount: 3_000, currency: "USD" });
    expect(payout.status).toBe("paid");
    const attempts = fake.requests.filter((r) => r.path === "/v1/transfers" && r.idempotencyKey === `payout:${payout.id}`);
    expect(attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(transfersTo(accountId)).toHaveLength(1);
    expect(await walletMinor(owner.id)).toBe(0);
  });

  it("a refused transfer (platform funds still pending) is compensated and the owner is told", async () => {
    const { owner, accountId } = await readyOwner(2_500);
    const available = fake.balance.available.get("usd")!;
    fake.balance.available.set("usd", 1_000);
    try {
      await expect(callerFor(ctx, owner).wallet.withdraw({ amount: 2_500, currency: "USD" })).rejects.toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: expect.stringMatching(/not available yet.*back in your wallet/),
      });
    } finally {
      fake.balance.available.set("usd", available);
    }
    expect(await walletMinor(owner.id)).toBe(2_500);
    expect(transfersTo(accountId)).toHaveLength(0);
    const [row] = (await callerFor(ctx, owner).wallet.payouts()).payouts;
    expect(row).toMatchObject({ status: "failed", amountMinor: 2_500 });
    expect(await tdb.db.ledgerTransfer.findUnique({ where: { operationKey: `payout:${row!.id}:reversal` } })).toMatchObject({ kind: "payout_reversal" });
  });

  it("Stripe failing through every retry: compensated, nothing transferred", async () => {
    const { owner, accountId } = await readyOwner(1_500);
    fake.failNext("POST /v1/transfers", 503, 3);
    await expect(callerFor(ctx, owner).wallet.withdraw({ amount: 1_500, currency: "USD" })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(await walletMinor(owner.id)).toBe(1_500);
    expect(transfersTo(accountId)).toHaveLength(0);
  });

  it("a reversed transfer (transfer.reversed) is compensated once, and the balance is restored", async () => {
    const { owner, accountId } = await readyOwner(7_000);
    const caller = callerFor(ctx, owner);
    const payout = await caller.wallet.withdraw({ amount: 7_000, currency: "USD" });
    expect(await walletMinor(owner.id)).toBe(0);
    const [transfer] = transfersTo(accountId);
    await fake.reverseTransfer(transfer!.id);
    expect(await walletMinor(owner.id)).toBe(7_000);
    expect((await caller.wallet.payouts()).payouts[0]).toMatchObject({ id: payout.id, status: "reversed" });
    const reversed = fake.events.filter((e) => e.type === "transfer.reversed").at(-1)!;
    expect(await fake.deliver(reversed, { times: 3 })).toEqual([200, 200, 200]);
    expect(await walletMinor(owner.id)).toBe(7_000);
    expect(await tdb.db.ledgerTransfer.count({ where: { operationKey: { startsWith: `payout:${payout.id}` } } })).toBe(2);
  });

  it("a transfer reversed in parts returns each part once; the last part marks the payout reversed", async () => {
    const { owner, accountId } = await readyOwner(7_000);
    const caller = callerFor(ctx, owner);
    const payout = await caller.wallet.withdraw({ amount: 7_000, currency: "USD" });
    const [transfer] = transfersTo(accountId);
    await fake.reverseTransfer(transfer!.id, 3_000);
    expect(await walletMinor(owner.id)).toBe(3_000);
    expect((await caller.wallet.payouts()).payouts[0]).toMatchObject({ id: payout.id, status: "paid" });
    const first = fake.events.filter((e) => e.type === "transfer.reversed").at(-1)!;
    expect(await fake.deliver(first, { times: 3 })).toEqual([200, 200, 200]);
    expect(await walletMinor(owner.id)).toBe(3_000);

    await fake.reverseTransfer(transfer!.id);
    expect(await walletMinor(owner.id)).toBe(7_000);
    expect((await caller.wallet.payouts()).payouts[0]).toMatchObject({ id: payout.id, status: "reversed" });
    // A late redelivery of the first part changes nothing.
    expect(await fake.deliver(first)).toEqual([200]);
    expect(await walletMinor(owner.id)).toBe(7_000);
    expect(await tdb.db.ledgerTransfer.count({ where: { operationKey: { startsWith: `payout:${payout.id}:reversal` } } })).toBe(2);
  });

  for (const when of ["before", "after"] as const) {
    it(`no answer from Stripe (connection cut ${when} it acted, through every retry): reserved, then confirmed once with the same key`, async () => {
      const { owner, accountId } = await readyOwner(4_000);
      const caller = callerFor(ctx, owner);
      fake.dropNext("POST /v1/transfers", 3, when);
      await expect(caller.wallet.withdraw({ amount: 4_000, currency: "USD" })).rejects.toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        message: expect.stringMatching(/could not be confirmed.*nothing is sent twice/),
      });
      // Not compensated on a guess: the money stays reserved while Stripe may have sent it.
      expect(await walletMinor(owner.id)).toBe(0);
      expect(transfersTo(accountId)).toHaveLength(when === "after" ? 1 : 0);
      const [pending] = (await tdb.db.payout.findMany({ where: { userId: owner.id } }));
      expect(pending).toMatchObject({ status: "submitting" });

      clock.advanceSeconds(31);
      const view = await caller.wallet.payouts();
      expect(view.payouts[0]).toMatchObject({ id: pending!.id, status: "paid" });
      expect(transfersTo(accountId)).toHaveLength(1);
      expect(await walletMinor(owner.id)).toBe(0);
      const keys = new Set(fake.requests.filter((r) => r.path === "/v1/transfers" && r.idempotencyKey?.includes(pending!.id)).map((r) => r.idempotencyKey));
      expect([...keys]).toEqual([`payout:${pending!.id}`]);
    });
  }
});

describe("a withdrawal sent again with its request key (a double submit, a retry after a lost answer)", () => {
  it("8 concurrent sends of one withdrawal with one key: one payout, one transfer, every answer names it", async () => {
    const { owner, accountId } = await readyOwner(10_000);
    const caller = callerFor(ctx, owner);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => caller.wallet.withdraw({ amount: 3_000, currency: "USD", requestKey: "withdraw-7f3a" })),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    // The first run asks Stripe; a repeat that arrives while it is asking answers "on its way" (submitting)
    // rather than race it; one that arrives after, "paid".
    for (const a of answers) expect(a).toMatchObject({ amountMinor: 3_000, status: expect.stringMatching(/^(paid|submitting)$/) });
    expect(answers.some((a) => a.status === "paid")).toBe(true);
    expect(await tdb.db.payout.findMany({ where: { userId: owner.id }, select: { status: true } })).toEqual([{ status: "paid" }]);
    expect(transfersTo(accountId)).toHaveLength(1);
    expect(await walletMinor(owner.id)).toBe(7_000);

    // Sent again later: the same answer, nothing moves; another key is another withdrawal.
    expect(await caller.wallet.withdraw({ amount: 3_000, currency: "USD", requestKey: "withdraw-7f3a" })).toEqual(answers.find((a) => a.status === "paid"));
    expect(await walletMinor(owner.id)).toBe(7_000);
    await caller.wallet.withdraw({ amount: 3_000, currency: "USD", requestKey: "withdraw-8b1c" });
    expect(await walletMinor(owner.id)).toBe(4_000);
    expect(transfersTo(accountId)).toHaveLength(2);
  });

  it("the same key for another amount is refused, and nothing moves", async () => {
    const { owner, accountId } = await readyOwner(5_000);
    const caller = callerFor(ctx, owner);
    await caller.wallet.withdraw({ amount: 1_000, currency: "USD", requestKey: "k-amount" });
    await expect(caller.wallet.withdraw({ amount: 2_000, currency: "USD", requestKey: "k-amount" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/request key was already used with a different request/),
    });
    expect(await walletMinor(owner.id)).toBe(4_000);
    expect(transfersTo(accountId)).toHaveLength(1);
    // Keys are the person's own: another owner's identical key is theirs.
    const other = await readyOwner(1_000);
    await callerFor(ctx, other.owner).wallet.withdraw({ amount: 1_000, currency: "USD", requestKey: "k-amount" });
    expect(await walletMinor(other.owner.id)).toBe(0);
  });

  it("no answer from Stripe, then the owner sends it again with its key: the reserved payout is settled, not a second one", async () => {
    const { owner, accountId } = await readyOwner(4_000);
    const caller = callerFor(ctx, owner);
    fake.dropNext("POST /v1/transfers", 3, "after");
    await expect(caller.wallet.withdraw({ amount: 2_500, currency: "USD", requestKey: "lost-answer" })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(await walletMinor(owner.id)).toBe(1_500);
    // At once: the first run may still be at Stripe, so the repeat does not ask; it says where the money is.
    const soon = await caller.wallet.withdraw({ amount: 2_500, currency: "USD", requestKey: "lost-answer" });
    expect(soon).toMatchObject({ amountMinor: 2_500, status: "submitting" });
    // Later (the first run gave up): the repeat asks Stripe with the payout's key and gets the one transfer.
    clock.advanceSeconds(31);
    const again = await caller.wallet.withdraw({ amount: 2_500, currency: "USD", requestKey: "lost-answer" });
    expect(again).toMatchObject({ id: soon.id, amountMinor: 2_500, status: "paid" });
    expect(await tdb.db.payout.count({ where: { userId: owner.id } })).toBe(1);
    expect(transfersTo(accountId)).toHaveLength(1);
    expect(await walletMinor(owner.id)).toBe(1_500);
  });

  it("a key that is not an identifier is refused before anything is written", async () => {
    const { owner, accountId } = await readyOwner(1_000);
    const caller = callerFor(ctx, owner);
    for (const requestKey of ["", "has space", "x".repeat(256), "tab\tkey", "ключ"]) {
      await expect(caller.wallet.withdraw({ amount: 500, currency: "USD", requestKey })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await walletMinor(owner.id)).toBe(1_000);
    expect(transfersTo(accountId)).toHaveLength(0);
  });
});

