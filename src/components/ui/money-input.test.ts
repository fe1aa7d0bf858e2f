import { describe, expect, it } from "vitest";
import { parseMoneyInput } from "./money-input";

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
