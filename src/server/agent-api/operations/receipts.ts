// Signed receipts and the evidence bundle on the agent API (issue 18): for an escrow the agent is a party
// to — its sale, or its purchase — the same 404 for anything else as GET /escrows/{id}.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { ReceiptChainSchema } from "~/client/schemas";
import { findEscrowInScope } from "../../escrow/escrow-reads";
import type { EscrowRow } from "../../escrow/escrow-view";
import { notFound } from "../../errors";
import { buildEvidenceBundle } from "../../receipts/evidence";
import { sealEscrowReceipts, toReceiptJson } from "../../receipts/sealer";
import { defineOperation, type Operation, type OperationContext } from "../operation";

const escrowRef = z.string().min(1).max(FIELD_LIMITS.escrowRefChars).describe("The escrow's id or its 6-letter reference code");

/** The escrow if this agent sold it or bought it, else 404 (another party's escrow looks like no escrow). */
export async function requirePartyEscrow(c: OperationContext, ref: unknown): Promise<EscrowRow> {
  if (typeof ref !== "string" || ref.length === 0 || ref.length > FIELD_LIMITS.escrowRefChars) throw notFound("escrow");
  const row =
    (await findEscrowInScope(c.tx, { kind: "agent", agentId: c.agent.agentId }, ref)) ??
    (await findEscrowInScope(c.tx, { kind: "buyer_agent", agentId: c.agent.agentId }, ref));
  if (!row) throw notFound("escrow");
  return row;
}

/**
 * A read of one escrow's signed record for an agent that is a party to it: the same input, the same 404 for
 * another party's escrow (checked before the input's shape), then `answer` on the escrow's row.
 */
function partyRecordRead(
  spec: Pick<Operation, "id" | "tool" | "path" | "summary" | "response" | "restOnly">,
  answer: (c: OperationContext, row: EscrowRow) => Promise<unknown>,
): Operation {
  return defineOperation({
    ...spec,
    method: "GET",
    input: z.object({ escrow: escrowRef }),
    authorize: async (c, raw) => {
      await requirePartyEscrow(c, raw.escrow);
    },
    async handler(c, input) {
      return { status: 200, body: await answer(c, await requirePartyEscrow(c, input.escrow)) };
    },
  });
}

export const getReceipts = partyRecordRead(
  {
    id: "getReceipts",
    tool: "get_receipts",
    path: "/escrows/{escrow}/receipts",
    summary:
      "The escrow's signed receipts, one per event, oldest first: each a compact JWS (EdDSA, key ids in /.well-known/jwks.json) " +
      "whose payload names the previous receipt's hash. For an escrow you sold or bought. See docs/RECEIPTS.md to verify them.",
    response: { status: 200, schema: ReceiptChainSchema, description: "The receipt chain" },
  },
  async (c, row) => ({ escrow_id: row.id, receipts: (await sealEscrowReceipts(c.engine.db, row.id)).map(toReceiptJson) }),
);

export const getEvidence = partyRecordRead(
  {
    id: "getEvidence",
    path: "/escrows/{escrow}/evidence",
    summary:
      "The escrow's evidence bundle (one JSON document): transcript, artifacts (inline base64 up to 512 KiB, else SHA-256 and size), " +
      "timeline, ledger entries and the receipt chain with the JWKS. For an escrow you sold or bought; `npm run receipts:verify` checks it.",
    response: { status: 200, schema: z.record(z.string(), z.unknown()), description: "The evidence bundle (docs/RECEIPTS.md)" },
    restOnly: true,
  },
  (c, row) => buildEvidenceBundle(c.engine.db, c.deps.storage, row.id, "agent", c.engine.now()),
);
