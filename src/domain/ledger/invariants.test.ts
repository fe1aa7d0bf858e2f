import { describe, expect, it } from "vitest";
import type { EscrowStatus } from "../escrow/states";
import { escrowAccountKey, externalFundingKey, platformFeeKey, walletKey } from "./accounts";
import { checkLedgerInvariants, type AccountBalance, type EscrowFundingFact } from "./invariants";

const wallet = (user: string, balance: number, currency = "USD"): AccountBalance => ({
  key: walletKey(user, currency),
  kind: "wallet",
  currency,
  balanceMinor: balance,
});
const escrowAccount = (id: string, balance: number | bigint): AccountBalance => ({
  key: escrowAccountKey(id),
  kind: "escrow",
  currency: "USD",
  balanceMinor: balance,
  escrowId: id,
});
const funding = (balance: number | bigint, currency = "USD"): AccountBalance => ({
  key: externalFundingKey(currency),
  kind: "external_funding",
  currency,
  balanceMinor: balance,
});
const fact = (id: string, status: EscrowStatus, amountMinor = 500): EscrowFundingFact => ({
  id,
  status,
  amountMinor,
  currency: "USD",
});

function invariantsOf(accounts: AccountBalance[], escrows: EscrowFundingFact[] = []) {
  return checkLedgerInvariants(accounts, escrows).map((v) => v.invariant);
}

describe("checkLedgerInvariants", () => {
  it("passes a consistent ledger", () => {
    const accounts = [
      funding(-1000),
      wallet("buyer", 400),
      escrowAccount("e1", 500),
      { key: platformFeeKey("USD"), kind: "platform_fee" as const, currency: "USD", balanceMinor: 100 },
    ];
    expect(
      checkLedgerInvariants(accounts, [fact("e1", "active"), fact("e2", "pending"), fact("e3", "cancelled")]),
    ).toEqual([]);
  });

  it("detects money created from nothing, per currency", () => {
    const violations = checkLedgerInvariants([funding(-1000), wallet("buyer", 1000), wallet("buyer", 5, "EUR")], []);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ invariant: "currency_sum_nonzero" });
    expect(violations[0]!.message).toMatch(/EUR/);
  });

  it("sums with BigInt so huge balances do not round", () => {
    const big = 2n ** 60n;
    expect(invariantsOf([funding(-big), wallet("a", 0), { ...wallet("a", 0), balanceMinor: big }])).toEqual([]);
    expect(invariantsOf([funding(-big), { ...wallet("a", 0), balanceMinor: big + 1n }])).toEqual([
      "currency_sum_nonzero",
    ]);
  });

  it("detects a negative wallet but allows negative external accounts", () => {
    expect(invariantsOf([funding(100), wallet("buyer", -100)])).toEqual(["negative_balance"]);
    expect(invariantsOf([funding(-100), wallet("buyer", 100)])).toEqual([]);
  });

  it("detects a funded escrow not holding its amount", () => {
    expect(invariantsOf([funding(-499), escrowAccount("e1", 499)], [fact("e1", "disputed")])).toEqual([
      "funded_escrow_mismatch",
    ]);
  });

  it("detects a finished escrow still holding money", () => {
    for (const status of ["completed", "refunded", "resolved", "cancelled"] as const) {
      expect(invariantsOf([funding(-1), escrowAccount("e1", 1)], [fact("e1", status)])).toEqual([
        "terminal_escrow_nonzero",
      ]);
    }
  });

  it("detects a pending escrow holding money", () => {
    expect(invariantsOf([funding(-500), escrowAccount("e1", 500)], [fact("e1", "pending")])).toEqual([
      "unfunded_escrow_nonzero",
    ]);
  });

  it("detects a funded or settled escrow without an account, but not a pending or cancelled one", () => {
    expect(invariantsOf([], [fact("e1", "active")])).toEqual(["missing_escrow_account"]);
    expect(invariantsOf([], [fact("e1", "completed")])).toEqual(["missing_escrow_account"]);
    expect(invariantsOf([], [fact("e1", "pending"), fact("e2", "cancelled")])).toEqual([]);
  });

  it("finds the escrow account by key when escrowId is not given", () => {
    const account: AccountBalance = { key: escrowAccountKey("e9"), kind: "escrow", currency: "USD", balanceMinor: 500 };
    expect(invariantsOf([funding(-500), account], [fact("e9", "active")])).toEqual([]);
    expect(invariantsOf([funding(-500), account], [fact("e9", "completed")])).toEqual(["terminal_escrow_nonzero"]);
  });
});
