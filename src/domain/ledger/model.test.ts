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

describe("InMemoryLedger's own safety checks", () => {
  it("refuses an operation key reused for another transfer: other source, target, amount or kind", () => {
    const l = ledger();
    l.open("other", "wallet", "USD");
    l.transfer("ext", "buyer", 100, "topup", "t1");
    expect(l.transfer("buyer", "seller", 10, "fund", "op")).toBe("applied");
    const reused = [
      ["other", "seller", 10, "fund"],
      ["buyer", "other", 10, "fund"],
      ["buyer", "seller", 11, "fund"],
      ["buyer", "seller", 10, "release"],
    ] as const;
    for (const [from, to, amount, kind] of reused) {
      expect(() => l.transfer(from, to, amount, kind, "op")).toThrow("operation key op was already used for a different transfer");
    }
    expect([l.balance("buyer"), l.balance("seller"), l.balance("other"), l.transfers.length]).toEqual([90n, 10n, 0n, 2]);
    expect(l.transfer("buyer", "seller", 10, "fund", "op")).toBe("duplicate");
  });

  it("refuses a transfer to itself, even from an account that may go negative", () => {
    const l = ledger();
    expect(() => l.transfer("ext", "ext", 5, "topup", "x")).toThrow("transfer from ext to itself");
    l.transfer("ext", "buyer", 100, "topup", "t1");
    expect(() => l.transfer("buyer", "buyer", 5, "fund", "y")).toThrow("transfer from buyer to itself");
    expect([l.balance("ext"), l.balance("buyer"), l.transfers.length]).toEqual([-100n, 100n, 1]);
  });

  it("refuses to reopen an account with another kind or currency, and keeps the first", () => {
    const l = ledger();
    expect(() => l.open("buyer", "held", "USD")).toThrow("account buyer already exists as wallet in USD");
    expect(() => l.open("buyer", "wallet", "EUR")).toThrow("account buyer already exists as wallet in USD");
    l.transfer("ext", "buyer", 100, "topup", "t1");
    l.open("buyer", "wallet", "USD"); // the same account again is fine and keeps its balance
    expect(l.balance("buyer")).toBe(100n);
    expect(l.snapshot().filter((a) => a.key === "buyer")).toEqual([
      { key: "buyer", kind: "wallet", currency: "USD", balanceMinor: 100n, escrowId: null },
    ]);
  });

  it("lets an account be emptied to exactly zero, and states the shortfall otherwise", () => {
    const l = ledger();
    l.transfer("ext", "buyer", 100, "topup", "t1");
    expect(l.transfer("buyer", "seller", 100, "fund", "all")).toBe("applied");
    expect([l.balance("buyer"), l.balance("seller")]).toEqual([0n, 100n]);
    expect(() => l.transfer("seller", "buyer", 101, "refund", "r")).toThrow(
      "Insufficient funds: 101 is needed but account seller holds 100.",
    );
  });

  it("names what is wrong with a refused transfer", () => {
    const l = ledger();
    expect(() => l.transfer("ext", "buyer", 0, "topup", "a")).toThrow("transfer amount must be a positive safe integer, got 0");
    expect(() => l.transfer("ext", "eur", 1, "topup", "b")).toThrow("transfer between USD and EUR accounts");
    expect(() => l.transfer("ext", "nobody", 1, "topup", "c")).toThrow("unknown ledger account nobody");
    expect(() => l.transfer("nobody", "ext", 1, "topup", "d")).toThrow("unknown ledger account nobody");
  });

  it("refuses one operation key twice in a batch, and stages a batch's movements in order", () => {
    const l = ledger();
    l.transfer("ext", "buyer", 100, "topup", "t1");
    expect(() =>
      l.transferAll([
        { fromKey: "buyer", toKey: "seller", amountMinor: 1, kind: "fund", operationKey: "k" },
        { fromKey: "buyer", toKey: "seller", amountMinor: 1, kind: "fund", operationKey: "k" },
      ]),
    ).toThrow("operation key k twice in one batch");
    expect(l.transfers).toHaveLength(1);
    // the second movement spends what the first brought in: staging sees the batch so far
    expect(
      l.transferAll([
        { fromKey: "buyer", toKey: "seller", amountMinor: 100, kind: "fund", operationKey: "f" },
        { fromKey: "seller", toKey: "buyer", amountMinor: 30, kind: "refund", operationKey: "r" },
        { fromKey: "ext", toKey: "buyer", amountMinor: 100, kind: "topup", operationKey: "t1" },
      ]),
    ).toEqual(["applied", "applied", "duplicate"]);
    expect([l.balance("buyer"), l.balance("seller"), l.balance("ext")]).toEqual([30n, 70n, -100n]);
    expect(l.transfers.map((t) => t.operationKey)).toEqual(["t1", "f", "r"]);
    expect(l.transfers[1]).toEqual({ fromKey: "buyer", toKey: "seller", amountMinor: 100, kind: "fund", operationKey: "f" });
  });

  it("answers zero for an account it never saw, and snapshots every account with its escrow", () => {
    const l = new InMemoryLedger();
    expect(l.balance("nowhere")).toBe(0n);
    l.open("ext", "external_funding", "USD");
    l.open("escrow:e1", "escrow", "USD", "e1");
    l.transfer("ext", "escrow:e1", 500, "fund", "e1:fund");
    expect(l.snapshot()).toEqual([
      { key: "ext", kind: "external_funding", currency: "USD", balanceMinor: -500n, escrowId: null },
      { key: "escrow:e1", kind: "escrow", currency: "USD", balanceMinor: 500n, escrowId: "e1" },
    ]);
  });

  it("lets the payout account go negative too, and no account that holds real money", () => {
    const l = new InMemoryLedger();
    for (const kind of ["wallet", "held", "escrow", "platform_fee"] as const) l.open(kind, kind, "USD");
    l.open("payout", "external_payout", "USD");
    expect(l.transfer("payout", "wallet", 5, "topup", "p")).toBe("applied");
    expect(l.balance("payout")).toBe(-5n);
    for (const kind of ["held", "escrow", "platform_fee"] as const) {
      expect(() => l.transfer(kind, "wallet", 1, "release", `${kind}:x`)).toThrow(DomainError);
    }
  });
});
