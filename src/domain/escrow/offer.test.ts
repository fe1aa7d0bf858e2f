import { describe, expect, it } from "vitest";
import { DEFAULT_TIME_WINDOWS } from "./types";
import { decideOffer, MAX_DELIVERY_HOURS, MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS, offerProblem } from "./offer";

const terms = { title: "Logo", amountMinor: 2_500, currency: "USD" };

describe("offerProblem", () => {
  it("accepts a plain offer", () => {
    expect(offerProblem(terms, true)).toBeNull();
    expect(offerProblem({ ...terms, description: "x".repeat(MAX_DESCRIPTION_CHARS), deliveryInHours: MAX_DELIVERY_HOURS }, true)).toBeNull();
    expect(offerProblem({ ...terms, title: "x".repeat(MAX_TITLE_CHARS), deliveryInHours: 1 }, true)).toBeNull();
  });

  it.each([
    [{ amountMinor: 0 }, "amount"],
    [{ amountMinor: 1.5 }, "amount"],
    [{ amountMinor: 2 ** 53 }, "amount"],
    [{ title: "   " }, "title"],
    [{ title: "\u200b" }, "title"],
    [{ title: "x".repeat(MAX_TITLE_CHARS + 1) }, "title"],
    [{ description: "x".repeat(MAX_DESCRIPTION_CHARS + 1) }, "description"],
    [{ deliveryInHours: 0 }, "delivery_in_hours"],
    [{ deliveryInHours: 2.5 }, "delivery_in_hours"],
    [{ deliveryInHours: MAX_DELIVERY_HOURS + 1 }, "delivery_in_hours"],
  ])("%o is refused at %s", (change, field) => {
    expect(offerProblem({ ...terms, ...change }, true)?.field).toBe(field);
  });

  it("checks the amount first, then the currency, then the words", () => {
    expect(offerProblem({ ...terms, amountMinor: -1, title: "" }, false)?.field).toBe("amount");
    expect(offerProblem({ ...terms, title: "" }, false)?.field).toBe("currency");
    expect(offerProblem({ ...terms, title: "", deliveryInHours: 0 }, true)?.field).toBe("title");
  });
});

describe("decideOffer", () => {
  const now = new Date("2026-01-05T10:00:00Z");

  it("starts pending with the offer expiry, the full fee rounded down and the trimmed title", () => {
    const decision = decideOffer({ ...terms, title: "  Logo  ", amountMinor: 2_599 }, null, 1000, now, DEFAULT_TIME_WINDOWS);
    expect(decision).toMatchObject({ title: "Logo", description: "", feeAmountMinor: 259, deadlineAction: "offer_expired", deliveryInHours: null });
    expect(decision.deadline).toEqual(new Date(now.getTime() + DEFAULT_TIME_WINDOWS.offerTtlS * 1000));
    expect(decision.systemMessage).toBe("Offer: Logo for $25.99. Accept and pay to hold the money in escrow until delivery.");
  });

  it("takes the delivery time from the offer, else from the catalog service", () => {
    expect(decideOffer({ ...terms, deliveryInHours: 5 }, 24, 0, now, DEFAULT_TIME_WINDOWS).deliveryInHours).toBe(5);
    expect(decideOffer(terms, 24, 0, now, DEFAULT_TIME_WINDOWS).deliveryInHours).toBe(24);
    expect(decideOffer({ ...terms, deliveryInHours: null }, 24, 0, now, DEFAULT_TIME_WINDOWS).deliveryInHours).toBe(24);
  });
});

// Issue 23: what the agent reads in a 400 validation_error, and the edges of each field.
describe("offer problems, as the agent reads them", () => {
  it("names each field and what it should be, word for word", () => {
    expect(offerProblem({ ...terms, amountMinor: 0 }, true)).toEqual({
      field: "amount",
      expected: "a positive integer in minor units, at most 2^53 − 1",
    });
    expect(offerProblem(terms, false)).toEqual({ field: "currency", expected: "a currency this deployment accepts" });
    expect(offerProblem({ ...terms, title: " " }, true)).toEqual({
      field: "title",
      expected: `1 to ${MAX_TITLE_CHARS} characters; it must contain visible text (whitespace and invisible characters alone do not count)`,
    });
    expect(offerProblem({ ...terms, description: "x".repeat(MAX_DESCRIPTION_CHARS + 1) }, true)).toEqual({
      field: "description",
      expected: `at most ${MAX_DESCRIPTION_CHARS} characters`,
    });
    expect(offerProblem({ ...terms, deliveryInHours: -1 }, true)).toEqual({
      field: "delivery_in_hours",
      expected: "a whole number of hours from 1 to 8760",
    });
  });

  it("a title is measured after trimming; a description as given", () => {
    expect(offerProblem({ ...terms, title: `  ${"x".repeat(MAX_TITLE_CHARS)}  ` }, true)).toBeNull();
    expect(offerProblem({ ...terms, description: ` ${"x".repeat(MAX_DESCRIPTION_CHARS)}` }, true)?.field).toBe("description");
  });

  it("no delivery time (missing or null) is allowed: the catalog's or a week applies", () => {
    expect(offerProblem({ ...terms, deliveryInHours: null }, true)).toBeNull();
    expect(offerProblem({ ...terms, deliveryInHours: undefined }, true)).toBeNull();
    expect(offerProblem({ ...terms, deliveryInHours: Number.NaN }, true)?.field).toBe("delivery_in_hours");
  });

  it("a year of delivery time is the most", () => {
    expect(MAX_DELIVERY_HOURS).toBe(8_760);
  });

  it("the new escrow keeps the offer's terms and the fee rate it was made at", () => {
    const now = new Date("2026-01-05T10:00:00Z");
    const decision = decideOffer(
      { title: "Logo", description: "Two colours", amountMinor: 10_000, currency: "EUR", deliveryInHours: 3 },
      null,
      250,
      now,
      DEFAULT_TIME_WINDOWS,
    );
    expect(decision).toEqual({
      title: "Logo",
      description: "Two colours",
      amountMinor: 10_000,
      currency: "EUR",
      feeBps: 250,
      feeAmountMinor: 250,
      deadline: new Date(now.getTime() + DEFAULT_TIME_WINDOWS.offerTtlS * 1000),
      deadlineAction: "offer_expired",
      deliveryInHours: 3,
      systemMessage: "Offer: Logo for €100.00. Accept and pay to hold the money in escrow until delivery.",
    });
  });
});
