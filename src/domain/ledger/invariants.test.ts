import { describe, expect, it } from "vitest";
import { FUNDED_STATUSES, type EscrowStatus } from "../escrow/states";
import {
  LEDGER_ACCOUNT_KINDS,
  escrowAccountKey,
  externalFundingKey,
  heldKey,
  mayGoNegative,
  platformFeeKey,
  walletKey,
} from "./accounts";
import { checkHeldAgainstHolds, checkLedgerInvariants, checkTransferTotals, type AccountBalance, type EscrowFundingFact } from "./invariants";
import { TRANSFER_KINDS, operationKey } from "./transfers";

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

describe("checkLedgerInvariants: what each violation says", () => {
  it("states the currency and the sum of money created or destroyed", () => {
    expect(checkLedgerInvariants([funding(-1000), wallet("buyer", 1001)], [])).toEqual([
      { invariant: "currency_sum_nonzero", subject: "USD", message: "USD accounts sum to 1, not 0: money was created or destroyed." },
    ]);
    expect(checkLedgerInvariants([funding(-1000), wallet("buyer", 999)], [])[0]!.message).toMatch(/sum to -1, not 0/);
  });

  it("states the account, its kind and the negative balance", () => {
    expect(checkLedgerInvariants([funding(100), wallet("buyer", -100)], [])).toEqual([
      { invariant: "negative_balance", subject: "wallet:buyer:USD", message: "Account wallet:buyer:USD (wallet) has a negative balance of -100." },
    ]);
  });

  it("allows a wallet at exactly zero, and both external accounts below it", () => {
    expect(invariantsOf([wallet("buyer", 0)])).toEqual([]);
    const payout: AccountBalance = { key: "external_payout:USD", kind: "external_payout", currency: "USD", balanceMinor: -5 };
    expect(invariantsOf([payout, wallet("buyer", 5)])).toEqual([]);
    for (const kind of ["held", "escrow", "platform_fee"] as const) {
      expect(invariantsOf([funding(5), { key: kind, kind, currency: "USD", balanceMinor: -5 }])).toEqual(["negative_balance"]);
    }
  });

  it("states what a funded escrow should hold and what it holds, too little or too much", () => {
    expect(checkLedgerInvariants([funding(-501), escrowAccount("e1", 501)], [fact("e1", "active")])).toEqual([
      {
        invariant: "funded_escrow_mismatch",
        subject: "e1",
        message: "Escrow e1 is active and should hold 500 USD, but its account holds 501.",
      },
    ]);
  });

  it("checks every funded state for its amount", () => {
    for (const status of FUNDED_STATUSES) {
      expect(invariantsOf([funding(-500), escrowAccount("e1", 500)], [fact("e1", status)])).toEqual([]);
      expect(invariantsOf([funding(0), escrowAccount("e1", 0)], [fact("e1", status)])).toEqual(["funded_escrow_mismatch"]);
    }
  });

  it("states what a finished or unfunded escrow still holds", () => {
    expect(checkLedgerInvariants([funding(-7), escrowAccount("e1", 7)], [fact("e1", "refunded")])).toEqual([
      { invariant: "terminal_escrow_nonzero", subject: "e1", message: "Escrow e1 is refunded, but its account still holds 7 USD." },
    ]);
    expect(checkLedgerInvariants([funding(-7), escrowAccount("e1", 7)], [fact("e1", "pending")])).toEqual([
      { invariant: "unfunded_escrow_nonzero", subject: "e1", message: "Escrow e1 is pending (not funded yet), but its account holds 7 USD." },
    ]);
    expect(invariantsOf([escrowAccount("e1", 0)], [fact("e1", "pending"), fact("e2", "cancelled")])).toEqual([]);
    expect(invariantsOf([escrowAccount("e1", 0)], [fact("e1", "completed")])).toEqual([]);
  });

  it("states which escrow has no account", () => {
    expect(checkLedgerInvariants([], [fact("e1", "disputed")])).toEqual([
      { invariant: "missing_escrow_account", subject: "e1", message: "Escrow e1 is disputed, so it was funded, but it has no ledger account." },
    ]);
  });

  it("matches an escrow only with an escrow account, by escrowId, its key, or a bare key", () => {
    // a held account that names the escrow is not the escrow's account
    const held: AccountBalance = { key: "held:u:USD", kind: "held", currency: "USD", balanceMinor: 0, escrowId: "e1" };
    expect(invariantsOf([funding(-500), escrowAccount("e1", 500), held], [fact("e1", "active")])).toEqual([]);
    const bare: AccountBalance = { key: "e7", kind: "escrow", currency: "USD", balanceMinor: 500 };
    expect(invariantsOf([funding(-500), bare], [fact("e7", "active")])).toEqual([]);
    const nullId: AccountBalance = { key: escrowAccountKey("e8"), kind: "escrow", currency: "USD", balanceMinor: 500, escrowId: null };
    expect(invariantsOf([funding(-500), nullId], [fact("e8", "active")])).toEqual([]);
  });

  it("reports every violation, sums first, then negatives, then escrows", () => {
    expect(
      invariantsOf([wallet("a", -1), escrowAccount("e1", 3)], [fact("e1", "active"), fact("e2", "completed")]),
    ).toEqual(["currency_sum_nonzero", "negative_balance", "funded_escrow_mismatch", "missing_escrow_account"]);
  });
});

describe("ledger account and operation keys", () => {
  it("are the stable strings the database stores", () => {
    expect(walletKey("u1", "USD")).toBe("wallet:u1:USD");
    expect(heldKey("u1", "EUR")).toBe("held:u1:EUR");
    expect(escrowAccountKey("e1")).toBe("escrow:e1");
    expect(platformFeeKey("JPY")).toBe("platform_fee:JPY");
    expect(externalFundingKey("USD")).toBe("external_funding:USD");
    expect(operationKey("e1", "release")).toBe("e1:release");
  });

  it("let only the external accounts (and the platform's chargeback losses) go negative", () => {
    expect(LEDGER_ACCOUNT_KINDS.filter(mayGoNegative)).toEqual(["external_funding", "external_payout", "platform_loss"]);
    expect(TRANSFER_KINDS).toEqual(["fund", "release", "fee", "refund", "topup", "payout", "hold_release", "payout_reversal", "chargeback", "evaluator_fee"]);
  });
});

describe("checkTransferTotals", () => {
  const alice = wallet("alice", 700);
  const bob = wallet("bob", 300);
  const source = funding(-1_000);
  const transfers = [
    { fromKey: source.key, toKey: alice.key, amountMinor: 1_000 },
    { fromKey: alice.key, toKey: bob.key, amountMinor: 300n },
  ];

  it("finds nothing when every balance is its transfers in minus out", () => {
    expect(checkTransferTotals([alice, bob, source], transfers)).toEqual([]);
    expect(checkTransferTotals([wallet("carol", 0)], [])).toEqual([]);
  });

  it("names each account whose balance its transfers do not explain", () => {
    expect(checkTransferTotals([{ ...alice, balanceMinor: 701 }, bob, wallet("carol", 5)], transfers)).toEqual([
      { invariant: "balance_differs_from_transfers", subject: alice.key, message: `Account ${alice.key} holds 701 but its transfers add up to 700.` },
      { invariant: "balance_differs_from_transfers", subject: walletKey("carol", "USD"), message: `Account ${walletKey("carol", "USD")} holds 5 but its transfers add up to 0.` },
    ]);
  });

  it("sums beyond 2^53 exactly", () => {
    const big = 2n ** 60n;
    expect(checkTransferTotals([{ ...alice, balanceMinor: big + 1n }], [{ fromKey: source.key, toKey: alice.key, amountMinor: big + 1n }])).toEqual([]);
  });
});

describe("checkHeldAgainstHolds", () => {
  const held = (owner: string, balance: number | bigint, currency = "USD"): AccountBalance => ({ key: heldKey(owner, currency), kind: "held", currency, balanceMinor: balance });
  const hold = (ownerId: string, amountMinor: number, released = false, currency = "USD") => ({ ownerId, currency, amountMinor, released });

  it("matches each held account with its owner's unreleased holds in its currency", () => {
    expect(
      checkHeldAgainstHolds(
        [held("ann", 1_500), held("ann", 90, "EUR"), held("ben", 0), wallet("ann", 99)],
        [hold("ann", 1_000), hold("ann", 500), hold("ann", 4_000, true), hold("ann", 90, false, "EUR"), hold("ben", 10, true)],
      ),
    ).toEqual([]);
  });

  it("names a held account that holds more or less than its unreleased holds", () => {
    expect(checkHeldAgainstHolds([held("ann", 1_500), held("ben", 0)], [hold("ann", 1_000, true), hold("ben", 10), hold("cat", 10)])).toEqual([
      { invariant: "held_differs_from_holds", subject: heldKey("ann", "USD"), message: `Held account ${heldKey("ann", "USD")} holds 1500 but its unreleased holds add up to 0.` },
      { invariant: "held_differs_from_holds", subject: heldKey("ben", "USD"), message: `Held account ${heldKey("ben", "USD")} holds 0 but its unreleased holds add up to 10.` },
    ]);
  });
});
