import { describe, expect, it } from "vitest";
import { DomainError } from "../escrow/errors";
import { checkLedgerInvariants } from "./invariants";
import { InMemoryLedger } from "./model";
import { operationKey } from "./transfers";

function ledger() {
  const l = new InMemoryLedger();
  l.open("ext", "external_funding", "USD");
  l.open("buyer", "wallet", "USD");
  l.open("seller", "wallet", "USD");
  l.open("eur", "wallet", "EUR");
  return l;
}

describe("InMemoryLedger", () => {
  it("moves money and lets only external accounts go negative", () => {
    const l = ledger();
    expect(l.transfer("ext", "buyer", 100, "topup", "t1")).toBe("applied");
    expect(l.balance("ext")).toBe(-100n);
    expect(l.balance("buyer")).toBe(100n);
    expect(checkLedgerInvariants(l.snapshot(), [])).toEqual([]);
  });

  it("refuses an overdraft with insufficient_funds and changes nothing", () => {
    const l = ledger();
    l.transfer("ext", "buyer", 100, "topup", "t1");
    const attempt = () => l.transfer("buyer", "seller", 101, "fund", "e1:fund");
    expect(attempt).toThrow(DomainError);
    try {
      attempt();
    } catch (error) {
      expect((error as DomainError).code).toBe("insufficient_funds");
      expect((error as DomainError).status).toBe(422);
    }
    expect([l.balance("buyer"), l.balance("seller"), l.transfers.length]).toEqual([100n, 0n, 1]);
  });

  it("moves an operation once; a replay is a duplicate", () => {
    const l = ledger();
    l.transfer("ext", "buyer", 100, "topup", "t1");
    expect(l.transfer("buyer", "seller", 60, "release", operationKey("e1", "release"))).toBe("applied");
    expect(l.transfer("buyer", "seller", 60, "release", operationKey("e1", "release"))).toBe("duplicate");
    expect(l.balance("seller")).toBe(60n);
    expect(() => l.transfer("buyer", "seller", 10, "release", "e1:release")).toThrow(/different transfer/);
  });

  it("applies a batch atomically", () => {
    const l = ledger();
    l.transfer("ext", "buyer", 100, "topup", "t1");
    expect(() =>
      l.transferAll([
        { fromKey: "buyer", toKey: "seller", amountMinor: 80, kind: "release", operationKey: "a" },
        { fromKey: "buyer", toKey: "seller", amountMinor: 80, kind: "fee", operationKey: "b" },
      ]),
    ).toThrow(DomainError);
    expect([l.balance("buyer"), l.balance("seller")]).toEqual([100n, 0n]);
  });

  it.each([
    ["a zero amount", "ext", "buyer", 0],
    ["a fractional amount", "ext", "buyer", 1.5],
    ["an unsafe amount", "ext", "buyer", 2 ** 53],
    ["a self-transfer", "buyer", "buyer", 1],
    ["a currency mismatch", "ext", "eur", 1],
    ["an unknown account", "ext", "nobody", 1],
  ])("rejects %s", (_, from, to, amount) => {
    const l = ledger();
    expect(() => l.transfer(from, to, amount, "topup", "x")).toThrow();
    expect(l.transfers).toEqual([]);
  });
});
