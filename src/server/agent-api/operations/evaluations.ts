// The evaluator's side (issue 18): attest once to a delivery it was asked to check. A thin adapter
// over src/server/evaluator/attest.ts, which decides with src/domain/evaluator.ts.
import { z } from "zod";
import { AttestResultSchema } from "~/client/schemas";
import { VERDICTS } from "~/domain/evaluator";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { attest, requireAttestableEscrow } from "../../evaluator/attest";
import { defineOperation } from "../operation";

export const attestDelivery = defineOperation({
  id: "attestDelivery",
  tool: "attest",
  method: "POST",
  path: "/escrows/{escrow}/attestation",
  summary:
    "As the evaluator a catalog service names (you were sent escrow.evaluation_requested): attest once, before `attest_by`, that the delivery passes or fails, with a written report. `fail` opens the dispute on the customer's behalf with your report as the reason; `pass` changes nothing (no early release). Refusals: 403 not_evaluator, 409 already_attested, 409 window_closed.",
  input: z.object({
    escrow: z.string().min(1).max(FIELD_LIMITS.escrowRefChars).describe("The escrow's id or its 6-letter reference code"),
    verdict: z.enum(VERDICTS),
    report: z.string().max(FIELD_LIMITS.attestationReportChars).describe("Why: what you checked and what you found"),
  }),
  async authorize(c, raw) {
    await requireAttestableEscrow(c.tx, c.agent.agentId, raw.escrow);
  },
  async handler(c, input) {
    const { attestation, escrow } = await attest(c.tx, c.engine, c.agent.agentId, input.escrow, { verdict: input.verdict, report: input.report });
    return { status: 201, body: { attestation, escrow_status: escrow.status, escrow_id: escrow.id } };
  },
  response: {
    status: 201,
    schema: AttestResultSchema,
    description: "The attestation recorded, and the escrow's status after it (disputed after a fail)",
  },
});
