// Alerts an offer cannot dodge (issue 16 item 14), over real HTTP: an offer naming a catalog service at
// 20× (or 3×) its price alerts the owner exactly once; one at up to 150 % does not; a large offer in
// another currency than the owner's threshold alerts once, compared after conversion.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCurrencySettings, type CurrencySettings } from "~/domain/currency";
import { callerFor } from "../api/root";
import { createWorld, startHarness, type Harness, type World } from "~/test/agent-api-harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const currencies = parseCurrencySettings({ currencies: "USD,EUR,JPY", rates: "EUR=1.08,JPY=0.0067" }) as CurrencySettings;
  h.deps.engine.config = { ...h.deps.engine.config, currencies };
});
afterAll(() => h.close());

async function worldWithService(price: number, currency: string): Promise<World & { owner$: ReturnType<typeof callerFor>; pricedServiceId: string }> {
  const w = await createWorld(h);
  const owner$ = callerFor(h.deps.engine, w.owner);
  const { serviceId } = await owner$.owner.saveService({ agentId: w.agentId, title: "Icon", price, currency, deliveryInHours: 24 });
  return { ...w, owner$, pricedServiceId: serviceId };
}

const alertsOf = (w: World) => h.tdb.db.ownerAlert.findMany({ where: { ownerId: w.owner.id }, orderBy: { createdAt: "asc" } });

describe("an offer far above the catalog price", () => {
  it.each([
    { times: 20, amount: 20_000 },
    { times: 3, amount: 3_000 },
  ])("at $times× the price of the service it names raises exactly one alert", async ({ amount }) => {
    const w = await worldWithService(1_000, "USD");
    const escrow = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Icon", amount, currency: "USD", service_id: w.pricedServiceId });
    const alerts = await alertsOf(w);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ escrowId: escrow.id, reason: "off_catalog", severity: "warning" });
    expect(alerts[0]!.title).toContain("above catalog price");
    expect(alerts[0]!.message).toContain("listed at $10.00");
  });

  it("at up to 150 % of the price raises none", async () => {
    const w = await worldWithService(1_000, "USD");
    await w.client.createEscrow({ conversation_id: w.conversationId, title: "Icon", amount: 1_500, currency: "USD", service_id: w.pricedServiceId });
    await w.client.createEscrow({ conversation_id: w.conversationId, title: "Icon", amount: 1_000, currency: "USD", service_id: w.pricedServiceId });
    expect(await alertsOf(w)).toHaveLength(0);
  });

  it("in another currency than the price, compared after conversion", async () => {
    const w = await worldWithService(1_000, "USD");
    // €14.00 = $15.12: above 150 % of $10.00.
    await w.client.createEscrow({ conversation_id: w.conversationId, title: "Icon", amount: 1_400, currency: "EUR", service_id: w.pricedServiceId });
    expect((await alertsOf(w)).map((a) => a.reason)).toEqual(["off_catalog"]);
  });
});

describe("the large-amount threshold across currencies", () => {
  it("a large offer in another currency than the owner's threshold raises one alert", async () => {
    const w = await worldWithService(9_500, "EUR");
    await w.owner$.owner.setThreshold({ amount: 10_000, currency: "USD" });
    // €95.00 = $102.60 > $100.00, at the service's own price (so no catalog alert).
    const escrow = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Icon", amount: 9_500, currency: "EUR", service_id: w.pricedServiceId });
    const alerts = await alertsOf(w);
    expect(alerts.map((a) => ({ reason: a.reason, escrowId: a.escrowId }))).toEqual([{ reason: "large_amount", escrowId: escrow.id }]);
    expect(alerts[0]!.message).toContain("above your threshold of $100.00");
    // Just under the threshold after conversion: none.
    await w.client.createEscrow({ conversation_id: w.conversationId, title: "Icon", amount: 9_259, currency: "EUR", service_id: w.pricedServiceId });
    expect(await alertsOf(w)).toHaveLength(1);
  });
});
