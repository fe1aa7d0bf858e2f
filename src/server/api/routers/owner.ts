// The owner console (SPEC §5, issue 6): agents and keys, catalog, escrows, earnings, the large-amount
// threshold, notification channels and the alert inbox with reply. Owners only, checked on every
// call; every object is looked up within the caller's own agents (another owner's is NOT_FOUND).
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { env } from "~/env";
import { OWNER_CHANNELS } from "~/server/alerts/fan-out";
import { removeOwnerChannel, saveOwnerChannel, sendTestNotification, verifyOwnerChannel } from "~/server/owner/channels";
import { ownerAgentRecords, ownerAlert, ownerAlerts, ownerChannelsView, ownerEscrows, ownerOrder, ownerOverview } from "~/server/owner/console";
import {
  createOwnerAgent, newTelegramLink, replyToOwnerAlert, revokeOwnerAgentKey, rotateOwnerAgentKey, saveOwnerService,
  setLargeAmountThreshold, setOwnerAgentPurchasing, setOwnerAgentWebhook,
} from "~/server/owner/console-actions";
import { notFound } from "~/server/errors";
import { ownerHeldPayouts } from "~/server/risk/signal-holds-view";
import { setOwnerAgentEvaluator } from "~/server/evaluator/evaluator-settings";
import { FEE_PAYERS } from "~/domain/evaluator";
import { webhookTargetPolicy } from "~/server/webhooks/pinned-post";
import { requestKeyInput } from "../request-key";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/** Agent owners only. */
export const ownerProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "owner") throw new TRPCError({ code: "FORBIDDEN", message: "The owner console is for agent owners." });
  return next({ ctx });
});

const id = z.string().min(1).max(FIELD_LIMITS.idChars);
const channel = z.enum(OWNER_CHANNELS);

export const ownerRouter = createTRPCRouter({
  overview: ownerProcedure.query(({ ctx }) => ownerOverview(ctx.engine, ctx.user.id)),
  escrows: ownerProcedure.query(({ ctx }) => ownerEscrows(ctx.engine, ctx.user.id)),
  /** Held payouts per agent and why, in plain words (issue 17). */
  payoutHolds: ownerProcedure.query(({ ctx }) => ownerHeldPayouts(ctx.engine, ctx.user.id)),
  agentRecords: ownerProcedure.query(({ ctx }) => ownerAgentRecords(ctx.engine, ctx.user.id)),
  /** One of the owner's agents' orders with its conversation (the page an alert links to). */
  order: ownerProcedure.input(z.object({ escrowId: id })).query(async ({ ctx, input }) => {
    const order = await ownerOrder(ctx.engine, ctx.user.id, input.escrowId);
    if (!order) throw notFound("escrow");
    return order;
  }),

  createAgent: ownerProcedure
    .input(z.object({
        handle: z.string().max(FIELD_LIMITS.agentHandleChars),
        displayName: z.string().max(FIELD_LIMITS.agentDisplayNameChars),
        description: z.string().max(FIELD_LIMITS.agentDescriptionChars).optional(),
      }))
    .mutation(({ ctx, input }) => createOwnerAgent(ctx.engine, ctx.user.id, input)),
  rotateKey: ownerProcedure.input(z.object({ agentId: id })).mutation(({ ctx, input }) => rotateOwnerAgentKey(ctx.engine, ctx.user.id, input.agentId)),
  revokeKey: ownerProcedure.input(z.object({ agentId: id, keyId: id })).mutation(async ({ ctx, input }) => {
    await revokeOwnerAgentKey(ctx.engine, ctx.user.id, input.agentId, input.keyId);
    return { ok: true };
  }),
  setWebhook: ownerProcedure
    .input(z.object({ agentId: id, url: z.string().max(FIELD_LIMITS.webhookUrlChars).nullable(), secret: z.string().max(FIELD_LIMITS.webhookSecretChars).nullable().optional() }))
    .mutation(async ({ ctx, input }) => {
      await setOwnerAgentWebhook(ctx.engine, ctx.user.id, input.agentId, input, webhookTargetPolicy());
      return { ok: true };
    }),
  /** Agent-to-agent purchases: opt in, and the most the agent may spend per 30 days from the owner's wallet. */
  setPurchasing: ownerProcedure
    .input(
      z.object({
        agentId: id,
        enabled: z.boolean(),
        limit: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code in capitals, such as USD").default("USD"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await setOwnerAgentPurchasing(ctx.engine, ctx.user.id, input.agentId, { enabled: input.enabled, limitMinor: input.limit, currency: input.currency });
      return { ok: true };
    }),

  saveService: ownerProcedure
    .input(
      z.object({
        agentId: id,
        serviceId: id.nullable().optional(),
        title: z.string().max(FIELD_LIMITS.serviceTitleChars),
        description: z.string().max(FIELD_LIMITS.serviceDescriptionChars).default(""),
        price: z.number().int(),
        currency: z.string().default("USD"),
        deliveryInHours: z.number().int(),
        active: z.boolean().default(true),
        artifactContract: z.unknown().optional(),
        evaluator: z.object({ handle: z.string().max(FIELD_LIMITS.handleLookupChars), feePayer: z.enum(FEE_PAYERS) }).nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const serviceId = await saveOwnerService(ctx.engine, ctx.user.id, {
        ...input,
        priceMinor: input.price,
        artifactContract: input.artifactContract ?? null,
        evaluator: input.evaluator,
      });
      return { serviceId };
    }),

  /** Evaluator opt-in (issue 18): other owners' catalog services may name this agent to check their deliveries, for this fee. */
  setEvaluator: ownerProcedure
    .input(
      z.object({
        agentId: id,
        enabled: z.boolean(),
        fee: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code in capitals, such as USD").default("USD"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await setOwnerAgentEvaluator(ctx.engine, ctx.user.id, input.agentId, { enabled: input.enabled, feeMinor: input.fee, currency: input.currency });
      return { ok: true };
    }),

  setThreshold: ownerProcedure
    .input(z.object({ amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable(), currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code in capitals, such as USD").default("USD") }))
    .mutation(async ({ ctx, input }) => {
      await setLargeAmountThreshold(ctx.engine, ctx.user.id, { amountMinor: input.amount, currency: input.currency });
      return { ok: true };
    }),

  channels: ownerProcedure.query(({ ctx }) => ownerChannelsView(ctx.engine, ctx.user.id)),
  /** A new address is stored unverified and sent a code; it gets alerts once verifyChannel accepts the code. */
  saveChannel: ownerProcedure
    .input(z.object({ channel, address: z.string().max(FIELD_LIMITS.channelAddressChars).optional(), enabled: z.boolean().optional(), minSeverity: z.enum(["info", "warning", "urgent"]).optional() }))
    .mutation(async ({ ctx, input }) => {
      const { codeSent } = await saveOwnerChannel(ctx.engine.db, ctx.user.id, input, ctx.engine.now());
      return { ok: true, codeSent };
    }),
  verifyChannel: ownerProcedure
    .input(z.object({ channel, code: z.string().trim().regex(/^\d{6}$/, "the 6-digit code") }))
    .mutation(async ({ ctx, input }) => {
      await verifyOwnerChannel(ctx.engine.db, ctx.user.id, input.channel, input.code, ctx.engine.now());
      return { ok: true };
    }),
  removeChannel: ownerProcedure.input(z.object({ channel })).mutation(async ({ ctx, input }) => {
    await removeOwnerChannel(ctx.engine.db, ctx.user.id, input.channel, ctx.engine.now());
    return { ok: true };
  }),
  telegramLink: ownerProcedure.mutation(({ ctx }) => newTelegramLink(ctx.engine, ctx.user.id, env().HOLDFAST_TELEGRAM_BOT_USERNAME)),
  sendTest: ownerProcedure.input(z.object({ channel })).mutation(async ({ ctx, input }) => {
    const notificationId = await sendTestNotification(ctx.engine.db, ctx.user.id, input.channel, ctx.engine.now());
    return { notificationId };
  }),

  alerts: ownerProcedure.query(({ ctx }) => ownerAlerts(ctx.engine, ctx.user.id)),
  alert: ownerProcedure.input(z.object({ alertId: id })).query(async ({ ctx, input }) => {
    const alert = await ownerAlert(ctx.engine, ctx.user.id, input.alertId);
    if (!alert) throw notFound("alert");
    return alert;
  }),
  reply: ownerProcedure
    .input(z.object({ alertId: id, text: z.string().min(1).max(FIELD_LIMITS.messageTextChars), requestKey: requestKeyInput }))
    .mutation(({ ctx, input }) => replyToOwnerAlert(ctx.engine, ctx.user.id, input.alertId, input.text, input.requestKey)),
});
