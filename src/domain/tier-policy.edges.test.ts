// The tier policy at its edges (issue 23's mutation testing of issue 17's policy): each threshold exactly
// at its bound and one step past it, the reason an owner and a moderator read for every step, the
// evidence gathered from the record's rows whole (rounding, linked and unconvertible buyers, the earliest
// qualifying sale), and the docs table as published. tier-policy.test.ts holds the properties.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCurrencySettings, type CurrencySettings } from "./currency";
import { RISK_TIERS, type RiskTier } from "./risk";
import {
  DEFAULT_MIN_TICKET_MINOR, describeTierPolicyMarkdown, judgeTier, moneyRateBps, tierEvidenceOf, tierRank, tierRates,
  type RecordBuyer, type RecordTotals, type TierEvidence, type TierInput,
} from "./tier-policy";

const DAY_MS = 24 * 3600 * 1000;
const T0 = new Date("2026-01-01T00:00:00.000Z");
const day = (n: number) => new Date(T0.getTime() + n * DAY_MS);

const evidence = (over: Partial<TierEvidence> = {}): TierEvidence => ({
  sales: 0, disputed: 0, refundedInFull: 0, adminLosses: 0, disputedAmountMinor: 0, refundedAmountMinor: 0,
  qualifyingAmountMinor: 0, qualifyingBuyers: 0, qualifyingVolumeMinor: 0, firstQualifyingSaleAt: null,
  ...over,
});
/** Exactly at every bound of `standard` (3 buyers, 50.00 released, 7 days) once judged on day 7. */
const STANDARD = evidence({ sales: 3, qualifyingBuyers: 3, qualifyingVolumeMinor: 50_00, qualifyingAmountMinor: 50_00, firstQualifyingSaleAt: T0 });
/** Exactly at every bound of `trusted` (10 buyers, 1,000.00 released, 30 days) once judged on day 30. */
const TRUSTED = evidence({ sales: 10, qualifyingBuyers: 10, qualifyingVolumeMinor: 1_000_00, qualifyingAmountMinor: 1_000_00, firstQualifyingSaleAt: T0 });

const judge = (e: TierEvidence, atDay: number, over: Partial<TierInput> = {}) =>
  judgeTier({ evidence: e, now: day(atDay), promotionFrozen: false, tierBeforeFreeze: null, pinned: null, ...over });
const stepsOf = (j: ReturnType<typeof judge>) => j.steps.map((s) => [s.rule, s.met, s.reason]);

describe("promotion, each bound exactly", () => {
  it("standard exactly at 3 buyers, 50.00 and 7 days, with the reason of every step", () => {
    const j = judge(STANDARD, 7);
    expect(j).toMatchObject({ tier: "standard", earned: "standard" });
    expect(stepsOf(j)).toEqual([
      ["restricted", false, "0 moderator loss(es); 3 sale(s); by money: dispute rate 0%, full-refund rate 0%"],
      ["trusted", false, "not yet: 3 of 10 qualifying buyers; 50.00 of 1,000.00 released; 7 of 30 days since the first qualifying sale"],
      ["standard", true, "3 qualifying buyers, 50.00 released, 7 days"],
    ]);
  });

  it("one short of standard's volume, or with no qualifying sale at all, is new — and says what is missing", () => {
    expect(judge({ ...STANDARD, qualifyingVolumeMinor: 49_99 }, 7).tier).toBe("new");
    const j = judge(evidence(), 400);
    expect(stepsOf(j)).toEqual([
      ["restricted", false, "0 moderator loss(es); 0 sale(s); by money: dispute rate 0%, full-refund rate 0%"],
      ["trusted", false, "not yet: 0 of 10 qualifying buyers; 0.00 of 1,000.00 released; 0 of 30 days since the first qualifying sale"],
      ["standard", false, "not yet: 0 of 3 qualifying buyers; 0.00 of 50.00 released; 0 of 7 days since the first qualifying sale"],
      ["new", true, "the record has not yet earned a higher tier"],
    ]);
  });

  it("days are whole days since the first qualifying sale, counted forward", () => {
    expect(judge({ ...STANDARD, firstQualifyingSaleAt: new Date(T0.getTime() + 1) }, 7).tier).toBe("new");
    expect(judge(STANDARD, 7.99).steps.at(-1)?.reason).toBe("3 qualifying buyers, 50.00 released, 7 days");
  });

  it("trusted at a dispute rate of exactly 5 % of the money; 5.01 % is standard, saying why", () => {
    expect(judge({ ...TRUSTED, disputedAmountMinor: 50_00 }, 30).tier).toBe("trusted");
    const j = judge({ ...TRUSTED, disputedAmountMinor: 50_10 }, 30);
    expect(j.tier).toBe("standard");
    expect(j.steps[1]).toEqual({ rule: "trusted", met: false, reason: "not yet: dispute rate 5.01% above 5%" });
  });

  it("one moderator loss keeps an agent from trusted but not from standard", () => {
    const j = judge({ ...TRUSTED, adminLosses: 1 }, 30);
    expect(j.tier).toBe("standard");
    expect(j.steps[1]).toEqual({ rule: "trusted", met: false, reason: "not yet: 1 moderator loss(es)" });
    expect(judge({ ...STANDARD, adminLosses: 1 }, 7).tier).toBe("standard");
  });

  it("standard does not judge the dispute rate (below the restriction's 30 %)", () => {
    expect(judge({ ...STANDARD, disputedAmountMinor: 14_99 }, 7).tier).toBe("standard");
  });

  it("trusted names its met reason", () => {
    expect(judge(TRUSTED, 30).steps[1]).toEqual({ rule: "trusted", met: true, reason: "10 qualifying buyers, 1,000.00 released, 30 days" });
  });
});

describe("restriction, each bound exactly", () => {
  it("at exactly 3 sales and a 30 % dispute rate", () => {
    const j = judge({ ...STANDARD, disputedAmountMinor: 15_00 }, 7);
    expect(j.tier).toBe("restricted");
    expect(j.steps).toEqual([{ rule: "restricted", met: true, reason: "0 moderator loss(es); 3 sale(s); by money: dispute rate 30%, full-refund rate 0%" }]);
    expect(judge({ ...STANDARD, sales: 2, disputedAmountMinor: 15_00 }, 7).tier).toBe("standard");
  });

  it("at a 30 % full-refund rate alone; 29.98 % is not", () => {
    const j = judge({ ...STANDARD, refundedAmountMinor: 15_00 }, 7);
    expect(j.tier).toBe("restricted");
    expect(j.steps[0]?.reason).toBe("0 moderator loss(es); 3 sale(s); by money: dispute rate 0%, full-refund rate 30%");
    expect(judge({ ...STANDARD, refundedAmountMinor: 14_99 }, 7).tier).toBe("standard");
  });

  it("at 2 moderator losses on any number of sales; 1 is not", () => {
    expect(judge({ ...TRUSTED, sales: 0, adminLosses: 2 }, 30).tier).toBe("restricted");
    expect(judge({ ...STANDARD, sales: 1, adminLosses: 1 }, 7).tier).toBe("standard");
  });
});

describe("pins and freezes, as the moderator reads them", () => {
  it("a pin names the tier it pinned, first", () => {
    const j = judge(TRUSTED, 30, { pinned: "restricted" });
    expect(j).toMatchObject({ tier: "restricted", earned: "trusted" });
    expect(j.steps[0]).toEqual({ rule: "pinned", met: true, reason: "a moderator pinned the tier at restricted" });
  });

  it("a freeze holds a rise at the tier before it, and says so", () => {
    const held = judge(TRUSTED, 30, { promotionFrozen: true, tierBeforeFreeze: "standard" });
    expect(held).toMatchObject({ tier: "standard", earned: "trusted" });
    expect(held.steps.at(-1)).toEqual({ rule: "frozen", met: true, reason: "an open signal freezes promotion: held at standard instead of trusted" });
  });

  it("a freeze does not hold what is no rise", () => {
    const same = judge(STANDARD, 7, { promotionFrozen: true, tierBeforeFreeze: "standard" });
    expect(same.tier).toBe("standard");
    expect(same.steps.at(-1)).toEqual({ rule: "frozen", met: false, reason: "an open signal freezes promotion; standard is not a rise" });
    expect(judge(STANDARD, 7).steps.map((s) => s.rule)).not.toContain("frozen");
  });
});

describe("ranks and rates", () => {
  it("ranks restricted < new < standard < trusted", () => {
    const ranked: RiskTier[] = ["restricted", "new", "standard", "trusted"];
    expect(ranked.map(tierRank)).toEqual([0, 1, 2, 3]);
    expect([...RISK_TIERS].sort((a, b) => tierRank(a) - tierRank(b))).toEqual(ranked);
  });

  it("rounds a rate to the nearest basis point; a part of nothing (or of less) is 100 %", () => {
    expect(moneyRateBps(2, 3)).toBe(6_667);
    expect(moneyRateBps(1, -1)).toBe(10_000);
    expect(moneyRateBps(-1, 10)).toBe(0);
    expect(tierRates(evidence({ disputedAmountMinor: 1, refundedAmountMinor: 2, qualifyingAmountMinor: 3 }))).toEqual({ disputeRateBps: 3_333, refundRateBps: 6_667 });
  });
});

describe("the evidence read from the record's rows", () => {
  // USD is the limits' currency; 1 EUR = 1.25 USD; GBP was sold in once but no longer converts.
  const settings = parseCurrencySettings({ currencies: "USD,EUR", rates: "EUR=1.25" }) as CurrencySettings;
  const totals = (currency: string, over: Partial<RecordTotals> = {}): RecordTotals => ({
    currency, sales: 0, disputed: 0, refundedInFull: 0, adminLosses: 0, disputedAmountMinor: 0, refundedAmountMinor: 0, ...over,
  });
  const buyer = (buyerId: string, currency: string, largestReleasedMinor: number, atDay: number, over: Partial<RecordBuyer> = {}): RecordBuyer => ({
    buyerId, currency, linked: false, sales: 1, amountMinor: largestReleasedMinor, releasedMinor: largestReleasedMinor, largestReleasedMinor, largestReleasedAt: day(atDay), ...over,
  });

  it("sums every currency and counts each unlinked buyer once, from its earliest qualifying sale", () => {
    const e = tierEvidenceOf(
      [
        totals("USD", { sales: 5, disputed: 2, refundedInFull: 1, adminLosses: 1, disputedAmountMinor: 10_00 }),
        totals("EUR", { sales: 2, disputed: 1, refundedInFull: 1, disputedAmountMinor: 4_01, refundedAmountMinor: 1 }),
        totals("GBP", { sales: 1 }),
      ],
      [
        buyer("b", "EUR", 4_01, 1, { amountMinor: 8_02 }), // the EUR ticket is exactly 4.00
        buyer("a", "USD", 5_00, 3, { releasedMinor: 12_00, amountMinor: 20_00 }), // exactly the ticket
        buyer("a", "EUR", 10_00, 0), // the same buyer in another currency: counted once, its money added
        buyer("owner", "USD", 900_00, 0, { linked: true }),
        buyer("small", "USD", 4_99, 0),
        buyer("pounds", "GBP", 900_00, 0),
        buyer("g", "USD", 6_00, 5),
      ],
      settings,
    );
    expect(e).toEqual({
      sales: 8,
      disputed: 3,
      refundedInFull: 2,
      adminLosses: 1,
      // Bad amounts round up: 4.01 EUR = 5.0125 USD → 5.02; 0.01 EUR → 0.02. A GBP total of 0 adds nothing.
      disputedAmountMinor: 15_02,
      refundedAmountMinor: 2,
      // Good money rounds down: 8.02 EUR → 10.02, 4.01 EUR → 5.01, 10.00 EUR → 12.50.
      qualifyingAmountMinor: 10_02 + 20_00 + 12_50 + 6_00,
      qualifyingBuyers: 3,
      qualifyingVolumeMinor: 5_01 + 12_00 + 12_50 + 6_00,
      firstQualifyingSaleAt: day(0),
    });
  });

  it("a bad amount in a currency that no longer converts counts as the whole record, so it restricts", () => {
    const e = tierEvidenceOf([totals("USD", { sales: 3 }), totals("GBP", { sales: 1, disputed: 1, disputedAmountMinor: 1 })], [buyer("a", "USD", 100_00, 0)], settings);
    expect(e.disputedAmountMinor).toBe(Number.MAX_SAFE_INTEGER);
    expect(e.refundedAmountMinor).toBe(0);
    expect(judge(e, 30).tier).toBe("restricted");
  });

  it("converts the minimum ticket into a sale's currency rounded up, never lowering the bar", () => {
    // 1 EUR = 3 USD: 5.00 USD is 1.666… EUR, so the ticket is 1.67 EUR.
    const thirds = parseCurrencySettings({ currencies: "USD,EUR", rates: "EUR=3" }) as CurrencySettings;
    expect(tierEvidenceOf([], [buyer("a", "EUR", 1_67, 0)], thirds).qualifyingBuyers).toBe(1);
    expect(tierEvidenceOf([], [buyer("a", "EUR", 1_66, 0)], thirds).qualifyingBuyers).toBe(0);
  });

  it("takes the minimum ticket it is given, and a buyer who got nothing released never qualifies", () => {
    expect(tierEvidenceOf([], [buyer("a", "USD", 9_99, 0)], settings, 10_00).qualifyingBuyers).toBe(0);
    expect(tierEvidenceOf([], [buyer("a", "USD", 10_00, 0)], settings, 10_00).qualifyingBuyers).toBe(1);
    expect(tierEvidenceOf([], [buyer("a", "USD", 0, 0)], settings, 0)).toMatchObject({ qualifyingBuyers: 0, firstQualifyingSaleAt: null });
    expect(tierEvidenceOf([], [buyer("a", "USD", 1, 0)], settings, 0).qualifyingBuyers).toBe(1);
    expect(DEFAULT_MIN_TICKET_MINOR).toBe(5_00);
  });
});

describe("the policy as published", () => {
  it("docs/ARCHITECTURE.md shows the table the code judges by, word for word", () => {
    const architecture = readFileSync(new URL("../../docs/ARCHITECTURE.md", import.meta.url), "utf8");
    expect(architecture).toContain(`<!-- tier-policy:start (generated by npm run docs:generate; do not edit) -->\n${describeTierPolicyMarkdown()}<!-- tier-policy:end -->`);
  });
});
