-- AlterTable
ALTER TABLE "agent_records" ADD COLUMN     "approved_by_customer" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "auto_released" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "completed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deliveries" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "on_time_deliveries" INTEGER NOT NULL DEFAULT 0;

-- Reputation's detail joins the record (issue 20: "keep the reputation figures in a row updated in the
-- transition's transaction"): how each finished sale completed and whether it was delivered on time were
-- read back from every finished sale's audit trail on each reputation read (the agent's public page, the
-- owner console, the moderators' queue and ranking), a cost that grew with the agent's history. They are
-- now counted once, when the sale finishes, beside the record's other figures.
--
-- One finished sale's detail, from the escrow row and its own trail (bounded by one escrow's events).
-- The finishing transition writes the escrow and its audit row in one statement; this runs from the
-- escrow's AFTER trigger, at the end of that statement, so the finishing event is visible here.
--   completed: the sale is in status completed.
--   approved_by_customer / auto_released: how it completed, from its first event into completed: by the
--     review timer (command auto_release); by a dispute withdrawn (from negotiating: neither); else approved.
--   delivered / on_time: its first `complete` (the delivery), at or before due_at (or no due time).
CREATE FUNCTION agent_record_sale_detail(e escrows,
                                         OUT completed INT, OUT approved_by_customer INT, OUT auto_released INT,
                                         OUT delivered INT, OUT on_time INT)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  completion RECORD;
  delivered_at TIMESTAMPTZ(3);
BEGIN
  SELECT ev.command, ev.from_status INTO completion
    FROM escrow_events ev WHERE ev.escrow_id = e.id AND ev.to_status = 'completed' ORDER BY ev.id LIMIT 1;
  SELECT ev.created_at INTO delivered_at
    FROM escrow_events ev WHERE ev.escrow_id = e.id AND ev.command = 'complete' ORDER BY ev.id LIMIT 1;
  completed := (e.status = 'completed')::int;
  auto_released := COALESCE(completion.command = 'auto_release', false)::int;
  approved_by_customer := COALESCE(completion.command <> 'auto_release' AND completion.from_status IS DISTINCT FROM 'negotiating', false)::int;
  delivered := (delivered_at IS NOT NULL)::int;
  on_time := (delivered_at IS NOT NULL AND (e.due_at IS NULL OR delivered_at <= e.due_at))::int;
END
$fn$;

-- The sale count, with the detail added (otherwise as in u_agent_record_null_outcome).
CREATE OR REPLACE FUNCTION agent_record_count_sale(e escrows, decided_by_moderator BOOLEAN) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  released BIGINT := CASE WHEN e.outcome IS NOT DISTINCT FROM 'refunded' THEN 0 ELSE e.amount_minor - e.refund_amount_minor END;
  owner_id TEXT;
  owner_domain TEXT;
  buyer_domain TEXT;
  is_linked BOOLEAN;
  at TIMESTAMPTZ(3) := e.status_changed_at;
  d RECORD;
BEGIN
  d := agent_record_sale_detail(e);
  SELECT a.owner_id, lower(split_part(u.email, '@', 2)) INTO owner_id, owner_domain
    FROM agents a JOIN users u ON u.id = a.owner_id WHERE a.id = e.agent_id;
  SELECT lower(split_part(u.email, '@', 2)) INTO buyer_domain FROM users u WHERE u.id = e.customer_id;
  is_linked := COALESCE(e.customer_id = owner_id
    OR (owner_domain <> '' AND buyer_domain = owner_domain AND owner_domain NOT IN (
      'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com',
      'ymail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'pm.me',
      'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'zoho.com', 'yandex.com', 'yandex.ru',
      'mail.ru', 'qq.com', '163.com', '126.com', 'fastmail.com', 'hey.com', 'tutanota.com', 'tuta.io')), false);

  INSERT INTO agent_records AS r (agent_id, currency, sales, disputed, refunded_in_full, split, admin_decisions, admin_losses, released_minor,
                                  disputed_amount_minor, refunded_amount_minor,
                                  completed, approved_by_customer, auto_released, deliveries, on_time_deliveries, updated_at)
  VALUES (e.agent_id, e.currency, 1,
          (e.dispute_reason IS NOT NULL)::int,
          (e.outcome IS NOT DISTINCT FROM 'refunded')::int,
          (e.outcome IS NOT DISTINCT FROM 'split')::int,
          decided_by_moderator::int,
          (decided_by_moderator AND COALESCE(e.outcome IN ('refunded', 'split'), false))::int,
          released,
          CASE WHEN e.dispute_reason IS NOT NULL THEN e.amount_minor ELSE 0 END,
          CASE WHEN e.outcome IS NOT DISTINCT FROM 'refunded' THEN e.amount_minor ELSE 0 END,
          d.completed, d.approved_by_customer, d.auto_released, d.delivered, d.on_time,
          at)
  ON CONFLICT (agent_id, currency) DO UPDATE SET
    sales = r.sales + 1,
    disputed = r.disputed + EXCLUDED.disputed,
    refunded_in_full = r.refunded_in_full + EXCLUDED.refunded_in_full,
    split = r.split + EXCLUDED.split,
    admin_decisions = r.admin_decisions + EXCLUDED.admin_decisions,
    admin_losses = r.admin_losses + EXCLUDED.admin_losses,
    released_minor = r.released_minor + EXCLUDED.released_minor,
    disputed_amount_minor = r.disputed_amount_minor + EXCLUDED.disputed_amount_minor,
    refunded_amount_minor = r.refunded_amount_minor + EXCLUDED.refunded_amount_minor,
    completed = r.completed + EXCLUDED.completed,
    approved_by_customer = r.approved_by_customer + EXCLUDED.approved_by_customer,
    auto_released = r.auto_released + EXCLUDED.auto_released,
    deliveries = r.deliveries + EXCLUDED.deliveries,
    on_time_deliveries = r.on_time_deliveries + EXCLUDED.on_time_deliveries,
    updated_at = GREATEST(r.updated_at, EXCLUDED.updated_at);

  INSERT INTO agent_record_buyers AS b (agent_id, buyer_id, currency, linked, sales, amount_minor, released_minor, largest_released_minor, largest_released_at, first_sale_at)
  VALUES (e.agent_id, e.customer_id, e.currency, is_linked, 1, e.amount_minor, released, released, at, at)
  ON CONFLICT (agent_id, buyer_id, currency) DO UPDATE SET
    linked = b.linked OR EXCLUDED.linked,
    sales = b.sales + 1,
    amount_minor = b.amount_minor + EXCLUDED.amount_minor,
    released_minor = b.released_minor + EXCLUDED.released_minor,
    largest_released_at = CASE WHEN EXCLUDED.largest_released_minor > b.largest_released_minor THEN EXCLUDED.largest_released_at ELSE b.largest_released_at END,
    largest_released_minor = GREATEST(b.largest_released_minor, EXCLUDED.largest_released_minor),
    first_sale_at = LEAST(b.first_sale_at, EXCLUDED.first_sale_at);
END
$fn$;

-- Backfill: the detail of every sale the record already counts (finished and funded), through the same
-- function, summed per agent and currency.
UPDATE agent_records r
   SET completed = s.completed, approved_by_customer = s.approved_by_customer, auto_released = s.auto_released,
       deliveries = s.delivered, on_time_deliveries = s.on_time
  FROM (SELECT e.agent_id, e.currency,
               sum(d.completed)::int AS completed, sum(d.approved_by_customer)::int AS approved_by_customer,
               sum(d.auto_released)::int AS auto_released, sum(d.delivered)::int AS delivered, sum(d.on_time)::int AS on_time
          FROM escrows e CROSS JOIN LATERAL agent_record_sale_detail(e) d
         WHERE e.status IN ('completed', 'refunded', 'resolved')
           AND EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.escrow_id = e.id AND t.kind = 'fund')
         GROUP BY e.agent_id, e.currency) s
 WHERE r.agent_id = s.agent_id AND r.currency = s.currency;
