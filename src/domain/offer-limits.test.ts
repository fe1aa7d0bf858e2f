import { describe, expect, it } from "vitest";
import { acceptLimitRefusal, judgeOfferLimits, offerLimitRefusal, type OfferInLimits } from "./offer-limits";

const policy = { maxEscrowMinor: 25_000, maxOpenMinor: 100_000, payoutHoldS: 0 };
const usdOffer = (amountMinor: number): OfferInLimits => ({ amountMinor, currency: "USD", convertedMinor: amountMinor });
const noneOpen = { totalMinor: 0, unconvertible: [] };

describe("judgeOfferLimits", () => {
  it("fits up to both caps exactly", () => {
    expect(judgeOfferLimits(policy, usdOffer(25_000), { totalMinor: 75_000, unconvertible: [] })).toEqual({ kind: "fits" });
  });
  it("names the cap that is passed, per escrow first", () => {
    expect(judgeOfferLimits(policy, usdOffer(25_001), { totalMinor: 99_999, unconvertible: [] })).toEqual({
      kind: "breach", breach: { kind: "per_escrow", amountMinor: 25_001, capMinor: 25_000 },
    });
    expect(judgeOfferLimits(policy, usdOffer(1), { totalMinor: 100_000, unconvertible: [] })).toEqual({
      kind: "breach", breach: { kind: "open_total", amountMinor: 1, otherOpenMinor: 100_000, capMinor: 100_000 },
    });
  });
  it("cannot judge an offer, or an open total, that does not convert — even a small one", () => {
    expect(judgeOfferLimits(policy, { amountMinor: 1, currency: "GBP", convertedMinor: null }, noneOpen)).toEqual({ kind: "unconvertible", currencies: ["GBP"] });
    expect(judgeOfferLimits(policy, usdOffer(1), { totalMinor: 0, unconvertible: ["CHF"] })).toEqual({ kind: "unconvertible", currencies: ["CHF"] });
  });
});

describe("offerLimitRefusal (to the agent making the offer)", () => {
  it("refuses nothing that fits", () => {
    expect(offerLimitRefusal({ kind: "fits" }, usdOffer(1), "USD")).toBeNull();
  });
  it("states the per-escrow cap in minor units and money", () => {
    const offer = usdOffer(25_001);
    expect(offerLimitRefusal(judgeOfferLimits(policy, offer, noneOpen), offer, "USD")).toEqual({
      code: "amount_out_of_range",
      message: "The amount 25001 is above your per-escrow limit of 25000 ($250.00); see GET /me.",
    });
  });
  it("states an offer in another currency with the converted figure the cap was compared with", () => {
    const offer = { amountMinor: 23_149, currency: "EUR", convertedMinor: 25_001 };
    expect(offerLimitRefusal(judgeOfferLimits(policy, offer, noneOpen), offer, "USD")?.message).toBe(
      "The amount 23149 EUR ($250.01 at the configured rate) is above your per-escrow limit of 25000 ($250.00); see GET /me.",
    );
  });
  it("states what the open escrows already hold against the open-amount cap", () => {
    const offer = usdOffer(20_000);
    expect(offerLimitRefusal(judgeOfferLimits(policy, offer, { totalMinor: 90_000, unconvertible: [] }), offer, "USD")?.message).toBe(
      "Your open escrows already hold 90000 ($900.00, all currencies converted); adding 20000 would pass your open-amount limit of 100000 ($1,000.00). Finish or cancel open escrows first; see GET /me.",
    );
  });
  it("names the currencies that cannot be converted", () => {
    expect(offerLimitRefusal({ kind: "unconvertible", currencies: ["CHF", "GBP"] }, usdOffer(1), "USD")?.message).toBe(
      "Your limits are in USD, and open escrows in CHF, GBP cannot be converted to it, so no new offer fits until they finish; see GET /me.",
    );
  });
});

describe("acceptLimitRefusal (to the customer accepting)", () => {
  const tail = ". Nothing was charged. Ask the seller for a smaller offer, or try again after its open orders finish.";
  it("refuses nothing that still fits", () => {
    expect(acceptLimitRefusal({ kind: "fits" }, "USD")).toBeNull();
  });
  it("says which of the seller's limits the offer no longer fits", () => {
    expect(acceptLimitRefusal(judgeOfferLimits(policy, usdOffer(25_001), noneOpen), "USD")).toEqual({
      code: "amount_out_of_range",
      message: `This offer can no longer be accepted: it is above the seller's current per-escrow limit of $250.00${tail}`,
    });
    expect(acceptLimitRefusal(judgeOfferLimits(policy, usdOffer(10), { totalMinor: 99_995, unconvertible: [] }), "USD")?.message).toBe(
      `This offer can no longer be accepted: with the seller's other open orders it would pass the seller's current open-amount limit of $1,000.00${tail}`,
    );
    expect(acceptLimitRefusal({ kind: "unconvertible", currencies: ["GBP"] }, "USD")?.message).toBe(
      `This offer can no longer be accepted: amounts in GBP cannot be converted to the seller's limits' currency${tail}`,
    );
  });
});

describe("the customer's refusal when open escrows cannot be converted", () => {
  it("names every such currency, joined with commas", () => {
    const judgement = judgeOfferLimits(policy, usdOffer(1), { totalMinor: 0, unconvertible: ["CHF", "GBP"] });
    expect(acceptLimitRefusal(judgement, "USD")).toEqual({
      code: "amount_out_of_range",
      message:
        "This offer can no longer be accepted: amounts in CHF, GBP cannot be converted to the seller's limits' currency. " +
        "Nothing was charged. Ask the seller for a smaller offer, or try again after its open orders finish.",
    });
  });
});
