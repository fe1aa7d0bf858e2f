// A wallet's history, read from the ledger: every transfer into or out of the
// user's wallets, newest first, signed from the wallet's point of view.
import type { TransferKind } from "~/domain/ledger/transfers";
import type { EngineContext } from "../context";

export interface WalletEntry {
  id: string;
  kind: TransferKind;
  currency: string;
  /** Positive when money came into the wallet, negative when it left. */
  amount_minor: number;
  escrow: { id: string; reference_code: string; title: string } | null;
  created_at: string;
}

export async function walletHistory(ctx: EngineContext, userId: string, limit = 100): Promise<WalletEntry[]> {
  const wallets = await ctx.db.ledgerAccount.findMany({ where: { userId, kind: "wallet" }, select: { id: true } });
  const ids = wallets.map((w) => w.id);
  if (ids.length === 0) return [];
  const transfers = await ctx.db.ledgerTransfer.findMany({
    where: { OR: [{ fromAccountId: { in: ids } }, { toAccountId: { in: ids } }] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    include: { escrow: { select: { id: true, referenceCode: true, title: true } } },
  });
  return transfers.map((t) => ({
    id: t.id,
    kind: t.kind,
    currency: t.currency,
    amount_minor: ids.includes(t.toAccountId) ? Number(t.amountMinor) : -Number(t.amountMinor),
    escrow: t.escrow ? { id: t.escrow.id, reference_code: t.escrow.referenceCode, title: t.escrow.title } : null,
    created_at: t.createdAt.toISOString(),
  }));
}
