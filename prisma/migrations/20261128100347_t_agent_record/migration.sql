-- AlterEnum
ALTER TYPE "ModerationActionKind" ADD VALUE 'pin_tier';

-- CreateTable
CREATE TABLE "agent_records" (
    "agent_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "sales" INTEGER NOT NULL DEFAULT 0,
    "disputed" INTEGER NOT NULL DEFAULT 0,
    "refunded_in_full" INTEGER NOT NULL DEFAULT 0,
    "split" INTEGER NOT NULL DEFAULT 0,
    "admin_decisions" INTEGER NOT NULL DEFAULT 0,
    "admin_losses" INTEGER NOT NULL DEFAULT 0,
    "released_minor" BIGINT NOT NULL DEFAULT 0,
    "disputed_amount_minor" BIGINT NOT NULL DEFAULT 0,
    "refunded_amount_minor" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_records_pkey" PRIMARY KEY ("agent_id","currency")
);

-- CreateTable
CREATE TABLE "agent_record_buyers" (
    "agent_id" TEXT NOT NULL,
    "buyer_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "linked" BOOLEAN NOT NULL DEFAULT false,
    "sales" INTEGER NOT NULL DEFAULT 0,
    "amount_minor" BIGINT NOT NULL DEFAULT 0,
    "released_minor" BIGINT NOT NULL DEFAULT 0,
    "largest_released_minor" BIGINT NOT NULL DEFAULT 0,
    "largest_released_at" TIMESTAMPTZ(3) NOT NULL,
    "first_sale_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agent_record_buyers_pkey" PRIMARY KEY ("agent_id","buyer_id","currency")
);

-- CreateTable
CREATE TABLE "agent_tier_pins" (
    "agent_id" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "pinned_by" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_tier_pins_pkey" PRIMARY KEY ("agent_id")
);

-- The record's figures are defined once, here (issue 17 item 5). agent_record_count_sale adds one
-- finished, funded sale to its agent's record: the trigger below calls it in the transaction that
-- finishes the sale (no extra round trip for the writer), and the backfill at the end calls it for
-- every sale that finished before this migration.
CREATE FUNCTION agent_record_count_sale(e escrows, decided_by_moderator BOOLEAN) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  released BIGINT := CASE WHEN e.outcome = 'refunded' THEN 0 ELSE e.amount_minor - e.refund_amount_minor END;
  owner_id TEXT;
  owner_domain TEXT;
  buyer_domain TEXT;
  is_linked BOOLEAN;
  at TIMESTAMPTZ(3) := e.status_changed_at;
BEGIN
  SELECT a.owner_id, lower(split_part(u.email, '@', 2)) INTO owner_id, owner_domain
    FROM agents a JOIN users u ON u.id = a.owner_id WHERE a.id = e.agent_id;
  SELECT lower(split_part(u.email, '@', 2)) INTO buyer_domain FROM users u WHERE u.id = e.customer_id;
  is_linked := e.customer_id = owner_id
    OR (owner_domain <> '' AND buyer_domain = owner_domain AND owner_domain NOT IN (
      'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com',
      'ymail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'pm.me',
      'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'zoho.com', 'yandex.com', 'yandex.ru',
      'mail.ru', 'qq.com', '163.com', '126.com', 'fastmail.com', 'hey.com', 'tutanota.com', 'tuta.io'));

  INSERT INTO agent_records AS r (agent_id, currency, sales, disputed, refunded_in_full, split, admin_decisions, admin_losses, released_minor,
                                  disputed_amount_minor, refunded_amount_minor, updated_at)
  VALUES (e.agent_id, e.currency, 1,
          (e.dispute_reason IS NOT NULL)::int,
          (e.outcome = 'refunded')::int,
          (e.outcome = 'split')::int,
          decided_by_moderator::int,
          (decided_by_moderator AND e.outcome IN ('refunded', 'split'))::int,
          released,
          CASE WHEN e.dispute_reason IS NOT NULL THEN e.amount_minor ELSE 0 END,
          CASE WHEN e.outcome = 'refunded' THEN e.amount_minor ELSE 0 END,
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

-- A sale finishes once: the status enters completed, refunded or resolved from a non-terminal one (a
-- terminal escrow never moves again). Unfunded escrows (declined, expired, cancelled offers) are not sales.
CREATE FUNCTION agent_record_on_finish() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.escrow_id = NEW.id AND t.kind = 'fund') THEN
    PERFORM agent_record_count_sale(NEW, OLD.status = 'admin_review');
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER agent_record_on_finish
  AFTER UPDATE OF status ON escrows
  FOR EACH ROW
  WHEN (NEW.status IN ('completed', 'refunded', 'resolved') AND OLD.status NOT IN ('completed', 'refunded', 'resolved', 'cancelled'))
  EXECUTE FUNCTION agent_record_on_finish();

-- Backfill: every sale that finished before this migration, through the same function.
SELECT agent_record_count_sale(e, EXISTS (SELECT 1 FROM escrow_events ev WHERE ev.escrow_id = e.id AND ev.command = 'decide'))
  FROM escrows e
 WHERE e.status IN ('completed', 'refunded', 'resolved')
   AND EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.escrow_id = e.id AND t.kind = 'fund')
 ORDER BY e.status_changed_at, e.id;
