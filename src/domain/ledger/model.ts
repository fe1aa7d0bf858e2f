/**
 * A tiny in-memory double-entry ledger with the same rules the database ledger enforces. It is the
 * reference model for property tests: if a sequence of decisions is applied here and the invariants
 * hold after every step, the rules themselves are sound.
 */
import { DomainError } from "../escrow/errors";
import { isValidAmountMinor } from "../money";
import { mayGoNegative, type LedgerAccountKind } from "./accounts";
import type { AccountBalance } from "./invariants";
import type { TransferKind } from "./transfers";

export interface LedgerAccount {
  key: string;
  kind: LedgerAccountKind;
  currency: string;
  escrowId: string | null;
}

export interface Transfer {
  fromKey: string;
  toKey: string;
  amountMinor: number;
  kind: TransferKind;
  operationKey: string;
}

export type TransferOutcome = "applied" | "duplicate";

export class InMemoryLedger {
  private readonly accounts = new Map<string, LedgerAccount>();
  private readonly balances = new Map<string, bigint>();
  private readonly byOperationKey = new Map<string, Transfer>();
  readonly transfers: Transfer[] = [];

  /** Creates the account if it does not exist; an existing account must match. */
  open(key: string, kind: LedgerAccountKind, currency: string, escrowId: string | null = null): void {
    const existing = this.accounts.get(key);
    if (existing) {
      if (existing.kind !== kind || existing.currency !== currency) {
        throw new Error(`account ${key} already exists as ${existing.kind} in ${existing.currency}`);
      }
      return;
    }
    this.accounts.set(key, { key, kind, currency, escrowId });
    this.balances.set(key, 0n);
  }

  balance(key: string): bigint {
    return this.balances.get(key) ?? 0n;
  }

  /**
   * Moves money. A repeated operationKey moves nothing and answers "duplicate" (the database's unique
   * index); reusing a key for a different movement is a bug and throws. Insufficient funds throws
   * DomainError insufficient_funds and changes nothing.
   */
  transfer(
    fromKey: string,
    toKey: string,
    amountMinor: number,
    kind: TransferKind,
    operationKey: string,
  ): TransferOutcome {
    return this.transferAll([{ fromKey, toKey, amountMinor, kind, operationKey }])[0] ?? "duplicate";
  }

  /** Several movements as one atomic unit, like one database transaction: all apply or none do. */
  transferAll(batch: readonly Transfer[]): TransferOutcome[] {
    const pending = new Map<string, bigint>();
    const seenInBatch = new Set<string>();
    const outcomes = batch.map((transfer): TransferOutcome => {
      if (seenInBatch.has(transfer.operationKey))
        throw new Error(`operation key ${transfer.operationKey} twice in one batch`);
      seenInBatch.add(transfer.operationKey);
      if (this.isDuplicate(transfer)) return "duplicate";
      this.stage(transfer, pending);
      return "applied";
    });
    for (const [key, balance] of pending) this.balances.set(key, balance);
    batch.forEach((transfer, i) => {
      if (outcomes[i] !== "applied") return;
      this.transfers.push({ ...transfer });
      this.byOperationKey.set(transfer.operationKey, { ...transfer });
    });
    return outcomes;
  }

  snapshot(): AccountBalance[] {
    return [...this.accounts.values()].map((account) => ({
      key: account.key,
      kind: account.kind,
      currency: account.currency,
      balanceMinor: this.balance(account.key),
      escrowId: account.escrowId,
    }));
  }

  private isDuplicate(transfer: Transfer): boolean {
    const previous = this.byOperationKey.get(transfer.operationKey);
    if (previous === undefined) return false;
    const same =
      previous.fromKey === transfer.fromKey &&
      previous.toKey === transfer.toKey &&
      previous.amountMinor === transfer.amountMinor &&
      previous.kind === transfer.kind;
    if (!same) throw new Error(`operation key ${transfer.operationKey} was already used for a different transfer`);
    return true;
  }

  /** Validates one movement against the balances staged so far and stages its effect. */
  private stage(transfer: Transfer, pending: Map<string, bigint>): void {
    const { fromKey, toKey, amountMinor } = transfer;
    if (!isValidAmountMinor(amountMinor))
      throw new Error(`transfer amount must be a positive safe integer, got ${amountMinor}`);
    if (fromKey === toKey) throw new Error(`transfer from ${fromKey} to itself`);
    const from = this.account(fromKey);
    const to = this.account(toKey);
    if (from.currency !== to.currency) throw new Error(`transfer between ${from.currency} and ${to.currency} accounts`);

    const fromBalance = (pending.get(fromKey) ?? this.balance(fromKey)) - BigInt(amountMinor);
    if (fromBalance < 0n && !mayGoNegative(from.kind)) {
      throw new DomainError({
        code: "insufficient_funds",
        message: `Insufficient funds: ${amountMinor} is needed but account ${fromKey} holds ${fromBalance + BigInt(amountMinor)}.`,
      });
    }
    pending.set(fromKey, fromBalance);
    pending.set(toKey, (pending.get(toKey) ?? this.balance(toKey)) + BigInt(amountMinor));
  }

  private account(key: string): LedgerAccount {
    const account = this.accounts.get(key);
    if (!account) throw new Error(`unknown ledger account ${key}`);
    return account;
  }
}
