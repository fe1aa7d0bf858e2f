import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_AMOUNT_MINOR,
  assertMinorUnits,
  currencyMinorDigits,
  feeMinor,
  formatMoney,
  isValidAmountMinor,
  releaseSplit,
  settlementSplit,
} from "./money";

describe("feeMinor", () => {
  it("rounds down, never charging more than the rate", () => {
    expect(feeMinor(2500, 1000)).toBe(250);
    expect(feeMinor(999, 1000)).toBe(99); // 99.9 → 99
    expect(feeMinor(1, 9999)).toBe(0); // 0.9999 → 0
    expect(feeMinor(3, 3333)).toBe(0); // 0.9999 → 0
    expect(feeMinor(10_000, 1)).toBe(1);
    expect(feeMinor(19_999, 1)).toBe(1);
  });

  it("is 0 at 0 bps and the whole amount at 10000 bps", () => {
    expect(feeMinor(12_345, 0)).toBe(0);
    expect(feeMinor(12_345, 10_000)).toBe(12_345);
    expect(feeMinor(0, 500)).toBe(0);
  });

  it("stays exact next to 2^53 where float multiplication would not", () => {
    expect(feeMinor(MAX_AMOUNT_MINOR, 10_000)).toBe(MAX_AMOUNT_MINOR);
    // 9007199254740991 * 2500 / 10000 = 2251799813685247.75 → floor
    expect(feeMinor(MAX_AMOUNT_MINOR, 2500)).toBe(2_251_799_813_685_247);
    expect(feeMinor(MAX_AMOUNT_MINOR, 1)).toBe(900_719_925_474);
  });

  it("rejects bad inputs", () => {
    expect(() => feeMinor(1.5, 100)).toThrow(/amountMinor/);
    expect(() => feeMinor(-1, 100)).toThrow(/negative/);
    expect(() => feeMinor(100, 10_001)).toThrow(/feeBps/);
    expect(() => feeMinor(100, 2.5)).toThrow(/feeBps/);
    expect(() => feeMinor(MAX_AMOUNT_MINOR + 1, 100)).toThrow(/safe integer/);
  });

  it("refuses a negative fee rate: the platform never pays the seller a 'fee'", () => {
    expect(() => feeMinor(100_000, -1)).toThrow(/feeBps must be an integer from 0 to 10000, got -1/);
    expect(() => feeMinor(100_000, -10_000)).toThrow(RangeError);
    expect(() => releaseSplit(100_000, -1)).toThrow(/feeBps/);
    expect(() => settlementSplit(100_000, 0, -1)).toThrow(/feeBps/);
    expect(() => feeMinor(100, Number.NaN)).toThrow(/got NaN/);
  });

  it("says which amount is wrong and why", () => {
    expect(() => feeMinor(-1, 100)).toThrow(new RangeError("amountMinor must not be negative, got -1"));
    expect(() => feeMinor(1.5, 100)).toThrow(new RangeError("amountMinor must be a safe integer in minor units, got 1.5"));
    expect(() => settlementSplit(100, 101, 0)).toThrow(new RangeError("refundMinor (101) exceeds amountMinor (100)"));
    expect(() => settlementSplit(100, -1, 0)).toThrow(new RangeError("refundMinor must not be negative, got -1"));
    expect(() => settlementSplit(-1, 0, 0)).toThrow(new RangeError("amountMinor must not be negative, got -1"));
  });

  it("equals the exact floor of amount × bps / 10000 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_AMOUNT_MINOR }), fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
        const fee = feeMinor(amount, bps);
        const exact = BigInt(amount) * BigInt(bps);
        // fee ≤ exact rate and the next unit would exceed it
        expect(BigInt(fee) * 10_000n <= exact).toBe(true);
        expect(BigInt(fee + 1) * 10_000n > exact).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("releaseSplit and settlementSplit", () => {
  it("pays the seller the amount minus the fee", () => {
    expect(releaseSplit(2500, 1000)).toEqual({ sellerNetMinor: 2250, feeMinor: 250 });
    expect(releaseSplit(999, 1000)).toEqual({ sellerNetMinor: 900, feeMinor: 99 });
  });

  it("charges the fee on the released part only", () => {
    expect(settlementSplit(2500, 1000, 1000)).toEqual({ refundMinor: 1000, sellerNetMinor: 1350, feeMinor: 150 });
    expect(settlementSplit(2500, 2500, 1000)).toEqual({ refundMinor: 2500, sellerNetMinor: 0, feeMinor: 0 });
    expect(settlementSplit(2500, 0, 1000)).toEqual({ refundMinor: 0, sellerNetMinor: 2250, feeMinor: 250 });
  });

  it("rejects a refund larger than the amount", () => {
    expect(() => settlementSplit(100, 101, 0)).toThrow(/exceeds/);
    expect(() => settlementSplit(100, -1, 0)).toThrow(/negative/);
  });

  it("always sums to the amount, with no negative part (property)", () => {
    const amountAndRefund = fc
      .integer({ min: 1, max: MAX_AMOUNT_MINOR })
      .chain((amount) => fc.tuple(fc.constant(amount), fc.integer({ min: 0, max: amount })));
    fc.assert(
      fc.property(amountAndRefund, fc.integer({ min: 0, max: 10_000 }), ([amount, refund], bps) => {
        const split = settlementSplit(amount, refund, bps);
        expect(BigInt(split.refundMinor) + BigInt(split.sellerNetMinor) + BigInt(split.feeMinor)).toBe(BigInt(amount));
        expect(split.refundMinor).toBe(refund);
        expect(split.sellerNetMinor).toBeGreaterThanOrEqual(0);
        expect(split.feeMinor).toBe(feeMinor(amount - refund, bps));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("amount validation", () => {
  it("accepts positive safe integers only", () => {
    expect(isValidAmountMinor(1)).toBe(true);
    expect(isValidAmountMinor(MAX_AMOUNT_MINOR)).toBe(true);
    for (const bad of [0, -1, 1.5, MAX_AMOUNT_MINOR + 1, Number.NaN, Infinity, "100", null, 10n]) {
      expect(isValidAmountMinor(bad)).toBe(false);
    }
  });

  it("assertMinorUnits names the value", () => {
    expect(() => assertMinorUnits(0.1, "refundAmountMinor")).toThrow(/refundAmountMinor/);
    expect(() => assertMinorUnits(-5, "x")).not.toThrow();
  });
});

describe("formatMoney", () => {
  it("uses the currency's minor digits", () => {
    expect(formatMoney(2500, "USD")).toBe("$25.00");
    expect(formatMoney(5, "USD")).toBe("$0.05");
    expect(formatMoney(2500, "JPY")).toBe("¥2,500");
    expect(formatMoney(1234, "KWD")).toMatch(/1\.234/);
    expect(formatMoney(-150, "EUR")).toBe("-€1.50");
  });

  it("prints zero without a sign, negative zero included", () => {
    expect(formatMoney(0, "USD")).toBe("$0.00");
    expect(formatMoney(-0, "USD")).toBe("$0.00");
    expect(formatMoney(0, "JPY")).toBe("¥0");
    expect(formatMoney(-0, "JPY")).toBe("¥0");
    expect(formatMoney(-1, "USD")).toBe("-$0.01");
    expect(formatMoney(-1, "JPY")).toBe("-¥1");
  });

  it("pads the fraction and groups the whole part", () => {
    expect(formatMoney(1, "KWD")).toBe("KWD\u00a00.001");
    expect(formatMoney(1_234_567, "USD")).toBe("$12,345.67");
    expect(formatMoney(100, "usd")).toBe("$1.00");
    expect(formatMoney(1, "CLF")).toBe("CLF\u00a00.0001");
  });

  it("refuses an amount that is not whole minor units", () => {
    expect(() => formatMoney(0.5, "USD")).toThrow(/amountMinor must be a safe integer/);
  });

  it("prints amounts near 2^53 exactly", () => {
    expect(formatMoney(MAX_AMOUNT_MINOR, "USD")).toBe("$90,071,992,547,409.91");
    expect(formatMoney(MAX_AMOUNT_MINOR, "JPY")).toBe("¥9,007,199,254,740,991");
  });

  it("knows minor digits per ISO 4217", () => {
    expect(currencyMinorDigits("USD")).toBe(2);
    expect(currencyMinorDigits("jpy")).toBe(0);
    expect(currencyMinorDigits("BHD")).toBe(3);
  });

  it("trusts ISO 4217 over Intl where they differ (IQD has 3 digits, Intl says 0)", () => {
    expect(currencyMinorDigits("IQD")).toBe(3);
    expect(currencyMinorDigits("iqd")).toBe(3);
    expect(formatMoney(1_234, "IQD")).toBe("IQD\u00a01.234");
    expect(currencyMinorDigits("LBP")).toBe(2);
  });

  it("still prints a code outside the table (Intl's digits), and refuses a malformed one", () => {
    expect(currencyMinorDigits("XAU")).toBe(2);
    expect(currencyMinorDigits("XAU")).toBe(2); // the cached answer is the same
    expect(currencyMinorDigits("xau")).toBe(2);
    expect(formatMoney(150, "XAU")).toBe("XAU\u00a01.50");
    expect(currencyMinorDigits("ITL")).toBe(0); // the lira, withdrawn: Intl still knows it had no minor unit
    expect(currencyMinorDigits("ITL")).toBe(0);
    expect(formatMoney(1_500, "ITL")).toBe("ITL\u00a01,500");
    expect(() => currencyMinorDigits("US")).toThrow(RangeError);
  });
});
