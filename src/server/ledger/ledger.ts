// Posting transfers on the double-entry ledger, inside the caller's
// transaction. Balances live on the account rows so that "never negative" is
// one conditional UPDATE (backed by a CHECK constraint); every movement is
// also a transfer row whose operation key is unique, so a replayed or racing
// operation can never move money twice.
import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import { newId } from "../ids";
import { DomainError } from "~/domain/escrow/errors";
import { LEDGER_ACCOUNT_KINDS, mayGoNegative, type LedgerAccountKind } from "~/domain/ledger/accounts";
import type { TransferKind } from "~/domain/ledger/transfers";
import { formatMoney } from "~/domain/money";

export interface AccountSpec {
  key: string;
  kind: LedgerAccountKind;
  currency: string;
  userId?: string | null;
  escrowId?: string | null;
}

export interface TransferSpec {
  operationKey: string;
  kind: TransferKind;
  from: AccountSpec;
  to: AccountSpec;
  amountMinor: number;
  currency: string;
  escrowId?: string | null;
}

export type TransferResult = { status: "posted"; transferId: string } | { status: "duplicate" };

const EXTERNAL_KINDS: LedgerAccountKind[] = LEDGER_ACCOUNT_KINDS.filter(mayGoNegative);

/** The account's id, creating the account at zero if it does not exist yet. */
export async function ensureAccount(tx: Tx, spec: AccountSpec): Promise<string> {
  const id = newId("acc");
  await tx.$executeRaw`
    INSERT INTO ledger_accounts (id, key, kind, currency, user_id, escrow_id, balance_minor, updated_at)
    VALUES (${id}, ${spec.key}, ${spec.kind}::"LedgerAccountKind", ${spec.currency}, ${spec.userId ?? null},
            ${spec.escrowId ?? null}, 0, now())
    ON CONFLICT (key) DO NOTHING`;
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM ledger_accounts WHERE key = ${spec.key}`;
  const row = rows[0];
  if (!row) throw new Error(`ledger account ${spec.key} vanished after upsert`);
  return row.id;
}

/**
 * Moves `amountMinor` from one account to another. Throws insufficient_funds
 * (and the caller's transaction rolls back) if a non-external account would go
 * negative. A second call with the same operation key moves nothing.
 */
export async function postTransfer(tx: Tx, spec: TransferSpec): Promise<TransferResult> {
  if (!Number.isSafeInteger(spec.amountMinor) || spec.amountMinor <= 0) {
    throw new Error(`transfer amount must be a positive safe integer, got ${spec.amountMinor}`);
  }
  // Created (a new key is held from its insert) and locked in key order, as every writer of accounts does.
  const toFirst = spec.to.key < spec.from.key;
  const toIdFirst = toFirst ? await ensureAccount(tx, spec.to) : null;
  const fromId = await ensureAccount(tx, spec.from);
  const toId = toIdFirst ?? (await ensureAccount(tx, spec.to));
  const transferId = newId("trf");
  const amount = BigInt(spec.amountMinor);
  const inserted = await tx.$executeRaw`
    INSERT INTO ledger_transfers (id, operation_key, kind, from_account_id, to_account_id, amount_minor, currency, escrow_id)
    VALUES (${transferId}, ${spec.operationKey}, ${spec.kind}::"TransferKind", ${fromId}, ${toId}, ${amount},
            ${spec.currency}, ${spec.escrowId ?? null})
    ON CONFLICT (operation_key) DO NOTHING`;
  if (inserted === 0) return { status: "duplicate" };

  // Lock the two rows in key order, the one order every writer of accounts takes (a transition's write
  // statement, a timer batch: src/server/jobs/fire-timer.ts), so no two of them can deadlock.
  const steps: (() => Promise<void>)[] = [
    () => debit(tx, fromId, amount, spec),
    () => credit(tx, toId, amount),
  ];
  if (toFirst) steps.reverse();
  for (const step of steps) await step();
  return { status: "posted", transferId };
}

async function debit(tx: Tx, accountId: string, amount: bigint, spec: TransferSpec): Promise<void> {
  const externalKinds = Prisma.join(EXTERNAL_KINDS.map((k) => Prisma.sql`${k}::"LedgerAccountKind"`));
  const updated = await tx.$executeRaw`
    UPDATE ledger_accounts SET balance_minor = balance_minor - ${amount}, updated_at = now()
     WHERE id = ${accountId} AND (kind IN (${externalKinds}) OR balance_minor >= ${amount})`;
  if (updated === 1) return;
  const [row] = await tx.$queryRaw<{ balance_minor: bigint }[]>`
    SELECT balance_minor FROM ledger_accounts WHERE id = ${accountId}`;
  throw insufficientFundsError(spec.amountMinor, Number(row?.balance_minor ?? 0n), spec.currency);
}

/** The refusal of a movement a non-external account cannot cover (nothing is written). */
export function insufficientFundsError(neededMinor: number, availableMinor: number, currency: string): DomainError {
  return new DomainError({
    code: "insufficient_funds",
    message:
      `Insufficient funds: ${formatMoney(neededMinor, currency)} is needed but the balance is ` +
      `${formatMoney(availableMinor, currency)}. Add funds to your wallet and try again.`,
  });
}

async function credit(tx: Tx, accountId: string, amount: bigint): Promise<void> {
  await tx.$executeRaw`
    UPDATE ledger_accounts SET balance_minor = balance_minor + ${amount}, updated_at = now() WHERE id = ${accountId}`;
}
