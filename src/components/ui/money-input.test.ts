import { describe, expect, it } from "vitest";
import { moneyInputText, parseMoneyInput } from "./money-input";

describe("parseMoneyInput", () => {
  it("reads amounts people type into exact minor units", () => {
    expect(parseMoneyInput("12", "USD")).toBe(1_200);
    expect(parseMoneyInput("12.5", "USD")).toBe(1_250);
    expect(parseMoneyInput("$0.07", "USD")).toBe(7);
    expect(parseMoneyInput("10,25", "EUR")).toBe(1_025);
    expect(parseMoneyInput("500", "JPY")).toBe(500);
  });

  it("refuses what is not an amount in that currency", () => {
    expect(parseMoneyInput("", "USD")).toBeNull();
    expect(parseMoneyInput("1.234", "USD")).toBeNull();
    expect(parseMoneyInput("5.5", "JPY")).toBeNull();
    expect(parseMoneyInput("-3", "USD")).toBeNull();
    expect(parseMoneyInput("ten", "USD")).toBeNull();
  });
});

describe("moneyInputText", () => {
  it("writes minor units as typed text that parses back to the same amount", () => {
    expect(moneyInputText(1_250, "USD")).toBe("12.50");
    expect(moneyInputText(7, "USD")).toBe("0.07");
    expect(moneyInputText(0, "EUR")).toBe("0.00");
    expect(moneyInputText(500, "JPY")).toBe("500");
    for (const [minor, currency] of [[1_250, "USD"], [7, "USD"], [123_456_789, "EUR"], [500, "JPY"]] as const) {
      expect(parseMoneyInput(moneyInputText(minor, currency), currency)).toBe(minor);
    }
  });
});
