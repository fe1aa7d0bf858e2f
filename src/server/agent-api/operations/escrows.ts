// Offers and the agent's escrow commands: thin adapters over the engine
// (create-offer.ts, run-command.ts). The engine decides; this file only
// checks ownership, shape and the agent's limits, in PROTOCOL's order. The
// helpers take the acting side (the seller agent, or a buying agent in
// purchases.ts), so both sides of a deal share one path to the engine.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { EscrowSchema, ESCROW_STATUSES, listOf, MessageSchema, SettlementSchema } from "~/client/schemas";
import { TERMINAL_STATUSES, type EscrowStatus } from "~/domain/escrow/states";
import { transitionsFrom } from "~/domain/escrow/transitions";
import type { Tx } from "../../db/transaction";
import { invalid, notFound } from "../../errors";
import { actorKind, type ActorRef } from "../../escrow/actors";
import { MAX_DELIVERY_HOURS } from "~/domain/escrow/offer";
import { insertOffer } from "../../escrow/create-offer";
import { escrowsInScope, findEscrowInScope, settlementIsOn, settlementsOf } from "../../escrow/escrow-reads";
import { openSettlementOf, toEscrowJson, type EscrowRow } from "../../escrow/escrow-view";
import { executeEscrowCommand, type CommandRequest } from "../../escrow/run-command";
import { afterCursor, amount, DEFAULT_PAGE_SIZE, id, nonNegativeAmount, page, pageQuery, visibleLine } from "../fields";
import { transitionsText } from "../lifecycle-text";
import { defineOperation, type OperationContext, type OperationResult } from "../operation";
import { findActiveAgentService } from "../../owner/services";
import { toSettlementJson } from "../../views/protocol";
import { countAgentArtifacts } from "../../artifacts/record";
import { storedMessage } from "../../conversations/conversation-reads";
import { addCaseStatementIn } from "../../moderation/statements";
import { toMessageJson } from "../../views/protocol";
import { MAX_ARTIFACTS_PER_MESSAGE, requireOwnConversation } from "./conversations";

const escrowRef = z.string().min(1).max(FIELD_LIMITS.escrowRefChars).describe("The escrow's id or its 6-letter reference code");

/** The escrow by id or reference code if this actor may see it (its scope), or 404 naming `what`. */
export async function requireEscrowOf(tx: Tx, actor: ActorRef, ref: unknown, what = "escrow"): Promise<EscrowRow> {
  if (typeof ref !== "string" || ref.length === 0 || ref.length > FIELD_LIMITS.escrowRefChars) throw notFound(what);
  const row = await findEscrowInScope(tx, actor, ref);
  if (!row) throw notFound(what);
  return row;
}

/** The seller agent's escrow by id or reference code, or 404. */
export function requireOwnEscrow(tx: Tx, agentId: string, ref: unknown): Promise<EscrowRow> {
  return requireEscrowOf(tx, seller(agentId), ref);
}

function seller(agentId: string): ActorRef {
  return { kind: "agent", agentId };
}

/**
 * The Escrow object as this actor sees it (allowed_actions are theirs). The open proposal shows in it only
 * through `accept_settlement` among the allowed actions, so the settlements are read only in a state with
 * that transition (negotiating): every other read of an escrow is one statement.
 */
export async function escrowJsonFor(c: OperationContext, actor: ActorRef, row: EscrowRow) {
  const settlements = acceptsSettlement(row.status) ? await settlementsOf(c.tx, row.id) : [];
  return toEscrowJson(row, openSettlementOf(settlements), actorKind(actor), c.engine.now());
}

const acceptsSettlement = (status: EscrowStatus) => transitionsFrom(status).some((rule) => rule.command === "accept_settlement");

/** Runs an engine command as this actor and answers 200 with the whole escrow after it. */
export async function runCommandAs(c: OperationContext, actor: ActorRef, ref: string, request: CommandRequest): Promise<OperationResult> {
  const result = await executeEscrowCommand(c.tx, c.engine, ref, actor, request);
  return {
    status: 200,
    body: toEscrowJson(result.escrow, openSettlementOf(result.settlements), actorKind(actor), c.engine.now()),
  };
}

/** propose_settlement as this actor: 201 with the new open proposal. */
export async function proposeSettlementAs(c: OperationContext, actor: ActorRef, ref: string, refundAmountMinor: number): Promise<OperationResult> {
  const result = await executeEscrowCommand(c.tx, c.engine, ref, actor, { command: "propose_settlement", refundAmountMinor });
  const created = result.settlements.find((s) => s.status === "open");
  if (!created) throw new Error("propose_settlement committed without an open settlement");
  return { status: 201, body: toSettlementJson(created) };
}

/** A settlement named in a path must belong to the escrow it is under, or 404. */
export async function requireSettlementOn(tx: Tx, escrow: EscrowRow, settlementId: unknown, what: string): Promise<void> {
  if (typeof settlementId !== "string") return;
  if (!(await settlementIsOn(tx, escrow.id, settlementId))) throw notFound(what);
}

/** A page of escrows in this actor's scope, filtered by `?status=` (see escrowStatusFilter). */
export async function escrowPageFor(
  c: OperationContext,
  actor: ActorRef,
  input: { status?: string | undefined; after?: string | undefined; limit?: number | undefined },
) {
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  const statuses = escrowStatusFilter(input.status);
  const rows = await escrowsInScope(c.tx, actor, { statuses, cursor: afterCursor(input.after), take: limit + 1 });
  const now = c.engine.now();
  return page(rows, limit, (row) => toEscrowJson(row, openSettlementOf(row.settlements), actorKind(actor), now));
}

const runCommand = (c: OperationContext, ref: string, request: CommandRequest) => runCommandAs(c, seller(c.agent.agentId), ref, request);

const authorizeEscrow = async (c: OperationContext, raw: Record<string, unknown>) => {
  await requireOwnEscrow(c.tx, c.agent.agentId, raw.escrow);
};

const escrowResponse = { status: 200, schema: EscrowSchema, description: "The whole escrow after the command" };

export const createEscrow = defineOperation({
  id: "createEscrow",
  tool: "create_service",
  method: "POST",
  path: "/escrows",
  summary:
    "Offer a service in a conversation: a new escrow in `pending`. Offers outside the catalog are allowed and raise an off_catalog alert (so do offers above, by default, 150 % of the named service's price). Above your limits (GET /me, all currencies converted) is 422 amount_out_of_range.",
  input: z.object({
    conversation_id: id("conversation"),
    title: visibleLine(FIELD_LIMITS.offerTitleChars),
    description: z.string().max(FIELD_LIMITS.offerDescriptionChars).optional(),
    amount: amount.describe("Integer minor units"),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD")
      .describe("ISO 4217 code; one of the currencies this deployment enables (HOLDFAST_CURRENCIES, default USD), else 400 validation_error"),
    service_id: id("service").nullable().optional(),
    delivery_in_hours: z.number().int().min(1).max(MAX_DELIVERY_HOURS).nullable().optional(),
  }),
  async authorize(c, raw) {
    await requireOwnConversation(c.tx, c.agent.agentId, raw.conversation_id);
    if (typeof raw.service_id === "string") {
      const service = await findActiveAgentService(c.tx, c.agent.agentId, raw.service_id);
      if (!service) throw notFound("service");
    }
  },
  async handler(c, input) {
    // The tier limits (under the seller's row lock) and the offer alerts are in insertOffer, the one write path.
    const row = await insertOffer(c.tx, c.engine, c.agent.agentId, {
      conversationId: input.conversation_id,
      title: input.title,
      ...(input.description !== undefined ? { description: input.description } : {}),
      amountMinor: input.amount,
      currency: input.currency,
      serviceId: input.service_id ?? null,
      deliveryInHours: input.delivery_in_hours ?? null,
    });
    return { status: 201, body: await escrowJsonFor(c, seller(c.agent.agentId), row) };
  },
  response: { status: 201, schema: EscrowSchema, description: "The new escrow, pending" },
});

/** `?status=`: a status, a comma-separated list, `all`, or (absent) the non-terminal ones. */
function escrowStatusFilter(status: string | undefined): EscrowStatus[] | null {
  if (status === undefined) return ESCROW_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s as never)) as EscrowStatus[];
  if (status === "all") return null;
  const wanted = status.split(",").map((s) => s.trim());
  for (const s of wanted) {
    if (!(ESCROW_STATUSES as readonly string[]).includes(s)) throw invalid("status", `unknown status ${s}; use one of ${ESCROW_STATUSES.join(", ")} or all`);
  }
  return wanted as EscrowStatus[];
}

export const listEscrows = defineOperation({
  id: "listEscrows",
  tool: "list_my_services",
  method: "GET",
  path: "/escrows",
  summary: "The agent's escrows, oldest first. Default: the non-terminal ones; `status` takes a status, a comma-separated list, or `all`.",
  query: ["status", "after", "limit"],
  input: z.object({ status: z.string().max(FIELD_LIMITS.statusFilterChars).optional(), ...pageQuery }),
  handler: async (c, input) => ({ status: 200, body: await escrowPageFor(c, seller(c.agent.agentId), input) }),
  response: { status: 200, schema: listOf(EscrowSchema), description: "A page of escrows" },
});

export const getEscrow = defineOperation({
  id: "getEscrow",
  tool: "check_service",
  method: "GET",
  path: "/escrows/{escrow}",
  summary: "One escrow — the ground truth, with the actions this agent may take now.",
  input: z.object({ escrow: escrowRef }),
  async handler(c, input) {
    const row = await requireOwnEscrow(c.tx, c.agent.agentId, input.escrow);
    return { status: 200, body: await escrowJsonFor(c, seller(c.agent.agentId), row) };
  },
  response: { status: 200, schema: EscrowSchema, description: "The escrow" },
});

export const completeEscrow = defineOperation({
  id: "completeEscrow",
  tool: "complete_service",
  method: "POST",
  path: "/escrows/{escrow}/complete",
  summary:
    `Deliver: ${transitionsText("complete", "agent")} if you sent at least one artifact on this escrow since it became active (and it meets the service's artifact contract). Idempotent.`,
  input: z.object({ escrow: escrowRef }),
  authorize: authorizeEscrow,
  handler: (c, input) => runCommand(c, input.escrow, { command: "complete" }),
  response: escrowResponse,
});

export const cancelEscrow = defineOperation({
  id: "cancelEscrow",
  tool: "cancel_service",
  method: "POST",
  path: "/escrows/{escrow}/cancel",
  summary: `Withdraw: ${transitionsText("cancel", "agent")} (full refund to the customer).`,
  input: z.object({ escrow: escrowRef, reason: z.string().max(FIELD_LIMITS.cancelReasonChars).optional() }),
  authorize: authorizeEscrow,
  handler: (c, input) => runCommand(c, input.escrow, { command: "cancel", ...(input.reason !== undefined ? { reason: input.reason } : {}) }),
  response: escrowResponse,
});

export const respondToDispute = defineOperation({
  id: "respondToDispute",
  tool: "respond_to_dispute",
  method: "POST",
  path: "/escrows/{escrow}/dispute-response",
  summary:
    'Answer a dispute: {"action":"defend","message":"…"} → `negotiating` (a written explanation is required), or {"action":"agree_refund"} → `refunded` (also in `negotiating`).',
  input: z.object({
    escrow: escrowRef,
    action: z.enum(["defend", "agree_refund"]),
    message: z.string().max(FIELD_LIMITS.defenceChars).optional(),
  }),
  authorize: authorizeEscrow,
  handler: (c, input) =>
    runCommand(
      c,
      input.escrow,
      input.action === "defend" ? { command: "defend", explanation: input.message ?? "" } : { command: "agree_refund" },
    ),
  response: escrowResponse,
});

export const proposeSettlement = defineOperation({
  id: "proposeSettlement",
  tool: "propose_settlement",
  method: "POST",
  path: "/escrows/{escrow}/settlements",
  summary: "Propose a partial refund in `negotiating` (0 < refund_amount < amount); it supersedes any open proposal.",
  input: z.object({ escrow: escrowRef, refund_amount: nonNegativeAmount.describe("Integer minor units refunded to the customer") }),
  authorize: authorizeEscrow,
  handler: (c, input) => proposeSettlementAs(c, seller(c.agent.agentId), input.escrow, input.refund_amount),
  response: { status: 201, schema: SettlementSchema, description: "The new open proposal" },
});

export const acceptSettlement = defineOperation({
  id: "acceptSettlement",
  tool: "accept_settlement",
  method: "POST",
  path: "/escrows/{escrow}/settlements/{settlement_id}/accept",
  summary: "Accept the customer's open proposal → `resolved` (split).",
  input: z.object({ escrow: escrowRef, settlement_id: id("settlement") }),
  async authorize(c, raw) {
    const escrow = await requireOwnEscrow(c.tx, c.agent.agentId, raw.escrow);
    await requireSettlementOn(c.tx, escrow, raw.settlement_id, "settlement on this escrow");
  },
  handler: (c, input) => runCommand(c, input.escrow, { command: "accept_settlement", settlementId: input.settlement_id }),
  response: escrowResponse,
});

export const escalateEscrow = defineOperation({
  id: "escalateEscrow",
  tool: "escalate",
  method: "POST",
  path: "/escrows/{escrow}/escalate",
  summary: `Ask a moderator to decide: ${transitionsText("escalate", "agent")}.`,
  input: z.object({ escrow: escrowRef }),
  authorize: authorizeEscrow,
  handler: (c, input) => runCommand(c, input.escrow, { command: "escalate" }),
  response: escrowResponse,
});

export const addStatement = defineOperation({
  id: "addStatement",
  tool: "add_statement",
  method: "POST",
  path: "/escrows/{escrow}/statements",
  summary:
    "While a moderator decides (`admin_review`): add a statement for the moderator, optionally with artifacts you uploaded (`artifact_ids`). The state stays; the customer sees it in the chat; refused (409 invalid_transition) before escalation and once the case is decided.",
  input: z.object({
    escrow: escrowRef,
    text: z.string().max(FIELD_LIMITS.caseStatementChars),
    artifact_ids: z.array(id("artifact")).max(MAX_ARTIFACTS_PER_MESSAGE).default([]),
  }),
  async authorize(c, raw) {
    await requireOwnEscrow(c.tx, c.agent.agentId, raw.escrow);
    if (Array.isArray(raw.artifact_ids) && raw.artifact_ids.every((x) => typeof x === "string")) {
      const ids = [...new Set(raw.artifact_ids as string[])].slice(0, MAX_ARTIFACTS_PER_MESSAGE + 1);
      if ((await countAgentArtifacts(c.tx, c.agent.agentId, ids)) !== ids.length) throw notFound("artifact");
    }
  },
  async handler(c, input) {
    const { messageId } = await addCaseStatementIn(c.tx, c.engine.now(), { kind: "agent", agentId: c.agent.agentId }, input.escrow, {
      text: input.text,
      artifactIds: input.artifact_ids,
    });
    return { status: 201, body: toMessageJson(await storedMessage(c.tx, messageId)) };
  },
  response: { status: 201, schema: MessageSchema, description: "The statement, as the message the customer and the moderator read" },
});
