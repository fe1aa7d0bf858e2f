// THE one write path: every escrow change — an offer, a command, a firing deadline, a purchase's
// accept — is written here, in the caller's transaction, from what the domain decided. A transition
// (recordTransition) writes its whole change set in ONE statement: the escrow row (compare-and-set under
// the lock the caller took once), the settlements, the audit row, the agents' events, the conversation's
// system line, the `escrow.changed` outbox row, the timers the row declares for the new version and the
// ledger; an offer (recordOffer) inserts the row and writes the same record. Either all of it commits or
// none of it does.
import type { Decision } from "~/domain/escrow/decide";
import { DomainError } from "~/domain/escrow/errors";
import type { OfferDecision } from "~/domain/escrow/offer";
import type { SideEffects } from "~/domain/escrow/side-effects";
import type { EscrowStatus } from "~/domain/escrow/states";
import { OFFER_RULE } from "~/domain/escrow/transitions";
import { raiseAlerts } from "../alerts/automatic";
import type { EngineContext } from "../context";
import { insertMessage } from "../conversations/messages";
import type { Tx } from "../db/transaction";
import { AGENT_EVENTS_CHANNEL, appendAgentEvent, UNTRUSTED_EVENT_TYPES } from "../events/agent-events";
import { newId } from "../ids";
import { currentRequestId } from "../log";
import { actorId, type ActorRef } from "./actors";
import { planEscrowTimers, scheduleEscrowTimers, TIMERS_CHANNEL, WAKE_HORIZON_MS } from "./escrow-timers";
import { openSettlementOf, toEscrowJson, type EscrowRow, type SettlementRow } from "./escrow-view";
import { ledgerChange } from "./ledger-effects";
import type { EngineConfig } from "../config";
import type { TimerKind } from "~/domain/escrow/side-effects";
import { insufficientFundsError } from "../ledger/ledger";
import { toSettlementJson } from "../views/protocol";

/** What every change writes besides the escrow row itself. */
interface Change {
  /** The escrow after the change. */
  escrow: EscrowRow;
  settlements: SettlementRow[];
  from: EscrowStatus | null;
  command: string;
  actor: ActorRef;
  auditReason: string | null;
  /** The seller's event type; a buying agent gets the purchase.* twin. */
  eventType: string;
  eventData: Record<string, unknown>;
  /** False for an offer: the seller made it and learns of it from its own response. */
  sellerHearsOfIt: boolean;
  systemMessage: string | null;
  sideEffects: SideEffects;
  now: Date;
}

/** What the lock-and-read statement returned beside the row (run-command.ts `lockEscrow`). */
export interface TransitionFacts {
  /** The escrow's settlements, oldest first, as of the lock. */
  settlements: SettlementRow[];
  /** The seller agent's owner: whose wallet a release pays. */
  sellerOwnerId: string;
}

/** Extra rows a caller writes in the same statement: a firing timer marks itself fired with its transition. */
export interface TransitionExtras {
  firedTimerId?: bigint;
}

/**
 * Writes a decided transition of a row the caller locked (`lockEscrow`, once, in this transaction).
 * The change set is computed here from the locked row and the decision, then written in ONE statement
 * (data-modifying CTEs, multi-row inserts from `jsonb_to_recordset`): the compare-and-set of the escrow
 * row, the settlement rows, the audit row, each party's event (its sequence bumped under its row lock; the
 * statement locks agents by id → the conversation → ledger accounts by key, the order a timer batch takes
 * them in too) and webhook delivery, the system line, the outbox row, the
 * new version's timers, the ledger (accounts upserted with their net change — the CHECK constraint keeps
 * non-external balances non-negative — and one transfer per movement, each operation key once) and a
 * payout hold. A release first asks the seller's tier (one read); alerts a row declares are raised after.
 */
export async function recordTransition(
  tx: Tx,
  ctx: EngineContext,
  row: EscrowRow,
  actor: ActorRef,
  command: string,
  decision: Decision,
  now: Date,
  facts: TransitionFacts,
  extras: TransitionExtras = {},
): Promise<{ escrow: EscrowRow; settlements: SettlementRow[] }> {
  const escrow = rowAfter(row, decision, now);
  const stl = settlementChange(row, facts.settlements, decision, now);
  const ledger = await ledgerChange(tx, ctx, row, facts.sellerOwnerId, decision);
  const open = openSettlementOf(stl.after);
  const eventData = { ...decision.agentEvent.data, ...(stl.json ? { settlement: stl.json } : {}) };
  const events: { n: number; agent_id: string; type: string; trusted: boolean; data: unknown; delivery_id: string }[] = [];
  const eventFor = (agentId: string, type: string, viewer: "agent" | "customer") =>
    events.push({
      n: events.length,
      agent_id: agentId,
      type,
      trusted: !UNTRUSTED_EVENT_TYPES.has(type),
      data: { ...eventData, escrow: toEscrowJson(escrow, open, viewer, now) },
      delivery_id: newId("whd"),
    });
  // Written buyer first (the event order); the rows are locked in id order (party).
  if (escrow.buyerAgentId) eventFor(escrow.buyerAgentId, purchaseEventType(decision.agentEvent.type), "customer");
  eventFor(escrow.agentId, decision.agentEvent.type, "agent");
  // The agents the events go to, as a parameter: `a.id = ANY(…)` is an index lookup, where `IN (SELECT
  // agent_id FROM ev)` let the planner scan the whole agents table twice per transition (bench/timers: 1,000
  // rows read per firing with 500 agents).
  const partyIds = [...new Set(events.map((e) => e.agent_id))];
  const messageText = decision.systemMessage ? `${decision.systemMessage} (ref ${escrow.referenceCode})` : null;
  const requestId = currentRequestId() ?? null;
  const timers = timerPlan(escrow, now, ctx.config, decision.sideEffects.timers);
  const wake = timers.length > 0 ? wakeFor(timers, now) : null;
  const payload = {
    escrow_id: escrow.id,
    version: escrow.version,
    status: escrow.status,
    event: decision.agentEvent.type,
    deadline: escrow.deadline?.toISOString() ?? null,
    deadline_action: escrow.deadlineAction ?? null,
  };
  let written: { updated: number; unfunded: number; posted: number }[];
  try {
    written = await tx.$queryRaw<{ updated: number; unfunded: number; posted: number }[]>`
      WITH esc AS (
        UPDATE escrows SET status = ${escrow.status}::"EscrowStatus", version = ${escrow.version}::int,
               deadline = ${escrow.deadline}::timestamptz, deadline_action = ${escrow.deadlineAction}::text::"DeadlineAction",
               due_at = ${escrow.dueAt}::timestamptz, dispute_reason = ${escrow.disputeReason}::text,
               outcome = ${escrow.outcome}::text::"EscrowOutcome", refund_amount_minor = ${escrow.refundAmountMinor}::bigint,
               fee_amount_minor = ${escrow.feeAmountMinor}::bigint, review_extended = ${escrow.reviewExtended}::boolean,
               status_changed_at = ${escrow.statusChangedAt}::timestamptz, updated_at = ${now}::timestamptz
         WHERE id = ${row.id} AND version = ${row.version}::int AND status = ${row.status}::"EscrowStatus"
        RETURNING id
      ), stl_changed AS (
        UPDATE settlements s SET status = c.status::"SettlementStatus", updated_at = ${now}::timestamptz
          FROM jsonb_to_recordset(${JSON.stringify(stl.changed)}::jsonb) AS c(id text, status text)
         WHERE s.id = c.id AND s.escrow_id = ${row.id}
        RETURNING s.id
      ), stl_new AS (
        -- After the supersede (one open settlement per escrow is a unique index): unreferenced CTEs run in
        -- no promised order, so this one reads stl_changed's result first.
        INSERT INTO settlements (id, escrow_id, proposed_by, refund_amount_minor, status, created_at, updated_at)
        SELECT n.id, ${row.id}::text, n.proposed_by::"Party", n.refund_amount_minor, 'open', ${now}::timestamptz, ${now}::timestamptz
          FROM jsonb_to_recordset(${JSON.stringify(stl.created)}::jsonb) AS n(id text, proposed_by text, refund_amount_minor bigint)
         WHERE (SELECT count(*) FROM stl_changed) >= 0
      ), audit AS (
        INSERT INTO escrow_events (escrow_id, from_status, to_status, command, actor_kind, actor_id, reason, version, created_at)
        VALUES (${row.id}::text, ${decision.from}::"EscrowStatus", ${escrow.status}::"EscrowStatus", ${command}::text,
                ${actor.kind}::"ActorKind", ${actorId(actor)}::text, ${decision.auditReason}::text, ${escrow.version}::int, ${now}::timestamptz)
      ), ev AS (
        SELECT v.*, row_number() OVER (PARTITION BY v.agent_id ORDER BY v.n) AS k
          FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb) AS v(n int, agent_id text, type text, trusted boolean, data jsonb, delivery_id text)
      ), party AS MATERIALIZED (
        -- The global lock order (src/server/jobs/fire-timer.ts lockWhatTheBatchWrites): agents by id, then
        -- the conversation (conv), then the ledger accounts by key (acct reads both first).
        SELECT a.id FROM agents a WHERE a.id = ANY(${partyIds}::text[])
         ORDER BY a.id COLLATE "C" FOR NO KEY UPDATE OF a
      ), seq AS (
        UPDATE agents a SET last_event_seq = a.last_event_seq + c.count, updated_at = ${now}::timestamptz
          FROM (SELECT ev.agent_id, count(*)::bigint AS count FROM ev GROUP BY ev.agent_id) c, party p
         WHERE a.id = ANY(${partyIds}::text[]) AND a.id = c.agent_id AND p.id = a.id
        RETURNING a.id, a.last_event_seq - c.count AS base_seq, a.webhook_url
      ), events AS (
        INSERT INTO agent_events (agent_id, seq, type, trusted, escrow_id, conversation_id, data, created_at)
        SELECT v.agent_id, s.base_seq + v.k, v.type, v.trusted, ${row.id}::text, ${row.conversationId}::text, v.data, ${now}::timestamptz
          FROM ev v JOIN seq s ON s.id = v.agent_id ORDER BY v.n
        RETURNING id, agent_id, seq
      ), hooks AS (
        INSERT INTO webhook_deliveries (id, agent_id, event_id, next_attempt_at, request_id)
        SELECT v.delivery_id, e.agent_id, e.id, ${now}::timestamptz, ${requestId}::text
          FROM events e JOIN seq s ON s.id = e.agent_id JOIN ev v ON v.agent_id = e.agent_id AND s.base_seq + v.k = e.seq
         WHERE s.webhook_url IS NOT NULL AND s.webhook_url <> ''
      ), msg AS (
        INSERT INTO messages (id, conversation_id, escrow_id, role, trusted, text, created_at)
        SELECT ${newId("msg")}::text, ${row.conversationId}::text, ${row.id}::text, 'system', true, t.text, ${now}::timestamptz
          FROM (SELECT ${messageText}::text AS text) t WHERE t.text IS NOT NULL
      ), conv AS (
        UPDATE conversations SET last_message_at = ${now}::timestamptz
         WHERE id = ${row.conversationId}::text AND ${messageText}::text IS NOT NULL AND (SELECT count(*) FROM party) >= 0
        RETURNING id
      ), outbox_row AS (
        INSERT INTO outbox (topic, payload, available_at, attempts, created_at, request_id)
        VALUES ('escrow.changed', ${JSON.stringify(payload)}::jsonb, ${now}::timestamptz, 0, ${now}::timestamptz, ${requestId}::text)
      ), planned AS (
        INSERT INTO escrow_timers (escrow_id, escrow_version, kind, action, offset_s, fire_at, status, created_at)
        SELECT ${row.id}::text, ${escrow.version}::int, t.kind::"TimerKind", t.action::"DeadlineAction", t.offset_s, t.fire_at, 'scheduled', ${now}::timestamptz
          FROM jsonb_to_recordset(${JSON.stringify(timers)}::jsonb) AS t(kind text, action text, offset_s int, fire_at timestamptz)
        ON CONFLICT DO NOTHING
      ), fired AS (
        UPDATE escrow_timers SET status = 'fired', outcome = 'applied', fired_at = ${now}::timestamptz
         WHERE id = ${extras.firedTimerId ?? null}::bigint AND status = 'scheduled'
      ), acct_in AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(ledger.accounts)}::jsonb)
               AS l(n int, id text, key text, kind text, currency text, user_id text, escrow_id text, delta bigint, may_go_negative boolean)
      ), acct AS (
        -- The CHECK constraint is tested on the proposed row before the conflict: a new account starts at
        -- its credit (never below zero unless it may go negative); an existing one moves by its net change.
        INSERT INTO ledger_accounts (id, key, kind, currency, user_id, escrow_id, balance_minor, updated_at)
        SELECT l.id, l.key, l.kind::"LedgerAccountKind", l.currency, l.user_id, l.escrow_id,
               CASE WHEN l.may_go_negative THEN l.delta ELSE GREATEST(l.delta, 0) END, now()
          FROM acct_in l
         WHERE (SELECT count(*) FROM party) + (SELECT count(*) FROM conv) >= 0
         ORDER BY l.n
        ON CONFLICT (key) DO UPDATE
           SET balance_minor = ledger_accounts.balance_minor + (SELECT i.delta FROM acct_in i WHERE i.key = EXCLUDED.key), updated_at = now()
        RETURNING id, key, (xmax = 0) AS created
      ), transfers AS (
        INSERT INTO ledger_transfers (id, operation_key, kind, from_account_id, to_account_id, amount_minor, currency, escrow_id)
        SELECT t.id, t.operation_key, t.kind::"TransferKind", f.id, d.id, t.amount_minor, ${row.currency}::text, ${row.id}::text
          FROM jsonb_to_recordset(${JSON.stringify(ledger.transfers)}::jsonb)
               AS t(n int, id text, operation_key text, kind text, from_key text, to_key text, amount_minor bigint)
          JOIN acct f ON f.key = t.from_key JOIN acct d ON d.key = t.to_key
         ORDER BY t.n
        ON CONFLICT (operation_key) DO NOTHING
        RETURNING id
      ), held AS (
        INSERT INTO payout_holds (id, escrow_id, owner_id, agent_id, currency, amount_minor, risk_tier, release_at, signal_hold, created_at)
        SELECT h.id, ${row.id}::text, h.owner_id, ${row.agentId}::text, ${row.currency}::text, h.amount_minor, h.risk_tier, h.release_at, h.signal_hold, ${now}::timestamptz
          FROM jsonb_to_recordset(${JSON.stringify(ledger.holds)}::jsonb)
               AS h(id text, owner_id text, amount_minor bigint, risk_tier text, release_at timestamptz, signal_hold text)
      )
      SELECT (SELECT count(*) FROM esc)::int AS updated,
             (SELECT count(*) FROM acct a JOIN acct_in l ON l.key = a.key WHERE a.created AND l.delta < 0 AND NOT l.may_go_negative)::int AS unfunded,
             (SELECT count(*) FROM transfers)::int AS posted,
             (SELECT count(*) FROM (SELECT pg_notify(${AGENT_EVENTS_CHANNEL}::text, s.id) FROM seq s) n)::int AS notified,
             (SELECT count(*) FROM (SELECT pg_notify(${TIMERS_CHANNEL}::text, w.at) FROM (SELECT ${wake}::text AS at) w WHERE w.at IS NOT NULL) x)::int AS woken`;
  } catch (error) {
    if (isCheckViolation(error)) throw await insufficientFunds(ctx, ledger.debits);
    throw error;
  }
  // Compare-and-set: the row lock makes a miss impossible in practice; the
  // version check keeps this correct even if the lock were ever dropped.
  if (written[0]?.updated !== 1) {
    throw new DomainError({ code: "conflict", message: "The escrow changed while this command ran. Read it again and retry." });
  }
  // A debit from an account that did not exist yet (a wallet never funded); the transaction rolls back.
  if (written[0].unfunded > 0) throw await insufficientFunds(ctx, ledger.debits);
  // The escrow's state machine allows each movement once; a duplicate here
  // means the state and the ledger disagree, which must never pass silently.
  if (written[0].posted !== ledger.transfers.length) {
    throw new Error(`ledger operations ${ledger.transfers.map((t) => t.operation_key).join(", ")} were already posted`);
  }
  await raiseAlerts(tx, ctx.config, decision.sideEffects.alerts, escrow, now);
  return { escrow, settlements: stl.after };
}

/** The escrow row as the decision leaves it (what the compare-and-set writes). */
function rowAfter(row: EscrowRow, decision: Decision, now: Date): EscrowRow {
  const { patch } = decision;
  return {
    ...row,
    status: decision.to,
    version: row.version + 1,
    deadline: patch.deadline,
    deadlineAction: patch.deadlineAction,
    updatedAt: now,
    ...(decision.statusChanged ? { statusChangedAt: now } : {}),
    ...(patch.dueAt !== undefined ? { dueAt: patch.dueAt } : {}),
    ...(patch.disputeReason !== undefined ? { disputeReason: patch.disputeReason } : {}),
    ...(patch.outcome !== undefined ? { outcome: patch.outcome } : {}),
    ...(patch.refundAmountMinor !== undefined ? { refundAmountMinor: BigInt(patch.refundAmountMinor) } : {}),
    ...(patch.feeAmountMinor !== undefined ? { feeAmountMinor: BigInt(patch.feeAmountMinor) } : {}),
    ...(patch.reviewExtended !== undefined ? { reviewExtended: patch.reviewExtended } : {}),
  };
}

/** The settlement rows a decision changes (accepts, supersedes, proposes), and the rows after it. */
function settlementChange(row: EscrowRow, before: SettlementRow[], decision: Decision, now: Date) {
  const effect = decision.settlement;
  const changed: { id: string; status: "accepted" | "superseded" }[] = [];
  const created: { id: string; proposed_by: string; refund_amount_minor: number }[] = [];
  let after = before;
  let json: ReturnType<typeof toSettlementJson> | null = null;
  if (effect?.action === "accept") {
    if (!before.some((s) => s.id === effect.settlementId)) throw new Error(`settlement ${effect.settlementId} is not on escrow ${row.id}`);
    changed.push({ id: effect.settlementId, status: "accepted" });
    after = before.map((s) => (s.id === effect.settlementId ? { ...s, status: "accepted", updatedAt: now } : s));
  } else if (effect) {
    for (const s of before) if (s.status === "open") changed.push({ id: s.id, status: "superseded" });
    after = before.map((s) => (s.status === "open" ? { ...s, status: "superseded", updatedAt: now } : s));
    if (effect.action === "propose") {
      const proposal: SettlementRow = {
        id: newId("stl"),
        escrowId: row.id,
        proposedBy: effect.proposedBy,
        refundAmountMinor: BigInt(effect.refundAmountMinor),
        status: "open",
        createdAt: now,
        updatedAt: now,
      };
      created.push({ id: proposal.id, proposed_by: proposal.proposedBy, refund_amount_minor: effect.refundAmountMinor });
      after = [...after, proposal];
      json = toSettlementJson(proposal);
    }
  }
  return { changed, created, after, json };
}

/** The new version's timers (src/domain/escrow/timer-plan.ts), as rows for the write. */
function timerPlan(escrow: EscrowRow, now: Date, config: EngineConfig, kinds: readonly TimerKind[]) {
  return planEscrowTimers(escrow, now, config, kinds).map((t) => ({
    kind: t.kind,
    action: t.action,
    offset_s: t.offsetS,
    fire_at: t.fireAt.toISOString(),
  }));
}

function wakeFor(timers: { fire_at: string }[], now: Date): string | null {
  const earliest = Math.min(...timers.map((t) => Date.parse(t.fire_at)));
  return earliest - now.getTime() < WAKE_HORIZON_MS ? String(earliest) : null;
}

function isCheckViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const d = e as { code?: unknown; meta?: { code?: unknown }; cause?: unknown; message?: unknown; originalCode?: unknown };
    if (d.code === "23514" || d.meta?.code === "23514" || d.originalCode === "23514") return true;
    if (typeof d.message === "string" && /violates check constraint/.test(d.message)) return true;
    e = d.cause;
  }
  return false;
}

/**
 * The refusal when a debited account would go negative (the CHECK constraint stopped the write; the
 * transaction is aborted, so the balance is read outside it, as committed).
 */
async function insufficientFunds(ctx: EngineContext, debits: { key: string; amountMinor: number; currency: string }[]): Promise<DomainError> {
  for (const debit of debits) {
    const account = await ctx.db.ledgerAccount.findUnique({ where: { key: debit.key }, select: { balanceMinor: true } });
    const available = Number(account?.balanceMinor ?? 0n);
    if (available < debit.amountMinor) return insufficientFundsError(debit.amountMinor, available, debit.currency);
  }
  const first = debits[0];
  return insufficientFundsError(first?.amountMinor ?? 0, 0, first?.currency ?? "USD");
}

export interface NewOffer {
  agentId: string;
  conversation: { id: string; customerId: string; buyerAgentId: string | null };
  serviceId: string | null;
  referenceCode: string;
  decision: OfferDecision;
}

/** Writes an offer the domain accepted (OFFER_RULE, the table's first row): the new escrow, then the common record. */
export async function recordOffer(tx: Tx, ctx: EngineContext, offer: NewOffer, now: Date): Promise<EscrowRow> {
  const { decision } = offer;
  const escrow = await tx.escrow.create({
    data: {
      id: newId("esc"),
      referenceCode: offer.referenceCode,
      conversationId: offer.conversation.id,
      agentId: offer.agentId,
      customerId: offer.conversation.customerId,
      buyerAgentId: offer.conversation.buyerAgentId,
      serviceId: offer.serviceId,
      title: decision.title,
      description: decision.description,
      amountMinor: BigInt(decision.amountMinor),
      currency: decision.currency,
      feeBps: decision.feeBps,
      feeAmountMinor: BigInt(decision.feeAmountMinor),
      status: OFFER_RULE.to,
      version: 1,
      deadline: decision.deadline,
      deadlineAction: decision.deadlineAction,
      deliveryInHours: decision.deliveryInHours,
      statusChangedAt: now,
      createdAt: now,
      updatedAt: now,
    },
  });
  await recordChange(tx, ctx, {
    escrow,
    settlements: [],
    from: null,
    command: OFFER_RULE.command,
    actor: { kind: "agent", agentId: offer.agentId },
    auditReason: null,
    eventType: OFFER_RULE.event,
    eventData: {},
    sellerHearsOfIt: false,
    systemMessage: decision.systemMessage,
    sideEffects: OFFER_RULE,
    now,
  });
  return escrow;
}

async function recordChange(tx: Tx, ctx: EngineContext, change: Change): Promise<void> {
  const { escrow, now } = change;
  await tx.escrowEvent.create({
    data: {
      escrowId: escrow.id,
      fromStatus: change.from,
      toStatus: escrow.status,
      command: change.command,
      actorKind: change.actor.kind,
      actorId: actorId(change.actor),
      reason: change.auditReason,
      version: escrow.version,
      createdAt: now,
    },
  });
  await appendPartyEvents(tx, change);
  if (change.systemMessage) {
    await insertMessage(tx, {
      conversationId: escrow.conversationId,
      escrowId: escrow.id,
      role: "system",
      text: `${change.systemMessage} (ref ${escrow.referenceCode})`,
      createdAt: now,
    });
  }
  await raiseAlerts(tx, ctx.config, change.sideEffects.alerts, escrow, now);
  await tx.outboxMessage.create({
    data: {
      topic: "escrow.changed",
      requestId: currentRequestId(),
      payload: {
        escrow_id: escrow.id,
        version: escrow.version,
        status: escrow.status,
        event: change.eventType,
        deadline: escrow.deadline?.toISOString() ?? null,
        deadline_action: escrow.deadlineAction ?? null,
      },
      availableAt: now,
      createdAt: now,
    },
  });
  // The timer contract: the new version's deadline and notices are recorded with the change itself.
  await scheduleEscrowTimers(tx, escrow, now, ctx.config, change.sideEffects.timers);
}

/**
 * Each side hears of the change with the escrow as it sees it (its own allowed_actions). A buying
 * agent hears of every change to its purchase as purchase.* — written before the seller's event:
 * locks are taken escrow → buyer agent → seller agent on every path, so none can deadlock.
 */
async function appendPartyEvents(tx: Tx, change: Change): Promise<void> {
  const { escrow, now } = change;
  const open = openSettlementOf(change.settlements);
  const eventFor = (agentId: string, type: string, viewer: "agent" | "customer") =>
    appendAgentEvent(tx, {
      agentId,
      type,
      escrowId: escrow.id,
      conversationId: escrow.conversationId,
      data: { ...change.eventData, escrow: toEscrowJson(escrow, open, viewer, now) },
      createdAt: now,
    });
  if (escrow.buyerAgentId) await eventFor(escrow.buyerAgentId, purchaseEventType(change.eventType), "customer");
  if (change.sellerHearsOfIt) await eventFor(escrow.agentId, change.eventType, "agent");
}

/**
 * An audit row that changes nothing: a party's statement to the moderator deciding a case
 * (src/server/moderation/statements.ts). The escrow stays at its status and version; the row is
 * written here so every escrow audit row has one writer.
 */
export async function recordAuditOnly(
  tx: Tx,
  entry: { escrowId: string; status: EscrowStatus; version: number; command: string; actor: ActorRef | { kind: "evaluator"; agentId: string }; reason: string; now: Date },
): Promise<void> {
  const actor = entry.actor;
  await tx.escrowEvent.create({
    data: {
      escrowId: entry.escrowId,
      fromStatus: entry.status,
      toStatus: entry.status,
      command: entry.command,
      actorKind: actor.kind,
      actorId: actor.kind === "evaluator" ? actor.agentId : actorId(actor),
      reason: entry.reason,
      version: entry.version,
      createdAt: entry.now,
    },
  });
}

/**
 * The evaluator a delivered escrow's service named (issue 18, src/server/evaluator/): written here so every
 * escrow row write has one writer; the settlement reads it to pay the evaluator's fee. Status and version
 * stay: it is a fact of the delivery, not a transition.
 */
export async function recordEscrowEvaluator(tx: Tx, escrowId: string, evaluatorAgentId: string): Promise<void> {
  await tx.escrow.update({ where: { id: escrowId }, data: { evaluatorAgentId } });
}

/** escrow.funded → purchase.funded: the buyer's feed keeps its purchases apart from its sales. */
export function purchaseEventType(sellerEventType: string): string {
  return sellerEventType.replace(/^escrow\./, "purchase.");
}

/**
 * Marks the dispute the evaluator's `fail` just opened as the evaluator's (issue 18): the customer may
 * withdraw it while the escrow stays at this version (`withdraw_dispute`'s guard). Written here, beside
 * the transition that opened it, so every escrow row write has one writer; status and version stay.
 */
export async function recordEvaluatorDispute(tx: Tx, escrowId: string, disputedVersion: number): Promise<void> {
  await tx.escrow.update({ where: { id: escrowId }, data: { evaluatorDisputeVersion: disputedVersion } });
}
