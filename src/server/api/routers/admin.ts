// Moderation procedures (PROTOCOL.md names admin.queue, admin.case,
// admin.decide, admin.suspendAgent). Every one is adminProcedure: the role is
// checked on the server for each call.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { bigintParam } from "~/server/db/bigint-param";
import { adminCase, adminQueue, chargebackQueue, recentDecisions } from "~/server/moderation/queue";
import { rankAgentsBySignals } from "~/server/risk/signals";
import { agentCase, agentCaseQueue, decideAgentCase } from "~/server/moderation/agent-cases";
import { decideCase, moderationLog, setAgentSuspended, setUserSuspended } from "~/server/moderation/actions";
import { giveUpDelivery, logLedgerCheckRequest, retryDeliveryNow } from "~/server/ops/deliveries";
import { latestLedgerCheckRun, runLedgerCheck } from "~/server/ops/ledger-check-runs";
import { operationsOverview } from "~/server/ops/overview";
import { pinAgentTier } from "~/server/risk/tier-pin";
import { RISK_TIERS } from "~/domain/risk";
import { adminProcedure, createTRPCRouter } from "../trpc";

const note = z.string().max(FIELD_LIMITS.moderatorNoteChars);
const deliveryItem = z.object({
  kind: z.enum(["webhook", "notification", "outbox"]),
  id: z.string().min(1).max(FIELD_LIMITS.idChars),
  note: z.string().max(FIELD_LIMITS.deliveryNoteChars).optional(),
});

export const adminRouter = createTRPCRouter({
  queue: adminProcedure.query(({ ctx }) => adminQueue(ctx.engine)),
  /** Open card chargebacks (Stripe), oldest first, shown beside the escrow cases. */
  chargebacks: adminProcedure.query(({ ctx }) => chargebackQueue(ctx.engine)),
  /** The latest decisions, for the queue page's "recently decided" list. */
  recentDecisions: adminProcedure.query(({ ctx }) => recentDecisions(ctx.engine)),
  /** Agents ranked by collusion and abuse signals, with the evidence. */
  signals: adminProcedure.query(({ ctx }) => rankAgentsBySignals(ctx.engine)),
  /** Agents whose open signal acts (issue 17): cases of their own, with evidence, escrows and held payouts. */
  agentCases: adminProcedure.query(({ ctx }) => agentCaseQueue(ctx.engine)),
  agentCase: adminProcedure
    .input(z.object({ agentId: z.string().min(1).max(FIELD_LIMITS.idChars) }))
    .query(({ ctx, input }) => agentCase(ctx.engine, input.agentId)),
  decideAgentCase: adminProcedure
    .input(z.object({ agentId: z.string().min(1).max(FIELD_LIMITS.idChars), decision: z.enum(["clear", "restrict", "suspend"]), note }))
    .mutation(async ({ ctx, input }) => {
      await decideAgentCase(ctx.engine, ctx.user.id, input);
      return agentCase(ctx.engine, input.agentId);
    }),
  case: adminProcedure
    .input(z.object({ escrowId: z.string().min(1).max(FIELD_LIMITS.escrowRefChars) }))
    .query(({ ctx, input }) => adminCase(ctx.engine, input.escrowId)),
  decide: adminProcedure
    .input(
      z.object({
        escrowId: z.string().min(1).max(FIELD_LIMITS.escrowRefChars),
        outcome: z.enum(["release", "refund", "split"]),
        refundAmount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
        note,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await decideCase(ctx.engine, ctx.user.id, {
        escrowRef: input.escrowId,
        outcome: input.outcome,
        note: input.note,
        ...(input.refundAmount !== undefined ? { refundAmountMinor: input.refundAmount } : {}),
      });
      return adminCase(ctx.engine, input.escrowId);
    }),
  suspendAgent: adminProcedure
    .input(z.object({ agentId: z.string().min(1).max(FIELD_LIMITS.idChars), suspended: z.boolean().default(true), note }))
    .mutation(async ({ ctx, input }) => {
      const agent = await setAgentSuspended(ctx.engine, ctx.user.id, input.agentId, input.suspended, input.note);
      return { id: agent.id, status: agent.status };
    }),
  /** Pins an agent's risk tier (null lifts the pin), with a note in the audit log (issue 17). */
  pinAgentTier: adminProcedure
    .input(z.object({ agentId: z.string().min(1).max(FIELD_LIMITS.idChars), tier: z.enum(RISK_TIERS).nullable(), note }))
    .mutation(({ ctx, input }) => pinAgentTier(ctx.engine, ctx.user.id, input.agentId, input.tier, input.note)),
  suspendUser: adminProcedure
    .input(z.object({ userId: z.string().min(1).max(FIELD_LIMITS.idChars), suspended: z.boolean().default(true), note }))
    .mutation(async ({ ctx, input }) => {
      const user = await setUserSuspended(ctx.engine, ctx.user.id, input.userId, input.suspended, input.note);
      return { id: user.id, status: user.status };
    }),
  auditLog: adminProcedure
    .input(
      z
        .object({
          moderatorId: z.string().max(FIELD_LIMITS.idChars).optional(),
          action: z
            .enum(["decide", "suspend_agent", "reinstate_agent", "suspend_user", "reinstate_user", "retry_delivery", "give_up_delivery", "run_ledger_check", "pin_tier", "clear_signal", "restrict_agent"])
            .optional(),
          targetId: z.string().max(FIELD_LIMITS.idChars).optional(),
          before: bigintParam.optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) =>
      moderationLog(ctx.engine, {
        ...(input?.moderatorId ? { moderatorId: input.moderatorId } : {}),
        ...(input?.action ? { action: input.action } : {}),
        ...(input?.targetId ? { targetId: input.targetId } : {}),
        ...(input?.before ? { beforeId: BigInt(input.before) } : {}),
      }),
    ),
  /** The operations page (/admin/ops): timers, outboxes, failing webhooks, the last ledger check. */
  ops: adminProcedure.query(({ ctx }) => operationsOverview(ctx.engine)),
  /** The last ledger check when it found violations (the banner on every moderation page), else null. */
  ledgerAlert: adminProcedure.query(async ({ ctx }) => {
    const run = await latestLedgerCheckRun(ctx.engine.db);
    return run && !run.ok ? run : null;
  }),
  runLedgerCheck: adminProcedure.mutation(async ({ ctx }) => {
    const run = await runLedgerCheck(ctx.engine, { trigger: "manual" });
    await logLedgerCheckRequest(ctx.engine, ctx.user.id, run.id, run.ok ? "Ledger check: no violation." : `Ledger check: ${run.violationCount} violation(s).`);
    return run;
  }),
  retryDelivery: adminProcedure.input(deliveryItem).mutation(({ ctx, input }) => retryDeliveryNow(ctx.engine, ctx.user.id, input)),
  giveUpDelivery: adminProcedure.input(deliveryItem).mutation(({ ctx, input }) => giveUpDelivery(ctx.engine, ctx.user.id, input)),
});
