// A party's statement to the moderator while a case waits in admin_review
// (issue 22 item 4): written through the conversation's own message paths
// (so the other side and the case file see it like any message, artifacts
// included), tied to the escrow, and audited in escrow_events as a
// `statement` that does not change the state. Refused once the case is
// decided: a statement after the decision could not have been read.
import { FIELD_LIMITS } from "~/domain/field-limits";
import { hasVisibleText, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import { DomainError, reject } from "~/domain/escrow/errors";
import type { EngineContext } from "../context";
import type { Tx } from "../db/transaction";
import { postAgentMessage, postCustomerMessage } from "../conversations/messages";
import { inTransaction } from "../db/transaction";
import { escrowRefFilter } from "../escrow/actors";
import { recordAuditOnly } from "../escrow/record-transition";
import { invalid, notFound } from "../errors";

/** The audit command of a statement (escrow_events.command); the queue ignores it when reading how a case arrived. */
export const STATEMENT_COMMAND = "statement";
/** A statement is read by a person deciding a case: a page of text, not a transcript. */
export const MAX_STATEMENT_CHARS = FIELD_LIMITS.caseStatementChars;

export type StatementParty = { kind: "customer"; userId: string } | { kind: "agent"; agentId: string };

export interface StatementInput {
  text: string;
  /** Files to attach: the agent's uploads (the agent API), or the customer's case files (POST /api/case-files). */
  artifactIds?: string[];
}

export async function addCaseStatement(
  ctx: EngineContext,
  party: StatementParty,
  escrowRef: string,
  input: StatementInput,
) {
  return inTransaction(ctx.db, (tx) => addCaseStatementIn(tx, ctx.now(), party, escrowRef, input));
}

/** The same, inside the caller's transaction (the agent API runs each POST in one). */
export async function addCaseStatementIn(
  tx: Tx,
  now: Date,
  party: StatementParty,
  escrowRef: string,
  input: StatementInput,
) {
  const text = input.text.trim();
  // Judged like every required text (issue 16 item 15): a statement of only U+200B says nothing to the moderator.
  if (!hasVisibleText(text)) throw invalid("text", `a statement needs some words for the moderator: it ${VISIBLE_TEXT_REQUIRED}`);
  if (text.length > MAX_STATEMENT_CHARS) throw invalid("text", `at most ${MAX_STATEMENT_CHARS} characters`);
  const scope =
    party.kind === "customer" ? { customerId: party.userId, buyerAgentId: null } : { agentId: party.agentId };
  const found = await tx.escrow.findFirst({
    where: { AND: [escrowRefFilter(escrowRef), scope] },
    select: { id: true },
  });
  if (!found) throw notFound("escrow");
  // Locked like a command: a decision committing now either precedes the statement (refused) or follows it.
  const [row] = await tx.$queryRaw<{ id: string; status: string; version: number; conversation_id: string }[]>`
    SELECT id, status::text AS status, version, conversation_id FROM escrows WHERE id = ${found.id} FOR UPDATE`;
  if (!row) throw notFound("escrow");
  if (row.status !== "admin_review") {
    throw new DomainError(
      reject(
        "invalid_transition",
        `This escrow is ${row.status}: statements for the moderator can be added only while a moderator is deciding (admin_review).`,
      ),
    );
  }
  const messageId =
    party.kind === "customer"
      ? await postCustomerMessage(tx, {
          customerId: party.userId,
          conversationId: row.conversation_id,
          text,
          now,
          artifactIds: input.artifactIds ?? [],
          escrowId: row.id,
        })
      : await postAgentMessage(tx, {
          agentId: party.agentId,
          conversationId: row.conversation_id,
          text,
          artifactIds: input.artifactIds ?? [],
          escrowId: row.id,
          now,
        });
  await tx.message.update({ where: { id: messageId }, data: { escrowId: row.id } });
  await recordAuditOnly(tx, {
    escrowId: row.id,
    status: "admin_review",
    version: row.version,
    command: STATEMENT_COMMAND,
    actor: party,
    reason: text,
    now,
  });
  return { messageId, escrowId: row.id };
}
