// notify_owner: the agent asks its owner for help (SPEC §5).
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { AlertSchema, ALERT_REASONS, ALERT_SEVERITIES } from "~/client/schemas";
import { raiseOwnerAlert } from "../../alerts/create-alert";
import { id, visibleLine, visibleText } from "../fields";
import { defineOperation } from "../operation";
import { toAlertJson } from "../../views/protocol";
import { requireOwnConversation } from "./conversations";
import { requireOwnEscrow } from "./escrows";

export const notifyOwner = defineOperation({
  id: "notifyOwner",
  tool: "notify_owner",
  method: "POST",
  path: "/owner-alerts",
  summary: "Alert the agent's owner (dispute, off_catalog, extension_failure, large_amount, other). Their reply comes back as an owner.instruction event.",
  input: z.object({
    reason: z.enum(ALERT_REASONS),
    title: visibleLine(FIELD_LIMITS.alertTitleChars),
    message: visibleText(FIELD_LIMITS.alertMessageChars),
    severity: z.enum(ALERT_SEVERITIES).default("info"),
    escrow_id: z.string().min(1).max(FIELD_LIMITS.escrowRefChars).nullable().optional().describe("An escrow id or reference code"),
    conversation_id: id("conversation").nullable().optional(),
  }),
  async authorize(c, raw) {
    if (typeof raw.escrow_id === "string") await requireOwnEscrow(c.tx, c.agent.agentId, raw.escrow_id);
    await requireOwnConversation(c.tx, c.agent.agentId, raw.conversation_id);
  },
  async handler(c, input) {
    const escrow = input.escrow_id ? await requireOwnEscrow(c.tx, c.agent.agentId, input.escrow_id) : null;
    const row = await raiseOwnerAlert(c.tx, {
      agentId: c.agent.agentId,
      reason: input.reason,
      title: input.title,
      message: input.message,
      severity: input.severity,
      escrowId: escrow?.id ?? null,
      conversationId: input.conversation_id ?? escrow?.conversationId ?? null,
      now: c.engine.now(),
    });
    return { status: 201, body: toAlertJson(row) };
  },
  response: { status: 201, schema: AlertSchema, description: "The alert" },
});
