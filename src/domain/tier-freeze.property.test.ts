// "A tier never rises while a qualifying signal is open" (issue 17), as a property of the pure policy over
// histories: sales of every kind, signal scores going up and down, moderators' clearing reviews, and time.
// At each step the tier is judged as the server judges it (src/server/risk/profile.ts riskProfileOf): the
// freeze is promotionFrozenBy(score, last clearing), the same open-signal rule that holds payouts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CURRENCY_SETTINGS } from "./currency";
import { promotionFrozenBy, SIGNAL_FREEZE_SCORE, type RiskTier } from "./risk";
import { isSignalOpen, SIGNAL_ACTIONS } from "./signals";
import { judgeTier, tierEvidenceOf, tierRank } from "./tier-policy";
import { DAY_MS, recordOf, T0, type Sale } from "~/test/tier-records";

type Step =
  | { kind: "sale"; buyer: string; linked: boolean; amountMinor: number; disputed: boolean; refunded: boolean }
  | { kind: "score"; score: number }
  | { kind: "clear" }
  | { kind: "days"; days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    kind: fc.constant("sale" as const),
    buyer: fc.constantFrom(...Array.from({ length: 14 }, (_, i) => `b${i}`), "owner"),
    linked: fc.constant(false),
    amountMinor: fc.oneof(fc.integer({ min: 1, max: 4_99 }), fc.integer({ min: 5_00, max: 400_00 })),
    disputed: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    refunded: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
  }).map((s) => ({ ...s, linked: s.buyer === "owner" })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("score" as const), score: fc.constantFrom(0, 15, 30, 35, 45, 50, 65, 85, 100, 115, 150) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("days" as const), days: fc.integer({ min: 1, max: 20 }) }) },
);

interface Judged {
  tier: RiskTier;
  earned: RiskTier;
  frozen: boolean;
}

/** Every step's judgement, as the server makes it (no pin; the tier before a freeze is not known). */
function run(steps: readonly Step[]): Judged[] {
  const sales: Sale[] = [];
  let now = T0;
  let score = 0;
  let lastClearing: { score: number } | null = null;
  const out: Judged[] = [];
  for (const s of steps) {
    if (s.kind === "sale") {
      const { buyer, linked, amountMinor, disputed, refunded } = s;
      sales.push({ buyer, linked, amountMinor, refundMinor: refunded ? amountMinor : 0, disputed, lostToModerator: false, atDay: (now.getTime() - T0.getTime()) / DAY_MS });
    }
    if (s.kind === "score") score = s.score;
    if (s.kind === "clear") lastClearing = { score };
    if (s.kind === "days") now = new Date(now.getTime() + s.days * DAY_MS);
    const frozen = promotionFrozenBy(score, lastClearing);
    const record = recordOf(sales);
    const evidence = tierEvidenceOf(record.totals, record.buyers, DEFAULT_CURRENCY_SETTINGS);
    const j = judgeTier({ evidence, now, promotionFrozen: frozen, tierBeforeFreeze: null, pinned: null });
    out.push({ tier: j.tier, earned: j.earned, frozen });
  }
  return out;
}

describe("the promotion freeze over histories (property)", () => {
  it("while a qualifying signal is open no step promotes: the tier stays at new or below until a clearing review covers the score", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        const judged = run(steps);
        judged.forEach((j) => {
          if (!j.frozen) {
            expect(j.tier).toBe(j.earned); // no freeze, no cap: promotion resumes the moment a review clears
            return;
          }
          expect(tierRank(j.tier)).toBeLessThanOrEqual(tierRank("new"));
          expect(tierRank(j.tier)).toBeLessThanOrEqual(tierRank(j.earned));
        });
      }),
      { numRuns: 500 },
    );
  });

  it("the freeze is the open signal that holds payouts, at every score from the freeze threshold up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.option(fc.integer({ min: 0, max: 300 })), (score, cleared) => {
        const lastClearing = cleared === null ? null : { score: cleared };
        if (score >= SIGNAL_FREEZE_SCORE) expect(promotionFrozenBy(score, lastClearing)).toBe(isSignalOpen(score, lastClearing, SIGNAL_ACTIONS));
        else expect(promotionFrozenBy(score, lastClearing)).toBe(false);
      }),
    );
  });

  it("a clearing review covers the score it saw: the same score stays unfrozen, a higher one freezes again", () => {
    expect(promotionFrozenBy(65, null)).toBe(true);
    expect(promotionFrozenBy(65, { score: 65 })).toBe(false);
    expect(promotionFrozenBy(50, { score: 65 })).toBe(false);
    expect(promotionFrozenBy(85, { score: 65 })).toBe(true);
    expect(promotionFrozenBy(SIGNAL_FREEZE_SCORE - 1, null)).toBe(false);
  });

  it("the histories reach what the property is about: frozen steps whose record earned standard or trusted, and clears that release them", () => {
    const sample = fc.sample(fc.array(step, { minLength: 40, maxLength: 80 }), { numRuns: 200, seed: 17 });
    let heldBack = 0;
    let resumed = 0;
    for (const steps of sample) {
      const judged = run(steps);
      heldBack += judged.filter((j) => j.frozen && tierRank(j.earned) > tierRank("new")).length;
      resumed += judged.filter((j, i) => !j.frozen && judged[i - 1]?.frozen && tierRank(j.tier) > tierRank("new")).length;
    }
    expect(heldBack).toBeGreaterThan(0);
    expect(resumed).toBeGreaterThan(0);
  });
});
