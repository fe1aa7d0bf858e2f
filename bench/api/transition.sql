-- pgbench script: the SQL of one `accept` transition (pending → active, the customer's money moved
-- into the escrow's ledger account), statement for statement as the engine issues it through Prisma
-- (src/server/escrow/run-command.ts; captured with `npx tsx bench/api/run.ts --capture-sql`), less
-- the two session look-ups before it and the three reads that build the tRPC answer after it.
--
-- It runs on the real tables of the bench database and commits: bench/api/pgbench.ts seeds its own
-- customers, agents, conversations, funded wallets and pending escrows for it (never the rows the
-- HTTP load uses), and lists them in bench_pgbench_jobs; each transaction takes the next job from a
-- sequence, so every transaction accepts a different pending escrow exactly once, as the API does.
-- Run with -M extended (Prisma's protocol: parameters, unnamed statements). pgbench turns every
-- :name into a parameter, even inside a string literal, so literals here never contain ':' + letter.

-- Which escrow (bookkeeping of the script, outside the transaction).
WITH s AS (SELECT nextval('bench_pgbench_seq') AS n)
SELECT j.n, j.escrow_id, j.agent_id, j.customer_id, j.conversation_id, j.wallet_id, j.reference_code
  FROM bench_pgbench_jobs j, s WHERE j.n = s.n \gset

BEGIN;
-- lockEscrow: find it in the caller's scope, lock it, read it; the settlements.
SELECT id FROM escrows WHERE (id = :escrow_id::text AND customer_id = :customer_id::text) LIMIT 1 OFFSET 0;
SELECT id FROM escrows WHERE id = :escrow_id::text FOR UPDATE;
SELECT id, reference_code, conversation_id, agent_id, customer_id, buyer_agent_id, service_id, title, description, amount_minor,
       currency, fee_bps, fee_amount_minor, status::text, version, deadline, deadline_action::text, delivery_in_hours, due_at,
       dispute_reason, outcome::text, refund_amount_minor, review_extended, status_changed_at, created_at, updated_at
  FROM escrows WHERE (id = :escrow_id::text AND 1=1) LIMIT 1 OFFSET 0;
SELECT id, escrow_id, proposed_by::text, refund_amount_minor, status::text, created_at, updated_at
  FROM settlements WHERE escrow_id = :escrow_id::text ORDER BY created_at ASC OFFSET 0;
-- Compare-and-set on status and version.
UPDATE escrows SET status = CAST('active'::text AS "EscrowStatus"), version = (version + 1), deadline = now() + interval '3 days',
       deadline_action = CAST('delivery_timeout'::text AS "DeadlineAction"), updated_at = now(), status_changed_at = now(),
       due_at = now() + interval '1 day'
 WHERE (id = :escrow_id::text AND version = 1 AND status = CAST('pending'::text AS "EscrowStatus"));
-- Ledger: the agent's owner, both accounts (created if absent), the transfer, both balances.
SELECT id, owner_id FROM agents WHERE (id = :agent_id::text AND 1=1) LIMIT 1 OFFSET 0;
INSERT INTO ledger_accounts (id, key, kind, currency, user_id, escrow_id, balance_minor, updated_at)
VALUES ('acc_pgbw_' || :n::text, 'wallet:' || :customer_id::text || ':' || 'USD', 'wallet'::"LedgerAccountKind", 'USD', :customer_id::text, NULL, 0, now())
ON CONFLICT (key) DO NOTHING;
SELECT id FROM ledger_accounts WHERE key = 'wallet:' || :customer_id::text || ':' || 'USD';
INSERT INTO ledger_accounts (id, key, kind, currency, user_id, escrow_id, balance_minor, updated_at)
VALUES ('acc_pgbe_' || :n::text, 'escrow:' || :escrow_id::text, 'escrow'::"LedgerAccountKind", 'USD', NULL, :escrow_id::text, 0, now())
ON CONFLICT (key) DO NOTHING;
SELECT id FROM ledger_accounts WHERE key = 'escrow:' || :escrow_id::text;
INSERT INTO ledger_transfers (id, operation_key, kind, from_account_id, to_account_id, amount_minor, currency, escrow_id)
VALUES ('trf_pgb_' || :n::text, :escrow_id::text || ':' || 'fund', 'fund'::"TransferKind", :wallet_id::text, 'acc_pgbe_' || :n::text, 2500, 'USD', :escrow_id::text)
ON CONFLICT (operation_key) DO NOTHING;
UPDATE ledger_accounts SET balance_minor = balance_minor - 2500, updated_at = now()
 WHERE id = :wallet_id::text AND (kind IN ('external_funding'::"LedgerAccountKind", 'external_payout'::"LedgerAccountKind") OR balance_minor >= 2500);
UPDATE ledger_accounts SET balance_minor = balance_minor + 2500, updated_at = now() WHERE id = 'acc_pgbe_' || :n::text;
-- The escrow after the change, and its settlements (for the event payloads).
SELECT id, reference_code, conversation_id, agent_id, customer_id, buyer_agent_id, service_id, title, description, amount_minor,
       currency, fee_bps, fee_amount_minor, status::text, version, deadline, deadline_action::text, delivery_in_hours, due_at,
       dispute_reason, outcome::text, refund_amount_minor, review_extended, status_changed_at, created_at, updated_at
  FROM escrows WHERE (id = :escrow_id::text AND 1=1) LIMIT 1 OFFSET 0;
SELECT id, escrow_id, proposed_by::text, refund_amount_minor, status::text, created_at, updated_at
  FROM settlements WHERE escrow_id = :escrow_id::text ORDER BY created_at ASC OFFSET 0;
-- Audit row.
INSERT INTO escrow_events (escrow_id, from_status, to_status, command, actor_kind, actor_id, reason, version, created_at)
VALUES (:escrow_id::text, 'pending'::"EscrowStatus", 'active'::"EscrowStatus", 'accept', 'customer'::"ActorKind", :customer_id::text, NULL, 2, now())
RETURNING id, escrow_id, from_status::text, to_status::text, command, actor_kind::text, actor_id, reason, version, created_at;
-- Agent event: the agent's sequence, the event (a payload of the real size), the feed's NOTIFY.
UPDATE agents SET last_event_seq = (last_event_seq + 1), updated_at = now() WHERE (id = :agent_id::text AND 1=1)
RETURNING id, last_event_seq AS seq, webhook_url \gset
INSERT INTO agent_events (agent_id, seq, type, trusted, escrow_id, conversation_id, data, created_at)
VALUES (:agent_id::text, :seq::bigint, 'escrow.funded', true, :escrow_id::text, :conversation_id::text,
        jsonb_build_object('due_at', now() + interval '1 day', 'escrow', jsonb_build_object(
          'id', :escrow_id::text, 'title', 'Job', 'amount', 2500, 'due_at', now() + interval '1 day', 'status', 'active', 'outcome', NULL,
          'version', 2, 'currency', 'USD', 'deadline', now() + interval '3 days', 'created_at', now(), 'fee_amount', 0,
          'service_id', 'svc_kn7r4reggkkrasdu2ila', 'updated_at', now(), 'description', '', 'refund_amount', 0,
          'dispute_reason', NULL, 'reference_code', :reference_code::text, 'allowed_actions', jsonb_build_array('complete', 'cancel'),
          'conversation_id', :conversation_id::text, 'deadline_action', 'delivery_timeout')),
        now())
RETURNING id;
SELECT pg_notify('holdfast_agent_events', :agent_id::text);
-- The conversation's system line.
INSERT INTO messages (id, conversation_id, escrow_id, role, trusted, text, created_at)
VALUES ('msg_pgb_' || :n::text, :conversation_id::text, :escrow_id::text, 'system'::"MessageRole", true,
        'Payment of $25.00 is held in escrow. Delivery is due within 24 hours. (ref ' || :reference_code::text || ')', now())
RETURNING id, seq, conversation_id, escrow_id, role::text, trusted, text, created_at;
UPDATE conversations SET last_message_at = now() WHERE (id = :conversation_id::text AND 1=1)
RETURNING id, agent_id, customer_id, buyer_agent_id, last_message_at, created_at;
-- Outbox row and the new version's timers.
INSERT INTO outbox (topic, payload, available_at, attempts, created_at)
VALUES ('escrow.changed', jsonb_build_object('event', 'escrow.funded', 'status', 'active', 'version', 2, 'deadline', now() + interval '3 days',
        'escrow_id', :escrow_id::text, 'deadline_action', 'delivery_timeout'), now(), 0, now())
RETURNING id, topic, payload, available_at, attempts, last_error, processed_at, created_at;
INSERT INTO escrow_timers (escrow_id, escrow_version, kind, action, offset_s, fire_at, status, created_at)
VALUES (:escrow_id::text, 2, 'deadline'::"TimerKind", 'delivery_timeout'::"DeadlineAction", 0, now() + interval '3 days', 'scheduled'::"TimerStatus", now()),
       (:escrow_id::text, 2, 'due_soon'::"TimerKind", NULL, 0, now() + interval '18 hours', 'scheduled'::"TimerStatus", now()),
       (:escrow_id::text, 2, 'overdue'::"TimerKind", NULL, 0, now() + interval '1 day', 'scheduled'::"TimerStatus", now())
ON CONFLICT DO NOTHING;
COMMIT;
