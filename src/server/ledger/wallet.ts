// Wallets: balances per currency and the built-in test funding source (for
// development, demos and tests; a real payment provider is a later adapter
// behind the same transfer).
import { externalFundingKey, walletKey } from "~/domain/ledger/accounts";
import { isValidAmountMinor } from "~/domain/money";
import type { EngineContext } from "../context";
import { inTransaction, type Tx } from "../db/transaction";
import { invalid } from "../errors";
import { newId } from "../ids";
import { postTransfer } from "./ledger";

export const MAX_TEST_TOPUP_MINOR = 1_000_000_00;

export async function addTestFundsInTx(
  tx: Tx,
  userId: string,
  currency: string,
  amountMinor: number,
  operationKey = `topup:${newId("trf")}`,
) {
  if (!isValidAmountMinor(amountMinor) || amountMinor > MAX_TEST_TOPUP_MINOR) {
    throw invalid("amount", `a positive integer in minor units, at most ${MAX_TEST_TOPUP_MINOR}`);
  }
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid("currency", "an ISO 4217 code such as USD");
  return postTransfer(tx, {
    operationKey,
    kind: "topup",
    from: { key: externalFundingKey(currency), kind: "external_funding", currency },
    to: { key: walletKey(userId, currency), kind: "wallet", currency, userId },
    amountMinor,
    currency,
  });
}

export function addTestFunds(ctx: EngineContext, userId: string, currency: string, amountMinor: number, operationKey?: string) {
  return inTransaction(ctx.db, (tx) => addTestFundsInTx(tx, userId, currency, amountMinor, operationKey));
}

export interface WalletBalance {
  currency: string;
  /** Available: can pay for purchases (and, later, be paid out). */
  balanceMinor: number;
  /** Released to this owner but still held for the agent's risk tier (src/server/risk/holds.ts). */
  heldMinor: number;
}

export async function walletBalances(ctx: EngineContext, userId: string): Promise<WalletBalance[]> {
  const accounts = await ctx.db.ledgerAccount.findMany({
    where: { userId, kind: { in: ["wallet", "held"] } },
    orderBy: { currency: "asc" },
  });
  const byCurrency = new Map<string, WalletBalance>();
  for (const account of accounts) {
    const entry = byCurrency.get(account.currency) ?? { currency: account.currency, balanceMinor: 0, heldMinor: 0 };
    if (account.kind === "wallet") entry.balanceMinor = Number(account.balanceMinor);
    else entry.heldMinor = Number(account.balanceMinor);
    byCurrency.set(account.currency, entry);
  }
  return [...byCurrency.values()];
}
