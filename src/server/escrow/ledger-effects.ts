// The money and settlement rows of a decided transition, written by the one write path
// (record-transition.ts) in its transaction: ledger transfers by role (a release to a held account when
// the seller's tier holds payouts) and the settlement proposal or acceptance.
import type { Decision } from "~/domain/escrow/decide";
import type { AccountRole } from "~/domain/escrow/types";
import { escrowAccountKey, platformFeeKey, walletKey } from "~/domain/ledger/accounts";
import { operationKey } from "~/domain/ledger/transfers";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { newId } from "../ids";
import { postTransfer, type AccountSpec } from "../ledger/ledger";
import { recordHold, sellerPayoutAccount } from "../risk/holds";
import type { EscrowRow } from "./escrow-view";
import { toSettlementJson } from "../views/protocol";
import { evaluatorFeeShare } from "./evaluator-fee";

export async function postLedgerMovements(tx: Tx, ctx: EngineContext, row: EscrowRow, decision: Decision, now: Date): Promise<void> {
  if (decision.ledger.length === 0) return;
  const agent = await tx.agent.findUniqueOrThrow({ where: { id: row.agentId }, select: { ownerId: true } });
  // Only a release pays the seller; a new or risky agent's payout is held first (src/server/risk/holds.ts).
  const releases = decision.ledger.some((m) => m.to === "seller_wallet");
  const payout = releases ? await sellerPayoutAccount(tx, ctx, row, agent.ownerId) : null;
  const accounts: Record<AccountRole, AccountSpec> = {
    buyer_wallet: { key: walletKey(row.customerId, row.currency), kind: "wallet", currency: row.currency, userId: row.customerId },
    seller_wallet: payout?.account ?? { key: walletKey(agent.ownerId, row.currency), kind: "wallet", currency: row.currency, userId: agent.ownerId },
    escrow: { key: escrowAccountKey(row.id), kind: "escrow", currency: row.currency, escrowId: row.id },
    platform_fee: { key: platformFeeKey(row.currency), kind: "platform_fee", currency: row.currency },
  };
  // Only an escrow that had an evaluator at delivery pays one (issue 18); the rest read nothing more.
  const evaluatorFee = row.evaluatorAgentId !== null ? await evaluatorFeeShare(tx, row, decision.ledger) : null;
  for (const movement of evaluatorFee?.movements ?? decision.ledger) {
    const result = await postTransfer(tx, {
      operationKey: operationKey(row.id, movement.kind),
      kind: movement.kind,
      from: accounts[movement.from],
      to: accounts[movement.to],
      amountMinor: movement.amountMinor,
      currency: row.currency,
      escrowId: row.id,
    });
    // The escrow's state machine allows each movement once; a duplicate here
    // means the state and the ledger disagree, which must never pass silently.
    if (result.status === "duplicate") {
      throw new Error(`ledger operation ${operationKey(row.id, movement.kind)} was already posted`);
    }
    if (movement.to === "seller_wallet" && payout?.hold) {
      await recordHold(tx, row, agent.ownerId, movement.amountMinor, payout.hold, now);
    }
  }
  await evaluatorFee?.post();
}

export async function applySettlementEffect(tx: Tx, row: EscrowRow, decision: Decision, now: Date) {
  const effect = decision.settlement;
  if (!effect) return null;
  if (effect.action === "accept") {
    await tx.settlement.update({ where: { id: effect.settlementId }, data: { status: "accepted", updatedAt: now } });
    return null;
  }
  if (effect.action === "close") {
    await tx.settlement.updateMany({ where: { escrowId: row.id, status: "open" }, data: { status: "superseded", updatedAt: now } });
    return null;
  }
  await tx.settlement.updateMany({ where: { escrowId: row.id, status: "open" }, data: { status: "superseded", updatedAt: now } });
  const created = await tx.settlement.create({
    data: {
      id: newId("stl"),
      escrowId: row.id,
      proposedBy: effect.proposedBy,
      refundAmountMinor: BigInt(effect.refundAmountMinor),
      status: "open",
      createdAt: now,
      updatedAt: now,
    },
  });
  return toSettlementJson(created);
}
