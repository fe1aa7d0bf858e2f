/**
 * The ledger's invariants (SPEC §3.3), checkable at any time over a snapshot of balances:
 * - currency_sum_nonzero: per currency, all accounts sum to zero (double entry: money is only moved);
 * - negative_balance: no account but the external ones is below zero;
 * - funded_escrow_mismatch: an escrow in a funded state holds exactly its amount;
 * - terminal_escrow_nonzero: a finished escrow's account is empty;
 * - unfunded_escrow_nonzero: a pending escrow's account is empty (nothing was taken yet);
 * - missing_escrow_account: an escrow that was funded at some point has no account.
 * And two that compare balances with the records behind them (checkTransferTotals, checkHeldAgainstHolds):
 * - balance_differs_from_transfers: an account's balance is what its transfers in and out add up to;
 * - held_differs_from_holds: an owner's held account holds exactly their unreleased payout holds.
 * Sums are BigInt so that no number of balances near 2^53 can overflow.
 */
import { FUNDED_STATUSES, isTerminal, type EscrowStatus } from "../escrow/states";
import { escrowAccountKey, heldKey, mayGoNegative, type LedgerAccountKind } from "./accounts";

export interface AccountBalance {
  key: string;
  kind: LedgerAccountKind;
  currency: string;
  balanceMinor: number | bigint;
  escrowId?: string | null;
}

export interface EscrowFundingFact {
  id: string;
  status: EscrowStatus;
  amountMinor: number;
  currency: string;
}

export type LedgerInvariant =
  | "currency_sum_nonzero"
  | "negative_balance"
  | "funded_escrow_mismatch"
  | "terminal_escrow_nonzero"
  | "unfunded_escrow_nonzero"
  | "missing_escrow_account"
  | "balance_differs_from_transfers"
  | "held_differs_from_holds";

export interface LedgerViolation {
  invariant: LedgerInvariant;
  /** What it is about (a currency, an account key, an escrow id): with the invariant, it names the violation
   * apart from the amounts in the message, which change as money moves. */
  subject: string;
  message: string;
}

export function checkLedgerInvariants(
  accounts: readonly AccountBalance[],
  escrows: readonly EscrowFundingFact[],
): LedgerViolation[] {
  return [...currencySums(accounts), ...negativeBalances(accounts), ...escrowBalances(accounts, escrows)];
}

function currencySums(accounts: readonly AccountBalance[]): LedgerViolation[] {
  const sums = new Map<string, bigint>();
  for (const account of accounts) {
    sums.set(account.currency, (sums.get(account.currency) ?? 0n) + BigInt(account.balanceMinor));
  }
  return [...sums]
    .filter(([, sum]) => sum !== 0n)
    .map(([currency, sum]) => ({
      invariant: "currency_sum_nonzero",
      subject: currency,
      message: `${currency} accounts sum to ${sum}, not 0: money was created or destroyed.`,
    }));
}

function negativeBalances(accounts: readonly AccountBalance[]): LedgerViolation[] {
  return accounts
    .filter((account) => !mayGoNegative(account.kind) && BigInt(account.balanceMinor) < 0n)
    .map((account) => ({
      invariant: "negative_balance",
      subject: account.key,
      message: `Account ${account.key} (${account.kind}) has a negative balance of ${account.balanceMinor}.`,
    }));
}

function escrowBalances(accounts: readonly AccountBalance[], escrows: readonly EscrowFundingFact[]): LedgerViolation[] {
  const byEscrowId = new Map<string, AccountBalance>();
  for (const account of accounts) {
    if (account.kind !== "escrow") continue;
    byEscrowId.set(account.escrowId ?? escrowIdFromKey(account.key), account);
  }
  const violations: LedgerViolation[] = [];
  for (const escrow of escrows) {
    const violation = escrowViolation(escrow, byEscrowId.get(escrow.id));
    if (violation !== null) violations.push(violation);
  }
  return violations;
}

function escrowIdFromKey(key: string): string {
  const prefix = escrowAccountKey("");
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

/** Whether an escrow in this state must have been funded (so its account must exist). */
function wasFunded(status: EscrowStatus): boolean {
  return status !== "pending" && status !== "cancelled";
}

function escrowViolation(escrow: EscrowFundingFact, account: AccountBalance | undefined): LedgerViolation | null {
  if (account === undefined) {
    // An escrow account is created by its first transfer; pending and cancelled escrows never had one.
    if (!wasFunded(escrow.status)) return null;
    return {
      invariant: "missing_escrow_account",
      subject: escrow.id,
      message: `Escrow ${escrow.id} is ${escrow.status}, so it was funded, but it has no ledger account.`,
    };
  }
  const balance = BigInt(account.balanceMinor);
  if ((FUNDED_STATUSES as readonly EscrowStatus[]).includes(escrow.status)) {
    if (balance === BigInt(escrow.amountMinor)) return null;
    return {
      invariant: "funded_escrow_mismatch",
      subject: escrow.id,
      message: `Escrow ${escrow.id} is ${escrow.status} and should hold ${escrow.amountMinor} ${escrow.currency}, but its account holds ${balance}.`,
    };
  }
  if (balance === 0n) return null;
  if (isTerminal(escrow.status)) {
    return {
      invariant: "terminal_escrow_nonzero",
      subject: escrow.id,
      message: `Escrow ${escrow.id} is ${escrow.status}, but its account still holds ${balance} ${escrow.currency}.`,
    };
  }
  return {
    invariant: "unfunded_escrow_nonzero",
    subject: escrow.id,
    message: `Escrow ${escrow.id} is ${escrow.status} (not funded yet), but its account holds ${balance} ${escrow.currency}.`,
  };
}

/** One posted transfer, by the keys of the accounts it moved money between. */
export interface TransferRecord {
  fromKey: string;
  toKey: string;
  amountMinor: number | bigint;
}

/** One payout hold: money released to an owner but held for the agent's tier until it is released. */
export interface HoldRecord {
  ownerId: string;
  currency: string;
  amountMinor: number | bigint;
  released: boolean;
}

/**
 * Every account's stored balance is what its transfers add up to (in minus out): a balance written
 * without a transfer, or a transfer that did not move its balance, is money nobody can account for.
 * (The periodic check asks PostgreSQL the same question in one query: src/server/ledger/check.ts.)
 */
export function checkTransferTotals(accounts: readonly AccountBalance[], transfers: readonly TransferRecord[]): LedgerViolation[] {
  const net = new Map<string, bigint>();
  for (const t of transfers) {
    net.set(t.toKey, (net.get(t.toKey) ?? 0n) + BigInt(t.amountMinor));
    net.set(t.fromKey, (net.get(t.fromKey) ?? 0n) - BigInt(t.amountMinor));
  }
  return accounts.flatMap((account) => balanceAgainstTransfers(account, net.get(account.key) ?? 0n) ?? []);
}

/** One account against the total of its transfers (in minus out), however that total was summed. */
export function balanceAgainstTransfers(account: Pick<AccountBalance, "key" | "balanceMinor">, fromTransfersMinor: bigint): LedgerViolation | null {
  if (BigInt(account.balanceMinor) === fromTransfersMinor) return null;
  return {
    invariant: "balance_differs_from_transfers",
    subject: account.key,
    message: `Account ${account.key} holds ${account.balanceMinor} but its transfers add up to ${fromTransfersMinor}.`,
  };
}

/** Money held for an owner (their `held` account in a currency) is exactly the sum of their unreleased holds in it. */
export function checkHeldAgainstHolds(accounts: readonly AccountBalance[], holds: readonly HoldRecord[]): LedgerViolation[] {
  const unreleased = new Map<string, bigint>();
  for (const hold of holds) {
    if (hold.released) continue;
    const key = heldKey(hold.ownerId, hold.currency);
    unreleased.set(key, (unreleased.get(key) ?? 0n) + BigInt(hold.amountMinor));
  }
  return accounts
    .filter((account) => account.kind === "held")
    .flatMap((account) => heldAgainstHolds(account, unreleased.get(account.key) ?? 0n) ?? []);
}

/** One held account against the total of its owner's unreleased holds in its currency. */
export function heldAgainstHolds(account: Pick<AccountBalance, "key" | "balanceMinor">, unreleasedMinor: bigint): LedgerViolation | null {
  if (BigInt(account.balanceMinor) === unreleasedMinor) return null;
  return {
    invariant: "held_differs_from_holds",
    subject: account.key,
    message: `Held account ${account.key} holds ${account.balanceMinor} but its unreleased holds add up to ${unreleasedMinor}.`,
  };
}
