// The money of a decided transition, planned for the one write path (record-transition.ts), which writes
// it in the transition's single statement: the accounts by role (a release to a held account when the
// seller's tier holds payouts) with their net change, one transfer per movement, and the payout hold.
import type { Decision } from "~/domain/escrow/decide";
import type { AccountRole } from "~/domain/escrow/types";
import { escrowAccountKey, mayGoNegative, platformFeeKey, walletKey } from "~/domain/ledger/accounts";
import { operationKey } from "~/domain/ledger/transfers";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { newId } from "../ids";
import type { AccountSpec } from "../ledger/ledger";
import { sellerPayoutAccount } from "../risk/holds";
import type { EscrowRow } from "./escrow-view";
import { evaluatorFeeShare } from "./evaluator-fee";

export interface LedgerChange {
  /** Each account touched once, with its net change; ordered by key so concurrent writers lock alike. */
  accounts: { n: number; id: string; key: string; kind: string; currency: string; user_id: string | null; escrow_id: string | null; delta: number; may_go_negative: boolean }[];
  transfers: { n: number; id: string; operation_key: string; kind: string; from_key: string; to_key: string; amount_minor: number }[];
  /** signal_hold: an open signal's 'lengthened' hold, or 'review' (released only when a moderator clears it). */
  holds: { id: string; owner_id: string; amount_minor: number; risk_tier: string; release_at: string; signal_hold: string | null }[];
  /** Movements out of accounts that may not go negative, to name the shortfall if the write is refused. */
  debits: { key: string; amountMinor: number; currency: string }[];
}

export async function ledgerChange(
  tx: Tx,
  ctx: EngineContext,
  row: EscrowRow,
  sellerOwnerId: string,
  decision: Decision,
): Promise<LedgerChange> {
  const change: LedgerChange = { accounts: [], transfers: [], holds: [], debits: [] };
  if (decision.ledger.length === 0) return change;
  // Only a release pays the seller; a new or risky agent's payout is held first (src/server/risk/holds.ts).
  const releases = decision.ledger.some((m) => m.to === "seller_wallet");
  const payout = releases ? await sellerPayoutAccount(tx, ctx, row, sellerOwnerId) : null;
  const roles: Record<AccountRole, AccountSpec> = {
    buyer_wallet: { key: walletKey(row.customerId, row.currency), kind: "wallet", currency: row.currency, userId: row.customerId },
    seller_wallet: payout?.account ?? { key: walletKey(sellerOwnerId, row.currency), kind: "wallet", currency: row.currency, userId: sellerOwnerId },
    escrow: { key: escrowAccountKey(row.id), kind: "escrow", currency: row.currency, escrowId: row.id },
    platform_fee: { key: platformFeeKey(row.currency), kind: "platform_fee", currency: row.currency },
  };
  const net = new Map<string, { spec: AccountSpec; delta: number }>();
  const move = (spec: AccountSpec, delta: number) => {
    const entry = net.get(spec.key) ?? { spec, delta: 0 };
    entry.delta += delta;
    net.set(spec.key, entry);
  };
  // Only an escrow that had an evaluator at delivery pays one (issue 18); the rest read nothing more. Its fee
  // is posted here, before the transition's write, out of the part the domain took from the fee or the seller.
  const evaluatorFee = row.evaluatorAgentId !== null ? await evaluatorFeeShare(tx, row, decision.ledger) : null;
  for (const movement of evaluatorFee?.movements ?? decision.ledger) {
    if (!Number.isSafeInteger(movement.amountMinor) || movement.amountMinor <= 0) {
      throw new Error(`transfer amount must be a positive safe integer, got ${movement.amountMinor}`);
    }
    const from = roles[movement.from];
    const to = roles[movement.to];
    move(from, -movement.amountMinor);
    move(to, movement.amountMinor);
    if (!mayGoNegative(from.kind)) change.debits.push({ key: from.key, amountMinor: movement.amountMinor, currency: row.currency });
    change.transfers.push({
      n: change.transfers.length,
      id: newId("trf"),
      operation_key: operationKey(row.id, movement.kind),
      kind: movement.kind,
      from_key: from.key,
      to_key: to.key,
      amount_minor: movement.amountMinor,
    });
    if (movement.to === "seller_wallet" && payout?.hold) {
      change.holds.push({
        id: newId("hld"),
        owner_id: sellerOwnerId,
        amount_minor: movement.amountMinor,
        risk_tier: payout.hold.riskTier,
        release_at: payout.hold.releaseAt.toISOString(),
        signal_hold: payout.hold.signalHold ?? null,
      });
    }
  }
  if (evaluatorFee) {
    // The fee is posted (two accounts written) before the transition's statement locks the agents and the
    // conversation: take those first, in the global lock order (agents by id → conversation → accounts by
    // key; record-transition.ts, src/server/jobs/fire-timer.ts), so this cannot deadlock against a timer batch.
    await lockAheadOfAccounts(tx, row);
    await evaluatorFee.post();
  }
  change.accounts = [...net.values()]
    .sort((a, b) => (a.spec.key < b.spec.key ? -1 : a.spec.key > b.spec.key ? 1 : 0))
    .map(({ spec, delta }, n) => ({
      n,
      id: newId("acc"),
      key: spec.key,
      kind: spec.kind,
      currency: spec.currency,
      user_id: spec.userId ?? null,
      escrow_id: spec.escrowId ?? null,
      delta,
      may_go_negative: mayGoNegative(spec.kind),
    }));
  return change;
}

/** The escrow's parties (by id), then its conversation: what a transition locks before any ledger account. */
async function lockAheadOfAccounts(tx: Tx, row: EscrowRow): Promise<void> {
  const agentIds = [row.agentId, ...(row.buyerAgentId ? [row.buyerAgentId] : [])];
  await tx.$queryRaw`
    WITH party AS MATERIALIZED (
      SELECT id FROM agents WHERE id = ANY(${agentIds}::text[]) ORDER BY id COLLATE "C" FOR NO KEY UPDATE
    )
    SELECT c.id FROM conversations c WHERE c.id = ${row.conversationId} AND (SELECT count(*) FROM party) >= 0 FOR NO KEY UPDATE OF c`;
}
