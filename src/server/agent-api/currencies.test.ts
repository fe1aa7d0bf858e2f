// Currencies (issue 16 item 4), over real HTTP: only the deployment's enabled ISO 4217 currencies are
// accepted wherever an amount and a currency come in (agent API offers, the owner console's service
// prices, purchase limits and alert threshold, test funding), with a 400 naming the enabled ones and
// nothing written; and every limit holds across currencies, converted with the configured rates (rounded
// up): the per-offer cap, the open total (the 100,000 in each of six currencies), and a buying
// agent's spending limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CURRENCY_SETTINGS, parseCurrencySettings, sumConverted, type CurrencySettings } from "~/domain/currency";
import { TERMINAL_STATUSES } from "~/domain/escrow/states";
import { parseEnv } from "~/env";
import { callerFor } from "../api/root";
import { checkDatabaseLedger } from "../ledger/check";
import { addTestFunds } from "../ledger/wallet";
import { createWorld, dataSnapshot, expectApiError, startHarness, type Harness, type World } from "~/test/agent-api-harness";

const MULTI = parseCurrencySettings({ currencies: "USD,EUR,GBP,JPY", rates: "EUR=1.08,GBP=1.27,JPY=0.0067" }) as CurrencySettings;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

function useCurrencies(settings: CurrencySettings) {
  h.deps.engine.config = { ...h.deps.engine.config, currencies: settings };
}

const offer = (w: World, amount: number, currency: string, title = "Offer") =>
  w.client.createEscrow({ conversation_id: w.conversationId, title, amount, currency, service_id: w.serviceId });

async function openTotalInUsd(agentId: string, settings: CurrencySettings): Promise<number> {
  const open = await h.tdb.db.escrow.findMany({ where: { agentId, status: { notIn: [...TERMINAL_STATUSES] } } });
  const sum = sumConverted(settings, open.map((e) => ({ amountMinor: Number(e.amountMinor), currency: e.currency })), "USD", "up");
  expect(sum.unconvertible).toEqual([]);
  return sum.totalMinor;
}

describe("a USD-only deployment (the default)", () => {
  beforeAll(() => useCurrencies(DEFAULT_CURRENCY_SETTINGS));

  it("refuses offers in any other currency with 400 naming USD, nothing written — and still takes USD", async () => {
    const w = await createWorld(h);
    const before = await dataSnapshot(h);
    for (const currency of ["EUR", "GBP", "JPY", "ZZZ", "XAU"]) {
      const refusal = await expectApiError(offer(w, 25_000, currency), 400, "validation_error");
      expect(refusal.message).toContain("use one of: USD");
      expect(refusal.details).toEqual([{ path: "currency", message: expect.stringContaining(currency) as string }]);
    }
    expect(await dataSnapshot(h)).toBe(before);
    expect((await offer(w, 25_000, "USD")).status).toBe("pending");
    expect((await w.client.me()).limits).toEqual({ currency: "USD", max_escrow_amount: 25_000, max_open_amount: 100_000 });
  });

  it("refuses other currencies in the owner console and the wallet (tRPC), nothing written", async () => {
    const w = await createWorld(h);
    const owner = callerFor(h.deps.engine, w.owner);
    const before = await dataSnapshot(h);
    const refusals = await Promise.allSettled([
      owner.owner.saveService({ agentId: w.agentId, title: "Sketch", price: 1_500, currency: "EUR", deliveryInHours: 24 }),
      owner.owner.saveService({ agentId: w.agentId, serviceId: w.serviceId, title: "Logo", price: 1_500, currency: "ZZZ", deliveryInHours: 24 }),
      owner.owner.setPurchasing({ agentId: w.agentId, enabled: true, limit: 5_000, currency: "JPY" }),
      owner.owner.setThreshold({ amount: 10_000, currency: "GBP" }),
      w.customerApi.wallet.addTestFunds({ amount: 1_000, currency: "EUR" }),
    ]);
    for (const r of refusals) {
      expect(r.status).toBe("rejected");
      const error = (r as PromiseRejectedResult).reason as { code: string; message: string; cause?: { code?: string } };
      expect({ code: error.code, cause: error.cause?.code }).toEqual({ code: "BAD_REQUEST", cause: "validation_error" });
      expect(error.message).toContain("use one of: USD");
    }
    expect(await dataSnapshot(h)).toBe(before);
    expect(await h.tdb.db.service.count({ where: { agentId: w.agentId, currency: { not: "USD" } } })).toBe(0);
    expect(await h.tdb.db.ownerSettings.count({ where: { ownerId: w.owner.id } })).toBe(0);
  });
});

describe("a deployment with USD, EUR, GBP and JPY (rates to USD)", () => {
  beforeAll(() => useCurrencies(MULTI));

  it("still refuses what is not enabled (ZZZ, XAU, CHF)", async () => {
    const w = await createWorld(h);
    for (const currency of ["ZZZ", "XAU", "CHF"]) {
      const refusal = await expectApiError(offer(w, 100, currency), 400, "validation_error");
      expect(refusal.message).toContain("use one of: USD, EUR, GBP, JPY");
    }
  });

  it("the per-offer cap compares the converted amount, rounded up", async () => {
    const w = await createWorld(h);
    // €250.00 = $270.00 > $250.00; ¥37,400 = $250.58 > $250.00; ¥37,313 = $249.9971 → $250.00 fits.
    await expectApiError(offer(w, 25_000, "EUR"), 422, "amount_out_of_range");
    await expectApiError(offer(w, 37_400, "JPY"), 422, "amount_out_of_range");
    await expectApiError(offer(w, 1_000_000, "JPY"), 422, "amount_out_of_range");
    expect((await offer(w, 37_313, "JPY")).status).toBe("pending");
    expect(await h.tdb.db.escrow.count({ where: { agentId: w.agentId } })).toBe(1);
  });

  it("the open total counts every currency, converted: 100,000 in each currency no longer passes a 100,000 limit", async () => {
    const w = await createWorld(h);
    const made: string[] = [];
    for (const [amount, currency] of [
      [25_000, "USD"], // $250.00
      [23_000, "EUR"], // $248.40
      [19_000, "GBP"], // $241.30
      [37_000, "JPY"], // $247.90  → $987.60 open
    ] as const) {
      made.push((await offer(w, amount, currency)).id);
    }
    expect(await openTotalInUsd(w.agentId, MULTI)).toBe(98_760);
    const refusal = await expectApiError(offer(w, 1_241, "USD"), 422, "amount_out_of_range");
    expect(refusal.message).toContain("all currencies converted");
    for (const [amount, currency] of [
      [1_150, "EUR"], // $12.42
      [1_000, "GBP"], // $12.70
      [2_000, "JPY"], // $13.40
    ] as const) {
      await expectApiError(offer(w, amount, currency), 422, "amount_out_of_range");
    }
    expect((await offer(w, 1_240, "USD")).status).toBe("pending"); // exactly $1,000.00
    expect(await openTotalInUsd(w.agentId, MULTI)).toBe(100_000);
    expect(await h.tdb.db.escrow.count({ where: { agentId: w.agentId } })).toBe(made.length + 1);
  });

  it("racing offers in mixed currencies never pass the open limit", async () => {
    const w = await createWorld(h);
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, (_, i) => offer(w, [20_000, 18_000, 15_000, 30_000][i % 4]!, ["USD", "EUR", "GBP", "JPY"][i % 4]!, `Race ${i}`)),
    );
    const made = results.filter((r) => r.status === "fulfilled").length;
    expect(made).toBeGreaterThanOrEqual(4);
    expect(await openTotalInUsd(w.agentId, MULTI)).toBeLessThanOrEqual(100_000);
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe("amount_out_of_range");
  });

  it("a buying agent's spending limit counts purchases in every currency, converted and rounded up", async () => {
    const seller = await createWorld(h);
    const buyer = await createWorld(h);
    const buyerOwner = callerFor(h.deps.engine, buyer.owner);
    await buyerOwner.owner.setPurchasing({ agentId: buyer.agentId, enabled: true, limit: 6_000, currency: "USD" });
    for (const currency of ["EUR", "GBP"]) await addTestFunds(h.deps.engine, buyer.owner.id, currency, 10_000);
    const conversation = await buyer.client.startPurchaseConversation(seller.handle);
    const sell = (amount: number, currency: string) =>
      seller.client.createEscrow({ conversation_id: conversation.id, title: `${currency} ${amount}`, amount, currency });

    expect((await buyer.client.acceptPurchase((await sell(5_000, "EUR")).id)).status).toBe("active"); // $54.00
    expect((await buyer.client.me()).purchasing.spent_last_30_days).toBe(5_400);
    const over = await sell(473, "GBP"); // £4.73 = $6.0071 → $6.01: 54.00 + 6.01 > 60.00
    const before = await dataSnapshot(h);
    const refusal = await expectApiError(buyer.client.acceptPurchase(over.id), 422, "spending_limit_exceeded");
    expect(refusal.message).toContain("$6.01");
    expect(await dataSnapshot(h)).toBe(before);
    expect((await buyer.client.acceptPurchase((await sell(472, "GBP")).id)).status).toBe("active"); // £4.72 = $5.9944 → $6.00
    expect((await buyer.client.me()).purchasing.spent_last_30_days).toBe(6_000);
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });

  it("GET /me states the limits in the limits' currency", async () => {
    const w = await createWorld(h);
    expect((await w.client.me()).limits.currency).toBe("USD");
  });
});

describe("the environment", () => {
  it("defaults to USD only and refuses a currency list it cannot enforce", () => {
    expect(parseEnv({}).HOLDFAST_CURRENCIES).toBe("USD");
    expect(() => parseEnv({ HOLDFAST_CURRENCIES: "USD,ZZZ" })).toThrow(/HOLDFAST_CURRENCIES: ZZZ is not an ISO 4217/);
    expect(() => parseEnv({ HOLDFAST_CURRENCIES: "USD,EUR" })).toThrow(/no rate to USD for EUR/);
    expect(parseEnv({ HOLDFAST_CURRENCIES: "USD,EUR", HOLDFAST_FX_RATES: "EUR=1.08" }).HOLDFAST_FX_RATES).toBe("EUR=1.08");
  });
});
