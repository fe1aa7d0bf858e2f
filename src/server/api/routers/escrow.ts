// Customer commands on escrows (PROTOCOL.md "Customer and moderator procedures").
// Each is the engine's command run as this customer; the engine checks that the
// escrow is theirs and that the transition table allows it now.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import type { CommandRequest } from "~/server/escrow/run-command";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { customerEscrow, customerEscrows } from "~/server/escrow/customer-view";
import { customerEvaluation } from "~/server/evaluator/evaluation-view";
import type { SessionUser } from "../../auth/session-user";
import { MAX_CASE_FILES_PER_STATEMENT } from "~/server/moderation/case-files";
import { addCaseStatement, MAX_STATEMENT_CHARS } from "~/server/moderation/statements";
import { createTRPCRouter, protectedProcedure, type TrpcContext } from "../trpc";

const escrowRef = z.object({ escrowId: z.string().min(1).max(FIELD_LIMITS.escrowRefChars) });
const amountMinor = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

async function command(ctx: TrpcContext & { user: SessionUser }, escrowId: string, request: CommandRequest) {
  const { escrow } = await runEscrowCommand(ctx.engine, escrowId, { kind: "customer", userId: ctx.user.id }, request);
  return customerEscrow(ctx.engine, ctx.user.id, escrow.id);
}

export const escrowRouter = createTRPCRouter({
  byId: protectedProcedure.input(escrowRef).query(({ ctx, input }) => customerEscrow(ctx.engine, ctx.user.id, input.escrowId)),
  /** The evaluator's verdict on the delivery (issue 18), or null when the service names no evaluator. */
  evaluation: protectedProcedure.input(escrowRef).query(({ ctx, input }) => customerEvaluation(ctx.engine, ctx.user.id, input.escrowId)),
  list: protectedProcedure
    .input(z.object({ conversationId: z.string().max(FIELD_LIMITS.idChars).optional() }).optional())
    .query(({ ctx, input }) =>
      customerEscrows(ctx.engine, ctx.user.id, input?.conversationId ? { conversationId: input.conversationId } : {}),
    ),
  /** A statement for the moderator while the case is in admin_review (not a command: the state stays). */
  addStatement: protectedProcedure
    .input(
      escrowRef.extend({
        text: z.string().min(1).max(MAX_STATEMENT_CHARS),
        /** Files uploaded for this statement with POST /api/case-files. */
        artifactIds: z.array(z.string().min(1).max(FIELD_LIMITS.idChars)).max(MAX_CASE_FILES_PER_STATEMENT).default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await addCaseStatement(ctx.engine, { kind: "customer", userId: ctx.user.id }, input.escrowId, {
        text: input.text,
        artifactIds: input.artifactIds,
      });
      return customerEscrow(ctx.engine, ctx.user.id, input.escrowId);
    }),
  accept: protectedProcedure.input(escrowRef).mutation(({ ctx, input }) => command(ctx, input.escrowId, { command: "accept" })),
  decline: protectedProcedure.input(escrowRef).mutation(({ ctx, input }) => command(ctx, input.escrowId, { command: "decline" })),
  approve: protectedProcedure.input(escrowRef).mutation(({ ctx, input }) => command(ctx, input.escrowId, { command: "approve" })),
  dispute: protectedProcedure
    .input(escrowRef.extend({ reason: z.string().max(FIELD_LIMITS.disputeReasonChars) }))
    .mutation(({ ctx, input }) => command(ctx, input.escrowId, { command: "dispute", reason: input.reason })),
  cancelOverdue: protectedProcedure
    .input(escrowRef)
    .mutation(({ ctx, input }) => command(ctx, input.escrowId, { command: "cancel_overdue" })),
  extendReview: protectedProcedure
    .input(escrowRef)
    .mutation(({ ctx, input }) => command(ctx, input.escrowId, { command: "extend_review" })),
  proposeSettlement: protectedProcedure
    .input(escrowRef.extend({ refundAmount: amountMinor }))
    .mutation(({ ctx, input }) =>
      command(ctx, input.escrowId, { command: "propose_settlement", refundAmountMinor: input.refundAmount }),
    ),
  acceptSettlement: protectedProcedure
    .input(escrowRef.extend({ settlementId: z.string().min(1).max(FIELD_LIMITS.idChars) }))
    .mutation(({ ctx, input }) =>
      command(ctx, input.escrowId, { command: "accept_settlement", settlementId: input.settlementId }),
    ),
  escalate: protectedProcedure.input(escrowRef).mutation(({ ctx, input }) => command(ctx, input.escrowId, { command: "escalate" })),
  /** Takes back the dispute the evaluator's `fail` opened for the customer, before the agent answered (issue 18). */
  withdrawDispute: protectedProcedure
    .input(escrowRef)
    .mutation(({ ctx, input }) => command(ctx, input.escrowId, { command: "withdraw_dispute" })),
});
