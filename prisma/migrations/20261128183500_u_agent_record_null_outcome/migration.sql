-- A finished sale whose outcome is NULL (a row finished outside the engine: a repair by hand, or the
-- fault tests' deliberately broken trail) made every `e.outcome = …` comparison NULL, and the insert of
-- NOT NULL counters failed, so the UPDATE that finished it failed with "null value violates not-null".
-- The record must count what the row says, never refuse the write: an absent outcome counts as neither
-- refunded nor split, and every comparison below is NULL-safe. Same function otherwise.
CREATE OR REPLACE FUNCTION agent_record_count_sale(e escrows, decided_by_moderator BOOLEAN) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  released BIGINT := CASE WHEN e.outcome IS NOT DISTINCT FROM 'refunded' THEN 0 ELSE e.amount_minor - e.refund_amount_minor END;
  owner_id TEXT;
  owner_domain TEXT;
  buyer_domain TEXT;
  is_linked BOOLEAN;
  at TIMESTAMPTZ(3) := e.status_changed_at;
BEGIN
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
                                  disputed_amount_minor, refunded_amount_minor, updated_at)
  VALUES (e.agent_id, e.currency, 1,
          (e.dispute_reason IS NOT NULL)::int,
          (e.outcome IS NOT DISTINCT FROM 'refunded')::int,
          (e.outcome IS NOT DISTINCT FROM 'split')::int,
          decided_by_moderator::int,
          (decided_by_moderator AND COALESCE(e.outcome IN ('refunded', 'split'), false))::int,
          released,
          CASE WHEN e.dispute_reason IS NOT NULL THEN e.amount_minor ELSE 0 END,
          CASE WHEN e.outcome IS NOT DISTINCT FROM 'refunded' THEN e.amount_minor ELSE 0 END,
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
