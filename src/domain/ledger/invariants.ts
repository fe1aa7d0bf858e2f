/**
 * The ledger's invariants (SPEC §3.3), checkable at any time over a snapshot of balances:
 * - currency_sum_nonzero: per currency, all accounts sum to zero (double entry: money is only moved);
 * - negative_balance: no account but the external ones is below zero;
 * - funded_escrow_mismatch: an escrow in a funded state holds exactly its amount;
 * - terminal_escrow_nonzero: a finished escrow's account is empty;
 * - unfunded_escrow_nonzero: a pending escrow's account is empty (nothing was taken yet);
 * - missing_escrow_account: an escrow that was funded at some point has no account.
 * Sums are BigInt so that no number of balances near 2^53 can overflow.
 */
import { FUNDED_STATUSES, isTerminal, type EscrowStatus } from "../escrow/states";
import { escrowAccountKey, mayGoNegative, type LedgerAccountKind } from "./accounts";

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
  | "missing_escrow_account";

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
