// One table of field limits (src/domain/field-limits.ts) for every transport: every text field of every
// tRPC procedure and every agent operation (REST and MCP share them) is walked, and its `.max()` must be
// the table's entry for that field — a new field with a limit of its own, or a field longer through one
// door than through another (a dispute reason was 5,000 characters over tRPC and 2,000 over REST), fails
// here. Then the limit is checked where it matters: over tRPC, a reason one character too long is refused
// with nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { OPERATIONS } from "../../agent-api/operations";
import { appRouter, callerFor } from "../root";

type Limit = keyof typeof FIELD_LIMITS;

/** Which table entry each text field takes, by field name; `where.field` overrides for one procedure or operation. */
const FIELD_ENTRY: Record<string, Limit> = {
  escrowId: "escrowRefChars",
  escrow: "escrowRefChars",
  escrow_id: "escrowRefChars",
  conversationId: "idChars",
  requestKey: "idempotencyKeyChars",
  conversation_id: "idChars",
  settlementId: "idChars",
  settlement_id: "idChars",
  artifact_id: "idChars",
  artifact_ids: "idChars",
  artifactIds: "idChars",
  agentId: "idChars",
  userId: "idChars",
  keyId: "idChars",
  alertId: "idChars",
  serviceId: "idChars",
  service_id: "idChars",
  moderatorId: "idChars",
  targetId: "idChars",
  id: "idChars",
  agentHandle: "handleLookupChars",
  handle: "handleLookupChars",
  seller_handle: "handleLookupChars",
  text: "messageTextChars",
  query: "searchQueryChars",
  status: "statusFilterChars",
  after: "cursorChars",
  "getEvents.after": "eventCursorChars",
  name: "artifactNameChars",
  "escrow.dispute.reason": "disputeReasonChars",
  "escrow.addStatement.text": "caseStatementChars",
  "addStatement.text": "caseStatementChars",
  "disputePurchase.reason": "disputeReasonChars",
  "cancelEscrow.reason": "cancelReasonChars",
  "respondToDispute.message": "defenceChars",
  "createEscrow.title": "offerTitleChars",
  "createEscrow.description": "offerDescriptionChars",
  "notifyOwner.title": "alertTitleChars",
  "notifyOwner.message": "alertMessageChars",
  "admin.decide.note": "moderatorNoteChars",
  "admin.decideAgentCase.note": "moderatorNoteChars",
  "admin.pinAgentTier.note": "moderatorNoteChars",
  "admin.suspendAgent.note": "moderatorNoteChars",
  "admin.suspendUser.note": "moderatorNoteChars",
  "admin.retryDelivery.note": "deliveryNoteChars",
  "admin.giveUpDelivery.note": "deliveryNoteChars",
  "owner.createAgent.handle": "agentHandleChars",
  "owner.createAgent.displayName": "agentDisplayNameChars",
  "owner.createAgent.description": "agentDescriptionChars",
  "owner.setWebhook.url": "webhookUrlChars",
  "owner.setWebhook.secret": "webhookSecretChars",
  "owner.saveService.title": "serviceTitleChars",
  "owner.saveService.description": "serviceDescriptionChars",
  "owner.saveChannel.address": "channelAddressChars",
  "attestDelivery.report": "attestationReportChars",
};

/** Text fields bounded by their format instead of a length (a regex or a refinement), or by a check after it. */
const FORMAT_BOUNDED = new Set([
  "currency", // ISO 4217: /^[A-Z]{3}$/, or the deployment's list (requireEnabledCurrency)
  "code", // six digits
  "before", // a bigint's digits (bigintParam)
  "after", // tRPC chat.messages: a bigint's digits; the agent feed: a short numeric cursor
  "content_base64", // bounded by the body cap and the artifact size limit
]);

interface TextField {
  where: string;
  field: string;
  maxLength: number | null;
}

/** Unwraps optional, nullable, default, pipe and array to the schemas inside. */
function inner(schema: z.ZodType): z.ZodType[] {
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType } } })._zod.def;
  if (def.innerType) return [def.innerType];
  if (def.type === "pipe" && def.in) return [def.in];
  if (def.type === "array" && def.element) return [def.element];
  return [];
}

function textFields(where: string, schema: z.ZodType, field = ""): TextField[] {
  const type = (schema as unknown as { _zod: { def: { type: string } } })._zod.def.type;
  if (type === "string") return [{ where, field, maxLength: (schema as z.ZodString).maxLength }];
  if (type === "object") {
    const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType>;
    return Object.entries(shape).flatMap(([key, value]) => textFields(where, value, key));
  }
  if (type === "union") {
    return ((schema as unknown as { options: z.ZodType[] }).options ?? []).flatMap((option) => textFields(where, option, field));
  }
  return inner(schema).flatMap((s) => textFields(where, s, field));
}

function trpcFields(): TextField[] {
  const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { inputs: z.ZodType[] } }> } })._def.procedures;
  return Object.entries(procedures).flatMap(([path, procedure]) => procedure._def.inputs.flatMap((input) => textFields(path, input)));
}

function operationFields(): TextField[] {
  return OPERATIONS.flatMap((operation) => textFields(operation.id, operation.input as z.ZodType));
}

describe("field limits: one table for every transport", () => {
  const fields = [...trpcFields(), ...operationFields()];

  it("finds the fields of both transports (or the walk is hollow)", () => {
    const wheres = new Set(fields.map((f) => f.where));
    for (const where of ["escrow.dispute", "owner.reply", "chat.send", "disputePurchase", "createEscrow", "sendMessage"]) {
      expect(wheres, where).toContain(where);
    }
    expect(fields.length).toBeGreaterThan(60);
  });

  it("limits every text field by the table's entry for it", () => {
    const wrong = fields.flatMap((f) => {
      if (f.maxLength === null && FORMAT_BOUNDED.has(f.field)) return [];
      const entry = FIELD_ENTRY[`${f.where}.${f.field}`] ?? FIELD_ENTRY[f.field];
      if (!entry) return [`${f.where}.${f.field}: no entry in FIELD_ENTRY (max ${f.maxLength})`];
      return f.maxLength === FIELD_LIMITS[entry] ? [] : [`${f.where}.${f.field}: max ${f.maxLength}, the table says ${entry} = ${FIELD_LIMITS[entry]}`];
    });
    expect(wrong).toEqual([]);
  });

  it("takes a dispute reason of the same length through tRPC and through REST purchases", () => {
    const reasons = fields.filter((f) => f.field === "reason" && (f.where === "escrow.dispute" || f.where === "disputePurchase"));
    expect(reasons.map((f) => f.maxLength)).toEqual([FIELD_LIMITS.disputeReasonChars, FIELD_LIMITS.disputeReasonChars]);
  });
});

describe("field limits over tRPC", () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(() => tdb.drop());

  it("refuses a dispute reason one character over the limit with nothing written, and takes one at the limit", async () => {
    const clock = testClock();
    const engine = testContext(tdb.db, clock, 0);
    const p = await createParties(tdb.db);
    const escrow = await deliveredEscrow(engine, clock, p);
    const customer = callerFor(engine, { id: p.customerId, email: "c@test", displayName: "Customer", role: "customer" });
    const before = await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    const eventsBefore = await tdb.db.escrowEvent.count({ where: { escrowId: escrow.id } });

    const tooLong = "x".repeat(FIELD_LIMITS.disputeReasonChars + 1);
    await expect(customer.escrow.dispute({ escrowId: escrow.id, reason: tooLong })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).toMatchObject({ status: "delivered", version: before.version });
    expect(await tdb.db.escrowEvent.count({ where: { escrowId: escrow.id } })).toBe(eventsBefore);

    const atLimit = "y".repeat(FIELD_LIMITS.disputeReasonChars);
    expect(await customer.escrow.dispute({ escrowId: escrow.id, reason: atLimit })).toMatchObject({ status: "disputed", dispute_reason: atLimit });
  });
});
