// The seller's tier limits under concurrency (issue 16 item 3), over real HTTP against real PostgreSQL:
// 30 racing offers by a `new` agent make exactly as many escrows as fit its open-amount limit, the rest
// are 422 amount_out_of_range with nothing written; and accept re-checks the limits (a tier that dropped
// since the offer refuses the funding, nothing moved).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldfastApiError } from "~/client";
import { DEFAULT_TIER_POLICIES } from "~/domain/risk";
import { callerFor } from "../api/root";
import { createWorld, dataSnapshot, startHarness, type Harness } from "~/test/agent-api-harness";
import { checkDatabaseLedger } from "../ledger/check";
import { addTestFunds } from "../ledger/wallet";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const NEW_OPEN_LIMIT = DEFAULT_TIER_POLICIES.new.maxOpenMinor;

async function raceOffers(amount: number, count: number) {
  const w = await createWorld(h, { funds: NEW_OPEN_LIMIT });
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      w.client.createEscrow({ conversation_id: w.conversationId, title: `Offer ${i}`, amount, currency: "USD", service_id: w.serviceId }),
    ),
  );
  const made = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const refusals = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  return { w, made, refusals };
}

describe("the open-amount limit under concurrency", () => {
  it.each([
    { amount: 25_000, count: 30 },
    { amount: 7_000, count: 30 },
  ])("$count concurrent offers of $amount: exactly floor(limit / amount) are made, the rest 422", async ({ amount, count }) => {
    const fits = Math.floor(NEW_OPEN_LIMIT / amount);
    const { w, made, refusals } = await raceOffers(amount, count);

    expect(made).toHaveLength(fits);
    expect(refusals).toHaveLength(count - fits);
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(HoldfastApiError);
      expect({ status: (refusal as HoldfastApiError).status, code: (refusal as HoldfastApiError).code }).toEqual({
        status: 422,
        code: "amount_out_of_range",
      });
      expect((refusal as HoldfastApiError).message).toMatch(/open-amount limit of 100000/);
    }
    expect(await h.tdb.db.escrow.count({ where: { agentId: w.agentId } })).toBe(fits);
    const open = await h.tdb.db.escrow.aggregate({ where: { agentId: w.agentId }, _sum: { amountMinor: true } });
    expect(Number(open._sum.amountMinor)).toBeLessThanOrEqual(NEW_OPEN_LIMIT);

    // Everything that was made can be funded, all at once, and the ledger balances.
    const accepted = await Promise.all(made.map((e) => w.customerApi.escrow.accept({ escrowId: e.id })));
    expect(accepted.every((e) => e.status === "active")).toBe(true);
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });
});

describe("accept re-checks the seller's limits", () => {
  it("refuses funding when the seller's tier no longer allows the offer, with nothing written", async () => {
    const w = await createWorld(h, { funds: NEW_OPEN_LIMIT });
    const offers = await Promise.all(
      [1, 2, 3].map((n) =>
        w.client.createEscrow({ conversation_id: w.conversationId, title: `Job ${n}`, amount: 20_000, currency: "USD", service_id: w.serviceId }),
      ),
    );
    // The seller's tier dropped after the offers (here: its policy tightened to 50,000 open, 20,000 each).
    const tightened = {
      ...h.deps.engine,
      config: {
        ...h.deps.engine.config,
        riskPolicies: { ...h.deps.engine.config.riskPolicies, new: { ...DEFAULT_TIER_POLICIES.new, maxOpenMinor: 50_000 } },
      },
    };
    const customer = callerFor(tightened, w.customer);
    const before = await dataSnapshot(h);
    const refused = await customer.escrow.accept({ escrowId: offers[0]!.id }).then(
      () => null,
      (error: unknown) => error as { code: string; message: string; cause?: { code?: string } },
    );
    expect(refused?.code).toBe("UNPROCESSABLE_CONTENT");
    expect(refused?.cause?.code).toBe("amount_out_of_range");
    expect(refused?.message).toMatch(/can no longer be accepted.*open-amount limit.*Nothing was charged/);
    expect(await dataSnapshot(h)).toBe(before);

    // Once the seller's open total fits again, the same accept funds.
    await w.client.cancel(offers[2]!.id);
    expect((await customer.escrow.accept({ escrowId: offers[0]!.id })).status).toBe("active");

    // A per-escrow cap that dropped below the amount refuses too.
    const capped = {
      ...tightened,
      config: { ...tightened.config, riskPolicies: { ...tightened.config.riskPolicies, new: { ...DEFAULT_TIER_POLICIES.new, maxEscrowMinor: 10_000 } } },
    };
    await expect(callerFor(capped, w.customer).escrow.accept({ escrowId: offers[1]!.id })).rejects.toThrow(/per-escrow limit/);
    expect((await h.tdb.db.escrow.findUniqueOrThrow({ where: { id: offers[1]!.id } })).status).toBe("pending");
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });
});

describe("the buying agent's spending limit under concurrent accepts", () => {
  it("30 concurrent accepts of 1,000 under a 10,000 limit: exactly 10 are funded, the rest 422", async () => {
    const seller = await createWorld(h);
    const buyer = await createWorld(h);
    await callerFor(h.deps.engine, buyer.owner).owner.setPurchasing({ agentId: buyer.agentId, enabled: true, limit: 10_000 });
    await addTestFunds(h.deps.engine, buyer.owner.id, "USD", 100_000);
    const conversation = await buyer.client.startPurchaseConversation(seller.handle);
    const offers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        seller.client.createEscrow({ conversation_id: conversation.id, title: `Icon ${i}`, amount: 1_000, currency: "USD" }),
      ),
    );
    const results = await Promise.allSettled(offers.map((o) => buyer.client.acceptPurchase(o.id)));
    const refusals = results.flatMap((r) => (r.status === "rejected" ? [r.reason as HoldfastApiError] : []));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    expect(new Set(refusals.map((e) => `${e.status} ${e.code}`))).toEqual(new Set(["422 spending_limit_exceeded"]));
    expect(refusals).toHaveLength(20);
    expect((await buyer.client.me()).purchasing.spent_last_30_days).toBe(10_000);
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });
});
