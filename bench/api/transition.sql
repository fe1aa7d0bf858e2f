-- pgbench script: the SQL of one customer's `accept` over tRPC (pending → active, the customer's money
-- moved into the escrow's ledger account), statement for statement as the server sends it to PostgreSQL
-- (captured with `npx tsx bench/api/run.ts --capture-sql`; issue 20 and Prisma relationJoins): the
-- session read with its user, BEGIN, the escrow locked and read with everything a transition needs
-- (src/server/escrow/run-command.ts lockEscrow), the seller locked and read with its tier counts and open
-- amounts (src/server/risk/limits.ts judgeAccept), the ONE write (src/server/escrow/record-transition.ts:
-- a data-modifying CTE fed jsonb parameters), COMMIT, and the read that builds the tRPC answer. Seven
-- statements, each the server's own text with its $n parameters named here, each parameter sent as a
-- parameter with a value of the same shape (the jsonb ones as text, as the server sends them) — except the
-- server's five NULL parameters of the write, which are NULL literals here (a pgbench variable cannot hold
-- NULL: \gset makes it an empty string).
--
-- It runs on the real tables of the bench database and commits: bench/api/pgbench.ts seeds its own
-- customers (each signed in), agents (each with a sales record), conversations, funded wallets and
-- pending escrows for it (never the rows the HTTP load uses), and lists them in bench_pgbench_jobs; each
-- transaction takes the next job from a sequence, so every transaction accepts a different pending
-- escrow exactly once, as the API does. After the run the bench checks every job it handed out ended
-- `active` with its ledger moved (pgbench.ts checkPgbenchJobs).
-- Run with -M extended (Prisma's protocol: parameters, unnamed statements). pgbench turns every
-- :name into a parameter, even inside a string literal, so literals here never contain ':' + letter
-- (the timestamps in the jsonb go through to_jsonb, never through a format string).

-- Which escrow and the values the server would compute for it (the script's bookkeeping, one round trip
-- outside the transaction that the server does not make): ids of the rows it creates, the times, and the
-- jsonb parameters built from the job's columns.
WITH s AS (SELECT nextval('bench_pgbench_seq') AS n),
     j AS (SELECT j.*, date_trunc('milliseconds', now()) AS t FROM bench_pgbench_jobs j, s WHERE j.n = s.n)
SELECT j.n, j.escrow_id, j.agent_id, j.customer_id, j.conversation_id, j.token_hash, 1 AS one, 0 AS zero,
       '[]' AS empty_list, 'USD' AS currency, 'accept' AS command, 'customer' AS actor_kind,
       'pending' AS from_status, 1 AS from_version, 'active' AS to_status, 2 AS to_version, 'f' AS review_extended,
       'delivery_timeout' AS deadline_action, '{won,lost,warning_closed,prevented}' AS closed_disputes,
       '{pending,active,delivered,disputed,negotiating,admin_review}' AS open_statuses,
       'holdfast_agent_events' AS events_channel, 'holdfast_timers' AS timers_channel,
       '{' || j.agent_id || '}' AS party_ids, 'req_pgb_' || j.n AS request_id, 'msg_pgb_' || j.n AS message_id,
       j.t AS now_at, j.t + interval '3 days' AS deadline, j.t + interval '1 day' AS due_at,
       'Payment of $25.00 is held in escrow. Delivery is due within 24 hours. (ref ' || j.reference_code || ')' AS message_text,
       jsonb_build_array(jsonb_build_object(
         'n', 0, 'type', 'escrow.funded', 'trusted', true, 'agent_id', j.agent_id, 'delivery_id', 'whd_pgb_' || j.n,
         'data', jsonb_build_object('due_at', to_jsonb(j.t + interval '1 day'), 'escrow', jsonb_build_object(
           'id', j.escrow_id, 'title', j.title, 'amount', 2500, 'due_at', to_jsonb(j.t + interval '1 day'), 'status', 'active',
           'outcome', NULL, 'version', 2, 'currency', 'USD', 'deadline', to_jsonb(j.t + interval '3 days'),
           'created_at', to_jsonb(j.created_at), 'fee_amount', 0, 'service_id', j.service_id, 'updated_at', to_jsonb(j.t),
           'description', '', 'refund_amount', 0, 'dispute_reason', NULL, 'reference_code', j.reference_code,
           'allowed_actions', jsonb_build_array('complete', 'cancel'), 'conversation_id', j.conversation_id,
           'deadline_action', 'delivery_timeout'))))::text AS events,
       jsonb_build_object('event', 'escrow.funded', 'status', 'active', 'version', 2, 'deadline', to_jsonb(j.t + interval '3 days'),
         'escrow_id', j.escrow_id, 'deadline_action', 'delivery_timeout')::text AS outbox_payload,
       jsonb_build_array(
         jsonb_build_object('kind', 'deadline', 'action', 'delivery_timeout', 'fire_at', to_jsonb(j.t + interval '3 days'), 'offset_s', 0),
         jsonb_build_object('kind', 'due_soon', 'action', NULL, 'fire_at', to_jsonb(j.t + interval '18 hours'), 'offset_s', 0),
         jsonb_build_object('kind', 'overdue', 'action', NULL, 'fire_at', to_jsonb(j.t + interval '1 day'), 'offset_s', 0))::text AS timers,
       jsonb_build_array(
         jsonb_build_object('n', 0, 'id', 'acc_pgbe_' || j.n, 'key', 'escrow:' || j.escrow_id, 'kind', 'escrow', 'delta', 2500,
           'user_id', NULL, 'currency', 'USD', 'escrow_id', j.escrow_id, 'may_go_negative', false),
         jsonb_build_object('n', 1, 'id', 'acc_pgbw_' || j.n, 'key', 'wallet:' || j.customer_id || ':' || 'USD', 'kind', 'wallet', 'delta', -2500,
           'user_id', j.customer_id, 'currency', 'USD', 'escrow_id', NULL, 'may_go_negative', false))::text AS accounts,
       jsonb_build_array(
         jsonb_build_object('n', 0, 'id', 'trf_pgb_' || j.n, 'kind', 'fund', 'to_key', 'escrow:' || j.escrow_id,
           'from_key', 'wallet:' || j.customer_id || ':' || 'USD', 'amount_minor', 2500, 'operation_key', j.escrow_id || ':' || 'fund'))::text AS transfers
  FROM j \gset

-- The session, with its user (next-auth's adapter; one statement with relationJoins).
SELECT "t0"."id", "t0"."token_hash" AS "tokenHash", "t0"."user_id" AS "userId", "t0"."expires", "t0"."created_at" AS "createdAt", "Session_user"."__prisma_data__" AS "user" FROM "public"."sessions" AS "t0" LEFT JOIN LATERAL (SELECT JSONB_BUILD_OBJECT('id', "t1"."id", 'email', "t1"."email", 'displayName', "t1"."display_name", 'role', "t1"."role", 'status', "t1"."status") AS "__prisma_data__" FROM "public"."users" AS "t1" WHERE "t0"."user_id" = "t1"."id" LIMIT :one) AS "Session_user" ON true WHERE ("t0"."token_hash" = :token_hash AND 1=1) LIMIT :one;

BEGIN;
-- lockEscrow: find the escrow in the caller's scope, lock it and read it with its settlements, the seller's
-- owner and the customer's open card disputes.
    SELECT e.id, e.reference_code AS "referenceCode", e.conversation_id AS "conversationId", e.agent_id AS "agentId",
           e.customer_id AS "customerId", e.buyer_agent_id AS "buyerAgentId", e.service_id AS "serviceId", e.title,
           e.description, e.amount_minor AS "amountMinor", e.currency, e.fee_bps AS "feeBps",
           e.fee_amount_minor AS "feeAmountMinor", e.status::text AS status, e.version, e.deadline,
           e.deadline_action::text AS "deadlineAction", e.delivery_in_hours AS "deliveryInHours", e.due_at AS "dueAt",
           e.dispute_reason AS "disputeReason", e.outcome::text AS outcome, e.refund_amount_minor AS "refundAmountMinor",
           e.review_extended AS "reviewExtended", e.status_changed_at AS "statusChangedAt", e.created_at AS "createdAt",
           e.updated_at AS "updatedAt", e.evaluator_agent_id AS "evaluatorAgentId", e.evaluator_dispute_version AS "evaluatorDisputeVersion",
           (SELECT s.version FROM escrows s WHERE s.id = e.id) AS "snapshotVersion",
           (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', st.id, 'proposedBy', st.proposed_by, 'refundAmountMinor',
                   st.refund_amount_minor::text, 'status', st.status, 'createdAt', st.created_at, 'updatedAt', st.updated_at)
                   ORDER BY st.created_at, st.id), '[]'::jsonb)
              FROM settlements st WHERE st.escrow_id = e.id) AS settlements,
           (SELECT a.owner_id FROM agents a WHERE a.id = e.agent_id) AS "sellerOwnerId",
           (SELECT count(*) FROM card_disputes d
             WHERE e.status = 'pending' AND d.user_id = e.customer_id AND d.status <> ALL (:closed_disputes::text[]))::int AS "openCardDisputes"
      FROM escrows e WHERE id = :escrow_id AND customer_id = :customer_id FOR UPDATE OF e;
-- judgeAccept: lock the seller and read its record (totals, buyers, pin), its standing (the one row the
-- triggers keep, and the last clearing review) and its other open amounts.
    SELECT 
  a.owner_id,
  COALESCE((SELECT json_agg(r ORDER BY r.currency) FROM agent_records r WHERE r.agent_id = a.id), '[]'::json) AS totals,
  COALESCE((SELECT json_agg(b ORDER BY b.buyer_id, b.currency) FROM agent_record_buyers b WHERE b.agent_id = a.id), '[]'::json) AS buyers,
  (SELECT p.tier FROM agent_tier_pins p WHERE p.agent_id = a.id) AS pinned, COALESCE(standing.funded, 0) AS funded, COALESCE(standing.self_dealing, 0) AS self_dealing,
  COALESCE(standing.customer_messages, 0) AS customer_messages, COALESCE(standing.deliveries, 0) AS deliveries,
  COALESCE(standing.trivial_deliveries, 0) AS trivial_deliveries, COALESCE(standing.reused, 0) AS reused,
  COALESCE(standing.completed, 0) AS completed, COALESCE(standing.auto_released, 0) AS auto_released,
  (SELECT json_build_object('score', r.score, 'at', r.created_at) FROM agent_signal_reviews r
    WHERE r.agent_id = a.id AND r.decision IN ('clear', 'restrict') ORDER BY r.created_at DESC LIMIT 1) AS last_clearing,
           (SELECT COALESCE(jsonb_agg(jsonb_build_object('currency', g.currency, 'amountMinor', g.total::text)), '[]'::jsonb)
              FROM (SELECT o.currency, SUM(o.amount_minor) AS total FROM escrows o
                     WHERE o.agent_id = a.id AND o.id <> :escrow_id
                       AND o.status = ANY (:open_statuses::text[]::"EscrowStatus"[])
                     GROUP BY o.currency) g) AS open
      FROM agents a
  LEFT JOIN agent_standings standing ON standing.agent_id = a.id
     WHERE a.id = :agent_id
       FOR UPDATE OF a;
-- recordTransition: the whole change set in one statement (escrow, audit, agent event and its sequence,
-- system message, outbox, timers, ledger accounts and transfer; settlements, webhooks, holds empty here).
      WITH esc AS (
        UPDATE escrows SET status = :to_status::"EscrowStatus", version = :to_version::int,
               deadline = :deadline::timestamptz, deadline_action = :deadline_action::text::"DeadlineAction",
               due_at = :due_at::timestamptz, dispute_reason = NULL::text,
               outcome = NULL::text::"EscrowOutcome", refund_amount_minor = :zero::bigint,
               fee_amount_minor = :zero::bigint, review_extended = :review_extended::boolean,
               status_changed_at = :now_at::timestamptz, updated_at = :now_at::timestamptz
         WHERE id = :escrow_id AND version = :from_version::int AND status = :from_status::"EscrowStatus"
        RETURNING id
      ), stl_changed AS (
        UPDATE settlements s SET status = c.status::"SettlementStatus", updated_at = :now_at::timestamptz
          FROM jsonb_to_recordset(:empty_list::jsonb) AS c(id text, status text)
         WHERE s.id = c.id AND s.escrow_id = :escrow_id
        RETURNING s.id
      ), stl_new AS (
        -- After the supersede (one open settlement per escrow is a unique index): unreferenced CTEs run in
        -- no promised order, so this one reads stl_changed's result first.
        INSERT INTO settlements (id, escrow_id, proposed_by, refund_amount_minor, status, created_at, updated_at)
        SELECT n.id, :escrow_id::text, n.proposed_by::"Party", n.refund_amount_minor, 'open', :now_at::timestamptz, :now_at::timestamptz
          FROM jsonb_to_recordset(:empty_list::jsonb) AS n(id text, proposed_by text, refund_amount_minor bigint)
         WHERE (SELECT count(*) FROM stl_changed) >= 0
      ), audit AS (
        INSERT INTO escrow_events (escrow_id, from_status, to_status, command, actor_kind, actor_id, reason, version, created_at)
        VALUES (:escrow_id::text, :from_status::"EscrowStatus", :to_status::"EscrowStatus", :command::text,
                :actor_kind::"ActorKind", :customer_id::text, NULL::text, :to_version::int, :now_at::timestamptz)
      ), ev AS (
        SELECT v.*, row_number() OVER (PARTITION BY v.agent_id ORDER BY v.n) AS k
          FROM jsonb_to_recordset(:events::jsonb) AS v(n int, agent_id text, type text, trusted boolean, data jsonb, delivery_id text)
      ), party AS MATERIALIZED (
        SELECT a.id FROM agents a WHERE a.id = ANY(:party_ids::text[])
         ORDER BY a.id COLLATE "C" FOR NO KEY UPDATE OF a
      ), seq AS (
        UPDATE agents a SET last_event_seq = a.last_event_seq + c.count, updated_at = :now_at::timestamptz
          FROM (SELECT ev.agent_id, count(*)::bigint AS count FROM ev GROUP BY ev.agent_id) c, party p
         WHERE a.id = ANY(:party_ids::text[]) AND a.id = c.agent_id AND p.id = a.id
        RETURNING a.id, a.last_event_seq - c.count AS base_seq, a.webhook_url
      ), events AS (
        INSERT INTO agent_events (agent_id, seq, type, trusted, escrow_id, conversation_id, data, created_at)
        SELECT v.agent_id, s.base_seq + v.k, v.type, v.trusted, :escrow_id::text, :conversation_id::text, v.data, :now_at::timestamptz
          FROM ev v JOIN seq s ON s.id = v.agent_id ORDER BY v.n
        RETURNING id, agent_id, seq
      ), hooks AS (
        INSERT INTO webhook_deliveries (id, agent_id, event_id, next_attempt_at, request_id)
        SELECT v.delivery_id, e.agent_id, e.id, :now_at::timestamptz, :request_id::text
          FROM events e JOIN seq s ON s.id = e.agent_id JOIN ev v ON v.agent_id = e.agent_id AND s.base_seq + v.k = e.seq
         WHERE s.webhook_url IS NOT NULL AND s.webhook_url <> ''
      ), msg AS (
        INSERT INTO messages (id, conversation_id, escrow_id, role, trusted, text, created_at)
        SELECT :message_id::text, :conversation_id::text, :escrow_id::text, 'system', true, t.text, :now_at::timestamptz
          FROM (SELECT :message_text::text AS text) t WHERE t.text IS NOT NULL
      ), conv AS (
        UPDATE conversations SET last_message_at = :now_at::timestamptz
         WHERE id = :conversation_id::text AND :message_text::text IS NOT NULL AND (SELECT count(*) FROM party) >= 0
        RETURNING id
      ), outbox_row AS (
        INSERT INTO outbox (topic, payload, available_at, attempts, created_at, request_id)
        VALUES ('escrow.changed', :outbox_payload::jsonb, :now_at::timestamptz, 0, :now_at::timestamptz, :request_id::text)
      ), planned AS (
        INSERT INTO escrow_timers (escrow_id, escrow_version, kind, action, offset_s, fire_at, status, created_at)
        SELECT :escrow_id::text, :to_version::int, t.kind::"TimerKind", t.action::"DeadlineAction", t.offset_s, t.fire_at, 'scheduled', :now_at::timestamptz
          FROM jsonb_to_recordset(:timers::jsonb) AS t(kind text, action text, offset_s int, fire_at timestamptz)
        ON CONFLICT DO NOTHING
      ), fired AS (
        UPDATE escrow_timers SET status = 'fired', outcome = 'applied', fired_at = :now_at::timestamptz
         WHERE id = NULL::bigint AND status = 'scheduled'
      ), acct_in AS (
        SELECT * FROM jsonb_to_recordset(:accounts::jsonb)
               AS l(n int, id text, key text, kind text, currency text, user_id text, escrow_id text, delta bigint, may_go_negative boolean)
      ), acct AS (
        -- The CHECK constraint is tested on the proposed row before the conflict: a new account starts at
        -- its credit (never below zero unless it may go negative); an existing one moves by its net change.
        INSERT INTO ledger_accounts (id, key, kind, currency, user_id, escrow_id, balance_minor, updated_at)
        SELECT l.id, l.key, l.kind::"LedgerAccountKind", l.currency, l.user_id, l.escrow_id,
               CASE WHEN l.may_go_negative THEN l.delta ELSE GREATEST(l.delta, 0) END, now()
          FROM acct_in l WHERE (SELECT count(*) FROM party) + (SELECT count(*) FROM conv) >= 0 ORDER BY l.n
        ON CONFLICT (key) DO UPDATE
           SET balance_minor = ledger_accounts.balance_minor + (SELECT i.delta FROM acct_in i WHERE i.key = EXCLUDED.key), updated_at = now()
        RETURNING id, key, (xmax = 0) AS created
      ), transfers AS (
        INSERT INTO ledger_transfers (id, operation_key, kind, from_account_id, to_account_id, amount_minor, currency, escrow_id)
        SELECT t.id, t.operation_key, t.kind::"TransferKind", f.id, d.id, t.amount_minor, :currency::text, :escrow_id::text
          FROM jsonb_to_recordset(:transfers::jsonb)
               AS t(n int, id text, operation_key text, kind text, from_key text, to_key text, amount_minor bigint)
          JOIN acct f ON f.key = t.from_key JOIN acct d ON d.key = t.to_key
         ORDER BY t.n
        ON CONFLICT (operation_key) DO NOTHING
        RETURNING id
      ), held AS (
        INSERT INTO payout_holds (id, escrow_id, owner_id, agent_id, currency, amount_minor, risk_tier, release_at, signal_hold, created_at)
        SELECT h.id, :escrow_id::text, h.owner_id, :agent_id::text, :currency::text, h.amount_minor, h.risk_tier, h.release_at, h.signal_hold, :now_at::timestamptz
          FROM jsonb_to_recordset(:empty_list::jsonb)
               AS h(id text, owner_id text, amount_minor bigint, risk_tier text, release_at timestamptz, signal_hold text)
      )
      SELECT (SELECT count(*) FROM esc)::int AS updated,
             (SELECT count(*) FROM acct a JOIN acct_in l ON l.key = a.key WHERE a.created AND l.delta < 0 AND NOT l.may_go_negative)::int AS unfunded,
             (SELECT count(*) FROM transfers)::int AS posted,
             (SELECT count(*) FROM (SELECT pg_notify(:events_channel::text, s.id) FROM seq s) n)::int AS notified,
             (SELECT count(*) FROM (SELECT pg_notify(:timers_channel::text, w.at) FROM (SELECT NULL::text AS at) w WHERE w.at IS NOT NULL) x)::int AS woken;
COMMIT;
-- The tRPC answer: the escrow with its agents, settlements and service.
SELECT "t0"."id", "t0"."reference_code" AS "referenceCode", "t0"."conversation_id" AS "conversationId", "t0"."agent_id" AS "agentId", "t0"."customer_id" AS "customerId", "t0"."buyer_agent_id" AS "buyerAgentId", "t0"."service_id" AS "serviceId", "t0"."title", "t0"."description", "t0"."amount_minor" AS "amountMinor", "t0"."currency", "t0"."fee_bps" AS "feeBps", "t0"."fee_amount_minor" AS "feeAmountMinor", "t0"."status"::text, "t0"."version", "t0"."deadline", "t0"."deadline_action"::text AS "deadlineAction", "t0"."delivery_in_hours" AS "deliveryInHours", "t0"."due_at" AS "dueAt", "t0"."dispute_reason" AS "disputeReason", "t0"."outcome"::text, "t0"."refund_amount_minor" AS "refundAmountMinor", "t0"."review_extended" AS "reviewExtended", "t0"."evaluator_agent_id" AS "evaluatorAgentId", "t0"."status_changed_at" AS "statusChangedAt", "t0"."created_at" AS "createdAt", "t0"."updated_at" AS "updatedAt", "Escrow_agent"."__prisma_data__" AS "agent", "Escrow_buyerAgent"."__prisma_data__" AS "buyerAgent", "Escrow_settlements"."__prisma_data__" AS "settlements", "Escrow_service"."__prisma_data__" AS "service" FROM "public"."escrows" AS "t0" LEFT JOIN LATERAL (SELECT JSONB_BUILD_OBJECT('handle', "t1"."handle", 'displayName', "t1"."display_name") AS "__prisma_data__" FROM "public"."agents" AS "t1" WHERE "t0"."agent_id" = "t1"."id" LIMIT :one) AS "Escrow_agent" ON true LEFT JOIN LATERAL (SELECT JSONB_BUILD_OBJECT('handle', "t2"."handle", 'displayName', "t2"."display_name") AS "__prisma_data__" FROM "public"."agents" AS "t2" WHERE "t0"."buyer_agent_id" = "t2"."id" LIMIT :one) AS "Escrow_buyerAgent" ON true LEFT JOIN LATERAL (SELECT COALESCE(JSONB_AGG("__prisma_data__"), '[]') AS "__prisma_data__" FROM (SELECT "t5"."__prisma_data__" FROM (SELECT JSONB_BUILD_OBJECT('id', "t4"."id", 'escrowId', "t4"."escrow_id", 'proposedBy', "t4"."proposed_by", 'refundAmountMinor', "t4"."refund_amount_minor"::text, 'status', "t4"."status", 'createdAt', "t4"."created_at", 'updatedAt', "t4"."updated_at") AS "__prisma_data__", "t4"."created_at" FROM (SELECT "t3".* FROM "public"."settlements" AS "t3" WHERE "t0"."id" = "t3"."escrow_id" /* root select */) AS "t4" /* inner select */) AS "t5" ORDER BY "t5"."created_at" ASC /* middle select */) AS "t6" /* outer select */) AS "Escrow_settlements" ON true LEFT JOIN LATERAL (SELECT JSONB_BUILD_OBJECT('priceMinor', "t7"."price_minor"::text, 'currency', "t7"."currency") AS "__prisma_data__" FROM "public"."services" AS "t7" WHERE "t0"."service_id" = "t7"."id" LIMIT :one) AS "Escrow_service" ON true WHERE ("t0"."id" = :escrow_id AND "t0"."customer_id" = :customer_id) LIMIT :one;
