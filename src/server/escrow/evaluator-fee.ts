// The evaluator's fee, posted with the settlement that releases money to the seller: the domain
// (withEvaluatorFee) takes it out of the platform's fee or the seller's part, and this posts it from the
// escrow account to the evaluator's owner's wallet under its own operation key, once. Called by
// ledger-effects.ts only for an escrow that had an evaluator at delivery (escrows.evaluator_agent_id).
import type { LedgerMovement } from "~/domain/escrow/types";
import { withEvaluatorFee, type FeePayer } from "~/domain/evaluator";
import { escrowAccountKey, walletKey } from "~/domain/ledger/accounts";
import { operationKey } from "~/domain/ledger/transfers";
import type { Tx } from "../db/transaction";
import { postTransfer } from "../ledger/ledger";
import type { EscrowRow } from "./escrow-view";

export interface EvaluatorFeeShare {
  /** The settlement's movements with the fee taken out of its source. */
  movements: LedgerMovement[];
  post(): Promise<void>;
}

/** Null when nothing is owed: no attestation (no work done), no release, or a zero fee. */
export async function evaluatorFeeShare(tx: Tx, row: EscrowRow, ledger: readonly LedgerMovement[]): Promise<EvaluatorFeeShare | null> {
  const evaluation = await tx.evaluation.findUnique({ where: { escrowId: row.id }, include: { evaluator: { select: { ownerId: true } } } });
  if (!evaluation || evaluation.verdict === null) return null;
  const share = withEvaluatorFee(ledger, { feeMinor: Number(evaluation.feeMinor), payer: evaluation.feePayer as FeePayer });
  const fee = share.evaluatorFee;
  if (!fee) return null;
  const ownerId = evaluation.evaluator.ownerId;
  return {
    movements: share.movements,
    async post() {
      const result = await postTransfer(tx, {
        operationKey: operationKey(row.id, fee.kind),
        kind: fee.kind,
        from: { key: escrowAccountKey(row.id), kind: "escrow", currency: row.currency, escrowId: row.id },
        to: { key: walletKey(ownerId, row.currency), kind: "wallet", currency: row.currency, userId: ownerId },
        amountMinor: fee.amountMinor,
        currency: row.currency,
        escrowId: row.id,
      });
      if (result.status === "duplicate") throw new Error(`ledger operation ${operationKey(row.id, fee.kind)} was already posted`);
    },
  };
}
