// The tier policy (issue 17 item 1): a tier is earned by evidence that costs. The record is modelled here
// as the trigger keeps it (per currency, per buyer), so the properties run over sequences of sales.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CURRENCY_SETTINGS, parseCurrencySettings, type CurrencySettings } from "./currency";
import type { RiskTier } from "./risk";
import {
  DEFAULT_MIN_TICKET_MINOR, PROMOTION, describeTierPolicyMarkdown, judgeTier, moneyRateBps, tierEvidenceOf, tierRank,
  type TierEvidence,
} from "./tier-policy";
import { DAY_MS, recordOf, T0, type Sale } from "~/test/tier-records";

function evidenceOf(sales: readonly Sale[], settings: CurrencySettings = DEFAULT_CURRENCY_SETTINGS): TierEvidence {
  const r = recordOf(sales);
  return tierEvidenceOf(r.totals, r.buyers, settings);
}

const tierOf = (sales: readonly Sale[], atDay: number, frozen = false, before: RiskTier | null = null) =>
  judgeTier({ evidence: evidenceOf(sales), now: new Date(T0.getTime() + atDay * DAY_MS), promotionFrozen: frozen, tierBeforeFreeze: before, pinned: null }).tier;

const clean = (buyer: string, amountMinor: number, atDay = 0): Sale => ({ buyer, linked: false, amountMinor, refundMinor: 0, disputed: false, lostToModerator: false, atDay });
const buyers = (n: number, amountMinor: number, atDay = 0) => Array.from({ length: n }, (_, i) => clean(`b${i}`, amountMinor, atDay));

describe("judgeTier: promotion needs distinct unlinked buyers, money and time", () => {
  it("25 one-cent sales from one sock puppet leave an agent new (the tier that could be bought)", () => {
    expect(tierOf(Array.from({ length: 25 }, () => clean("puppet", 1)), 365)).toBe("new");
  });

  it("many sales from one buyer, however large, leave an agent new", () => {
    expect(tierOf(Array.from({ length: 20 }, () => clean("second-account", 100_00)), 365)).toBe("new");
  });

  it("standard at 3 buyers, 50.00 released and 7 days; one short of any of them is new", () => {
    expect(tierOf(buyers(3, 20_00), 7)).toBe("standard");
    expect(tierOf(buyers(2, 30_00), 7)).toBe("new");
    expect(tierOf(buyers(3, 16_66), 7)).toBe("new"); // 49.98 released
    expect(tierOf(buyers(3, 20_00), 6)).toBe("new");
  });

  it("a sale below the minimum ticket does not make its buyer count", () => {
    expect(DEFAULT_MIN_TICKET_MINOR).toBe(5_00);
    expect(tierOf([...buyers(2, 40_00), clean("small", 4_99)], 30)).toBe("new");
    expect(tierOf([...buyers(2, 40_00), clean("small", 5_00)], 30)).toBe("standard");
  });

  it("trusted at 10 buyers, 1,000.00, 30 days, dispute rate ≤ 5% and no moderator loss", () => {
    const ten = buyers(10, 100_00);
    expect(tierOf(ten, 30)).toBe("trusted");
    expect(tierOf(ten, 29)).toBe("standard");
    expect(tierOf(buyers(9, 200_00), 30)).toBe("standard");
    const disputed: Sale = { ...clean("b0", 100_00), disputed: true };
    expect(tierOf([...buyers(10, 100_00), { ...disputed, amountMinor: 50_00 }], 30)).toBe("trusted"); // 50 of 1,050 = 4.76%
    expect(tierOf([...buyers(10, 100_00), { ...disputed, amountMinor: 60_00 }], 30)).toBe("standard"); // 60 of 1,060 = 5.66%
    expect(tierOf([...ten, { ...clean("b1", 10_00), refundMinor: 5_00, lostToModerator: true }], 30)).toBe("standard");
  });

  it("the time counts from the qualifying sale, not from an earlier cent sale", () => {
    expect(tierOf([clean("b0", 1, 0), clean("b0", 20_00, 10), clean("b1", 20_00, 10), clean("b2", 20_00, 10)], 16)).toBe("new");
    expect(tierOf([clean("b0", 1, 0), clean("b0", 20_00, 10), clean("b1", 20_00, 10), clean("b2", 20_00, 10)], 17)).toBe("standard");
  });

  it("a minimum ticket in another currency converts at the configured rate (rounded up)", () => {
    const settings = parseCurrencySettings({ currencies: "USD,EUR", rates: "EUR=1.25" }) as CurrencySettings;
    const eur = (buyer: string, amountMinor: number): Sale => ({ ...clean(buyer, amountMinor), currency: "EUR" });
    const judged = (sales: Sale[]) => judgeTier({ evidence: evidenceOf(sales, settings), now: new Date(T0.getTime() + 30 * DAY_MS), promotionFrozen: false, tierBeforeFreeze: null, pinned: null });
    // 5.00 USD is 4.00 EUR: a 4.00 EUR sale qualifies, 3.99 does not; 3 × 40.00 EUR = 150.00 USD released.
    expect(judged([eur("a", 4_00), ...buyers(2, 40_00)]).tier).toBe("standard");
    expect(judged([eur("a", 3_99), ...buyers(2, 40_00)]).tier).toBe("new");
  });
});

describe("judgeTier: a bad record restricts, by money", () => {
  it("two moderator losses restrict whatever else", () => {
    const lost = { ...clean("b0", 10_00), refundMinor: 10_00, lostToModerator: true, disputed: true };
    expect(tierOf([...buyers(20, 100_00), lost, lost], 60)).toBe("restricted");
  });

  it("a dispute rate of 30% of what qualifying buyers paid restricts; cent sales do not dilute it", () => {
    const disputed = { ...clean("b0", 30_00), disputed: true };
    expect(tierOf([...buyers(3, 23_34), disputed], 10)).toBe("standard"); // 30 of 100.02 = 29.99%
    expect(tierOf([...buyers(3, 23_33), disputed], 10)).toBe("restricted"); // 30 of 99.99
    const cents = Array.from({ length: 500 }, (_, i) => clean(`puppet${i}`, 1));
    expect(tierOf([...buyers(3, 23_33), disputed, ...cents], 10)).toBe("restricted");
  });

  it("reads rates as basis points of money, 100% with nothing qualifying behind them", () => {
    expect(moneyRateBps(0, 0)).toBe(0);
    expect(moneyRateBps(1, 0)).toBe(10_000);
    expect(moneyRateBps(1, 3)).toBe(3_333);
    expect(moneyRateBps(5, 3)).toBe(10_000);
  });
});

describe("judgeTier: pins and freezes", () => {
  const standard = buyers(3, 20_00);
  it("a pin wins over the record, and says so first", () => {
    const j = judgeTier({ evidence: evidenceOf(standard), now: new Date(T0.getTime() + 30 * DAY_MS), promotionFrozen: true, tierBeforeFreeze: null, pinned: "trusted" });
    expect(j).toMatchObject({ tier: "trusted", earned: "standard" });
    expect(j.steps[0]).toMatchObject({ rule: "pinned", met: true });
  });

  it("a freeze holds the tier at the one before it (new when unknown), and never stops a restriction", () => {
    expect(tierOf(standard, 30, true, null)).toBe("new");
    expect(tierOf(buyers(10, 100_00), 30, true, "standard")).toBe("standard");
    const lost = { ...clean("b0", 10_00), refundMinor: 10_00, lostToModerator: true };
    expect(tierOf([...standard, lost, lost], 30, true, "standard")).toBe("restricted");
  });

  it("gives the reason for every step it took", () => {
    const j = judgeTier({ evidence: evidenceOf(buyers(2, 10_00)), now: new Date(T0.getTime() + 3 * DAY_MS), promotionFrozen: false, tierBeforeFreeze: null, pinned: null });
    expect(j.steps.map((s) => [s.rule, s.met])).toEqual([["restricted", false], ["trusted", false], ["standard", false], ["new", true]]);
    expect(j.steps[2]!.reason).toBe("not yet: 2 of 3 qualifying buyers; 20.00 of 50.00 released; 3 of 7 days since the first qualifying sale");
  });
});

// ── Properties ───────────────────────────────────────────────────────────────────────────────────────

const honestSale: fc.Arbitrary<Sale> = fc.record({
  buyer: fc.constantFrom("h0", "h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", "h10", "h11"),
  linked: fc.constant(false),
  amountMinor: fc.integer({ min: 1, max: 300_00 }),
  refundMinor: fc.constantFrom(0, 0, 0, 100, 1_000_000),
  disputed: fc.boolean(),
  lostToModerator: fc.boolean(),
  atDay: fc.integer({ min: 0, max: 60 }),
}).map((s) => ({ ...s, refundMinor: Math.min(s.refundMinor, s.amountMinor), disputed: s.disputed && s.atDay % 5 === 0, lostToModerator: s.lostToModerator && s.atDay % 7 === 0 }));

/** A sale that is no evidence: bought by a buyer linked to the owner (any amount), or below the ticket by a buyer who never reached it. */
const nonQualifyingSale: fc.Arbitrary<Sale> = fc.oneof(
  fc.record({
    buyer: fc.constantFrom("owner", "owner-colleague", "h0", "h1"),
    linked: fc.constant(true),
    amountMinor: fc.integer({ min: 1, max: 1_000_00 }),
    refundMinor: fc.constant(0),
    disputed: fc.boolean(),
    lostToModerator: fc.constant(false),
    atDay: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({
    buyer: fc.constantFrom("puppet0", "puppet1", "puppet2", "puppet3", "puppet4", "puppet5"),
    linked: fc.constant(false),
    amountMinor: fc.integer({ min: 1, max: DEFAULT_MIN_TICKET_MINOR - 1 }),
    refundMinor: fc.constant(0),
    disputed: fc.boolean(),
    lostToModerator: fc.constant(false),
    atDay: fc.integer({ min: 0, max: 60 }),
  }),
);

describe("properties of the tier policy", () => {
  it("no sequence of self-dealing, linked or below-ticket sales raises a tier, on any record, at any time", () => {
    fc.assert(
      fc.property(fc.array(honestSale, { maxLength: 40 }), fc.array(nonQualifyingSale, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 120 }), (base, extra, day) => {
        expect(tierRank(tierOf([...base, ...extra], day))).toBeLessThanOrEqual(tierRank(tierOf(base, day)));
        // …in any order among the honest sales.
        const interleaved = [...base, ...extra].sort((a, b) => a.atDay - b.atDay);
        expect(tierRank(tierOf(interleaved, day))).toBeLessThanOrEqual(tierRank(tierOf(base, day)));
      }),
      { numRuns: 400 },
    );
  });

  it("from nothing, no such sales ever leave `new`", () => {
    fc.assert(
      fc.property(fc.array(nonQualifyingSale, { maxLength: 200 }), fc.integer({ min: 0, max: 3650 }), (sales, day) => {
        expect(["new", "restricted"]).toContain(tierOf(sales, day));
      }),
      { numRuns: 300 },
    );
  });

  it("a tier never rises while promotion is frozen, whatever sales come and time passes", () => {
    fc.assert(
      fc.property(fc.array(honestSale, { maxLength: 30 }), fc.array(honestSale, { maxLength: 30 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 120 }), (before, after, day, later) => {
        const held = tierOf(before, day); // the tier when the freeze began
        const frozen = tierOf([...before, ...after], day + later, true, held);
        expect(tierRank(frozen)).toBeLessThanOrEqual(Math.max(tierRank(held), tierRank("new")));
        if (held !== "restricted") expect(tierRank(frozen)).toBeLessThanOrEqual(tierRank(held));
        // With no known tier before the freeze, nothing rises above new.
        expect(tierRank(tierOf([...before, ...after], day + later, true, null))).toBeLessThanOrEqual(tierRank("new"));
      }),
      { numRuns: 400 },
    );
  });
});

describe("the policy table in the docs", () => {
  it("states every rule with its thresholds", () => {
    const table = describeTierPolicyMarkdown();
    for (const rule of ["pinned", "restricted", "trusted", "standard", "new", "frozen"]) expect(table).toContain(`\`${rule}\``);
    expect(table).toContain(`≥ ${PROMOTION.trusted.buyers} distinct buyers not linked to the owner`);
    expect(table).toContain("≥ 1,000.00 released");
  });
});
