-- CreateTable
CREATE TABLE "agent_standings" (
    "agent_id" TEXT NOT NULL,
    "funded" INTEGER NOT NULL DEFAULT 0,
    "self_dealing" INTEGER NOT NULL DEFAULT 0,
    "customer_messages" INTEGER NOT NULL DEFAULT 0,
    "deliveries" INTEGER NOT NULL DEFAULT 0,
    "trivial_deliveries" INTEGER NOT NULL DEFAULT 0,
    "reused" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "auto_released" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_standings_pkey" PRIMARY KEY ("agent_id")
);

-- CreateTable
CREATE TABLE "standing_escrows" (
    "escrow_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "self_dealing" BOOLEAN NOT NULL,
    "completed" BOOLEAN NOT NULL,
    "auto_released" BOOLEAN NOT NULL,

    CONSTRAINT "standing_escrows_pkey" PRIMARY KEY ("escrow_id")
);

-- CreateTable
CREATE TABLE "standing_conversations" (
    "conversation_id" TEXT NOT NULL,
    "customer_messages" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "standing_conversations_pkey" PRIMARY KEY ("conversation_id")
);

-- CreateTable
CREATE TABLE "standing_conversation_sellers" (
    "conversation_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "funded" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "standing_conversation_sellers_pkey" PRIMARY KEY ("conversation_id","agent_id")
);

-- CreateTable
CREATE TABLE "standing_deliveries" (
    "agent_id" TEXT NOT NULL,
    "escrow_id" TEXT NOT NULL,
    "trivial" BOOLEAN NOT NULL,

    CONSTRAINT "standing_deliveries_pkey" PRIMARY KEY ("agent_id","escrow_id")
);

-- CreateTable
CREATE TABLE "standing_files" (
    "agent_id" TEXT NOT NULL,
    "escrow_id" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,

    CONSTRAINT "standing_files_pkey" PRIMARY KEY ("agent_id","escrow_id","sha256")
);

-- CreateTable
CREATE TABLE "standing_file_counts" (
    "agent_id" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "escrows" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "standing_file_counts_pkey" PRIMARY KEY ("agent_id","sha256")
);

-- CreateIndex
CREATE INDEX "standing_escrows_agent_id_idx" ON "standing_escrows"("agent_id");

-- CreateIndex
CREATE INDEX "standing_deliveries_escrow_id_idx" ON "standing_deliveries"("escrow_id");

-- CreateIndex
CREATE INDEX "standing_files_escrow_id_idx" ON "standing_files"("escrow_id");

-- CreateIndex
CREATE INDEX "standing_file_counts_agent_id_escrows_idx" ON "standing_file_counts"("agent_id", "escrows");

-- The standing's figures are defined once, here (issue 17 item 5), and kept in the transaction that
-- changes the facts instead of recomputed from the agent's whole history on every read (GET /me, offers,
-- the accept's locking statement, releases, the moderators' ranking). Each function below recomputes ONE
-- key's contribution from the facts (one escrow; one agent's files in one escrow; one conversation's
-- customer messages), compares it with what it last added, and applies the difference to the agent's row:
-- so every writer, and any order of writes, ends with the same figures, and the backfill at the end calls
-- the same functions for the history written before this migration.
--
-- Locks. Escrow facts (funding, completion, the auto-release event) change only in a transition, which
-- holds the escrow's and then the seller agent's row lock before its write statement: those triggers run
-- immediately at the end of that statement, so reads later in the same transaction see the figures, and
-- a seller's counter row is updated only by the holder of its agent row lock (it never waits there).
-- Messages and artifacts are written by chat paths that lock the conversation and then agent rows (the
-- event sequence): their triggers are DEFERRED to commit, when the transaction has every other lock it
-- will take, so the counter rows are its last locks and a wait there only queues behind another
-- commit (never a cycle). Within one function the order is: the conversation's counter → its sellers →
-- the agent's standing; an agent's files in one escrow are serialised by an advisory lock on the pair.

-- Adds a difference to the agent's row (created at zero).
CREATE FUNCTION agent_standing_add(p_agent TEXT, d_funded INT, d_self_dealing INT, d_customer_messages INT,
                                   d_deliveries INT, d_trivial INT, d_completed INT, d_auto_released INT) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF d_funded = 0 AND d_self_dealing = 0 AND d_customer_messages = 0 AND d_deliveries = 0 AND d_trivial = 0
     AND d_completed = 0 AND d_auto_released = 0 THEN
    RETURN;
  END IF;
  INSERT INTO agent_standings AS s (agent_id, funded, self_dealing, customer_messages, deliveries, trivial_deliveries, completed, auto_released, updated_at)
  VALUES (p_agent, d_funded, d_self_dealing, d_customer_messages, d_deliveries, d_trivial, d_completed, d_auto_released, now())
  ON CONFLICT (agent_id) DO UPDATE SET
    funded = s.funded + EXCLUDED.funded,
    self_dealing = s.self_dealing + EXCLUDED.self_dealing,
    customer_messages = s.customer_messages + EXCLUDED.customer_messages,
    deliveries = s.deliveries + EXCLUDED.deliveries,
    trivial_deliveries = s.trivial_deliveries + EXCLUDED.trivial_deliveries,
    completed = s.completed + EXCLUDED.completed,
    auto_released = s.auto_released + EXCLUDED.auto_released,
    updated_at = now();
END
$fn$;

-- customer_messages: customer-role messages in the conversations where the agent has a funded escrow.
-- `d` customer messages were added to (or, negative, removed from) the conversation.
CREATE FUNCTION agent_standing_count_messages(p_conversation TEXT, d INT) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  seller RECORD;
BEGIN
  -- The conversation's counter row is where its messages and its fundings meet: locked first by both, so
  -- a funding and a concurrent customer message each see the other (READ COMMITTED: the next statement's
  -- snapshot, taken after the lock, sees what the other committed).
  INSERT INTO standing_conversations AS c (conversation_id, customer_messages) VALUES (p_conversation, d)
  ON CONFLICT (conversation_id) DO UPDATE SET customer_messages = c.customer_messages + EXCLUDED.customer_messages;
  FOR seller IN
    SELECT s.agent_id FROM standing_conversation_sellers s
     WHERE s.conversation_id = p_conversation AND s.funded > 0 ORDER BY s.agent_id
  LOOP
    PERFORM agent_standing_add(seller.agent_id, 0, 0, d, 0, 0, 0, 0);
  END LOOP;
END
$fn$;

-- The agent gained (d = 1) or lost (d = -1) a funded escrow in the conversation: its customer messages
-- count for the agent while it has at least one there.
CREATE FUNCTION agent_standing_fund_conversation(p_conversation TEXT, p_agent TEXT, d INT) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  conversation_messages INT;
  after_funded INT;
BEGIN
  INSERT INTO standing_conversations (conversation_id) VALUES (p_conversation) ON CONFLICT (conversation_id) DO NOTHING;
  SELECT c.customer_messages INTO conversation_messages FROM standing_conversations c WHERE c.conversation_id = p_conversation FOR UPDATE;
  INSERT INTO standing_conversation_sellers AS s (conversation_id, agent_id, funded) VALUES (p_conversation, p_agent, d)
  ON CONFLICT (conversation_id, agent_id) DO UPDATE SET funded = s.funded + EXCLUDED.funded
  RETURNING s.funded INTO after_funded;
  IF after_funded - d = 0 AND after_funded > 0 THEN
    PERFORM agent_standing_add(p_agent, 0, 0, conversation_messages, 0, 0, 0, 0);
  ELSIF after_funded - d > 0 AND after_funded = 0 THEN
    PERFORM agent_standing_add(p_agent, 0, 0, -conversation_messages, 0, 0, 0, 0);
  END IF;
  IF after_funded = 0 THEN
    DELETE FROM standing_conversation_sellers WHERE conversation_id = p_conversation AND agent_id = p_agent;
  END IF;
END
$fn$;

-- One escrow's part in its agent's standing. funded: it has a 'fund' ledger transfer; self_dealing: funded
-- and bought by the agent's owner; completed: funded and in status completed; auto_released: completed, by
-- a transition whose command is auto_release. Recomputed from the escrow's own rows and applied as the
-- difference with what standing_escrows says was counted (a row there = a funded escrow).
CREATE FUNCTION agent_standing_count_escrow(p_escrow TEXT) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  cur standing_escrows%ROWTYPE;
  was standing_escrows%ROWTYPE;
BEGIN
  SELECT e.id, e.agent_id, e.conversation_id, e.customer_id,
         e.customer_id = a.owner_id,
         e.status = 'completed',
         e.status = 'completed' AND EXISTS (
           SELECT 1 FROM escrow_events ev WHERE ev.escrow_id = e.id AND ev.to_status = 'completed' AND ev.command = 'auto_release')
    INTO cur
    FROM escrows e JOIN agents a ON a.id = e.agent_id
   WHERE e.id = p_escrow AND EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.escrow_id = e.id AND t.kind = 'fund');
  SELECT * INTO was FROM standing_escrows WHERE escrow_id = p_escrow FOR UPDATE;
  IF cur.escrow_id IS NULL AND was.escrow_id IS NULL THEN
    RETURN;
  END IF;
  IF cur.escrow_id IS NOT NULL AND was.escrow_id IS NOT NULL
     AND cur.agent_id = was.agent_id AND cur.conversation_id = was.conversation_id THEN
    IF cur.customer_id = was.customer_id AND cur.self_dealing = was.self_dealing AND cur.completed = was.completed
       AND cur.auto_released = was.auto_released THEN
      RETURN;
    END IF;
    UPDATE standing_escrows SET customer_id = cur.customer_id, self_dealing = cur.self_dealing, completed = cur.completed,
           auto_released = cur.auto_released
     WHERE escrow_id = p_escrow;
    PERFORM agent_standing_add(cur.agent_id, 0, cur.self_dealing::int - was.self_dealing::int, 0, 0, 0,
                               cur.completed::int - was.completed::int, cur.auto_released::int - was.auto_released::int);
    RETURN;
  END IF;
  IF was.escrow_id IS NOT NULL THEN
    DELETE FROM standing_escrows WHERE escrow_id = p_escrow;
    PERFORM agent_standing_fund_conversation(was.conversation_id, was.agent_id, -1);
    PERFORM agent_standing_add(was.agent_id, -1, -was.self_dealing::int, 0, 0, 0, -was.completed::int, -was.auto_released::int);
  END IF;
  IF cur.escrow_id IS NOT NULL THEN
    INSERT INTO standing_escrows SELECT cur.*;
    PERFORM agent_standing_fund_conversation(cur.conversation_id, cur.agent_id, 1);
    PERFORM agent_standing_add(cur.agent_id, 1, cur.self_dealing::int, 0, 0, 0, cur.completed::int, cur.auto_released::int);
  END IF;
END
$fn$;

-- One agent's files in one escrow's messages. deliveries: escrows with an agent-role message carrying an
-- artifact of the agent; trivial_deliveries: those whose largest such artifact is under 512 bytes
-- (src/domain/signals.ts TRIVIAL_ARTIFACT_BYTES); reused: the most distinct escrows one file of the agent
-- (by SHA-256, in messages of any role) was sent in. Bounded by the escrow's own messages.
CREATE FUNCTION agent_standing_count_files(p_agent TEXT, p_escrow TEXT) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  delivered BOOLEAN;
  is_trivial BOOLEAN;
  was_trivial BOOLEAN;
  was_delivered BOOLEAN;
  f RECORD;
  n INT;
  most INT := 0;
  shrunk BOOLEAN := false;
  d_deliveries INT := 0;
  d_trivial INT := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('holdfast:standing-files'), hashtext(p_agent || '/' || p_escrow));
  SELECT count(*) FILTER (WHERE m.role = 'agent') > 0,
         count(*) FILTER (WHERE m.role = 'agent' AND ar.size_bytes >= 512) = 0
    INTO delivered, is_trivial
    FROM messages m JOIN artifacts ar ON ar.message_id = m.id
   WHERE m.escrow_id = p_escrow AND ar.agent_id = p_agent;
  SELECT true, d.trivial INTO was_delivered, was_trivial FROM standing_deliveries d WHERE d.agent_id = p_agent AND d.escrow_id = p_escrow;
  was_delivered := COALESCE(was_delivered, false);
  IF delivered AND NOT was_delivered THEN
    INSERT INTO standing_deliveries (agent_id, escrow_id, trivial) VALUES (p_agent, p_escrow, is_trivial);
    d_deliveries := 1;
    d_trivial := is_trivial::int;
  ELSIF was_delivered AND NOT delivered THEN
    DELETE FROM standing_deliveries WHERE agent_id = p_agent AND escrow_id = p_escrow;
    d_deliveries := -1;
    d_trivial := -was_trivial::int;
  ELSIF delivered AND is_trivial <> was_trivial THEN
    UPDATE standing_deliveries SET trivial = is_trivial WHERE agent_id = p_agent AND escrow_id = p_escrow;
    d_trivial := is_trivial::int - was_trivial::int;
  END IF;

  FOR f IN
    SELECT COALESCE(now_sent.sha256, counted.sha256) AS sha256, now_sent.sha256 IS NOT NULL AS sent
      FROM (SELECT DISTINCT ar.sha256 FROM messages m JOIN artifacts ar ON ar.message_id = m.id
             WHERE m.escrow_id = p_escrow AND ar.agent_id = p_agent) now_sent
      FULL JOIN (SELECT sf.sha256 FROM standing_files sf WHERE sf.agent_id = p_agent AND sf.escrow_id = p_escrow) counted
        ON counted.sha256 = now_sent.sha256
     WHERE now_sent.sha256 IS NULL OR counted.sha256 IS NULL
     ORDER BY 1
  LOOP
    IF f.sent THEN
      INSERT INTO standing_files (agent_id, escrow_id, sha256) VALUES (p_agent, p_escrow, f.sha256);
      INSERT INTO standing_file_counts AS c (agent_id, sha256, escrows) VALUES (p_agent, f.sha256, 1)
      ON CONFLICT (agent_id, sha256) DO UPDATE SET escrows = c.escrows + 1
      RETURNING c.escrows INTO n;
      most := GREATEST(most, n);
    ELSE
      DELETE FROM standing_files WHERE agent_id = p_agent AND escrow_id = p_escrow AND sha256 = f.sha256;
      UPDATE standing_file_counts SET escrows = escrows - 1 WHERE agent_id = p_agent AND sha256 = f.sha256 RETURNING escrows INTO n;
      IF n = 0 THEN
        DELETE FROM standing_file_counts WHERE agent_id = p_agent AND sha256 = f.sha256;
      END IF;
      shrunk := true;
    END IF;
  END LOOP;

  IF d_deliveries = 0 AND d_trivial = 0 AND most = 0 AND NOT shrunk THEN
    RETURN;
  END IF;
  INSERT INTO agent_standings AS s (agent_id, deliveries, trivial_deliveries, reused, updated_at)
  VALUES (p_agent, d_deliveries, d_trivial, most, now())
  ON CONFLICT (agent_id) DO UPDATE SET
    deliveries = s.deliveries + EXCLUDED.deliveries,
    trivial_deliveries = s.trivial_deliveries + EXCLUDED.trivial_deliveries,
    -- A file sent in one more escrow can only raise the maximum; one taken out of an escrow (no writer
    -- does that today) may lower it: then it is read again from the per-file counts (an index lookup).
    reused = CASE WHEN shrunk
                  THEN (SELECT COALESCE(max(c.escrows), 0) FROM standing_file_counts c WHERE c.agent_id = p_agent)
                  ELSE GREATEST(s.reused, EXCLUDED.reused) END,
    updated_at = now();
END
$fn$;

-- Triggers on the facts. Escrow facts: immediate (see "Locks" above).
CREATE FUNCTION agent_standing_on_escrow() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM agent_standing_count_escrow(NEW.id);
  RETURN NULL;
END
$fn$;

CREATE TRIGGER agent_standing_on_escrow
  AFTER UPDATE OF status, agent_id, conversation_id, customer_id ON escrows
  FOR EACH ROW
  WHEN ((OLD.status IS DISTINCT FROM NEW.status AND (OLD.status = 'completed' OR NEW.status = 'completed'))
        OR OLD.agent_id IS DISTINCT FROM NEW.agent_id OR OLD.conversation_id IS DISTINCT FROM NEW.conversation_id
        OR OLD.customer_id IS DISTINCT FROM NEW.customer_id)
  EXECUTE FUNCTION agent_standing_on_escrow();

-- The escrow a ledger transfer or an audit row belongs to, before and after the change.
CREATE FUNCTION agent_standing_on_escrow_row() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.escrow_id IS NOT NULL THEN
    PERFORM agent_standing_count_escrow(OLD.escrow_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.escrow_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.escrow_id IS DISTINCT FROM OLD.escrow_id) THEN
    PERFORM agent_standing_count_escrow(NEW.escrow_id);
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER agent_standing_on_fund
  AFTER INSERT ON ledger_transfers
  FOR EACH ROW WHEN (NEW.kind = 'fund' AND NEW.escrow_id IS NOT NULL)
  EXECUTE FUNCTION agent_standing_on_escrow_row();
CREATE TRIGGER agent_standing_on_fund_change
  AFTER UPDATE OF kind, escrow_id ON ledger_transfers
  FOR EACH ROW WHEN ((OLD.kind = 'fund' OR NEW.kind = 'fund')
                     AND (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.escrow_id IS DISTINCT FROM NEW.escrow_id))
  EXECUTE FUNCTION agent_standing_on_escrow_row();
CREATE TRIGGER agent_standing_on_fund_delete
  AFTER DELETE ON ledger_transfers
  FOR EACH ROW WHEN (OLD.kind = 'fund' AND OLD.escrow_id IS NOT NULL)
  EXECUTE FUNCTION agent_standing_on_escrow_row();

CREATE TRIGGER agent_standing_on_auto_release
  AFTER INSERT ON escrow_events
  FOR EACH ROW WHEN (NEW.to_status = 'completed' AND NEW.command = 'auto_release')
  EXECUTE FUNCTION agent_standing_on_escrow_row();
CREATE TRIGGER agent_standing_on_auto_release_change
  AFTER UPDATE OF escrow_id, to_status, command ON escrow_events
  FOR EACH ROW WHEN ((OLD.to_status = 'completed' AND OLD.command = 'auto_release') OR (NEW.to_status = 'completed' AND NEW.command = 'auto_release'))
  EXECUTE FUNCTION agent_standing_on_escrow_row();
CREATE TRIGGER agent_standing_on_auto_release_delete
  AFTER DELETE ON escrow_events
  FOR EACH ROW WHEN (OLD.to_status = 'completed' AND OLD.command = 'auto_release')
  EXECUTE FUNCTION agent_standing_on_escrow_row();

-- self_dealing compares the buyer with the agent's owner of the moment: a new owner recounts it.
CREATE FUNCTION agent_standing_on_owner() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  e RECORD;
BEGIN
  FOR e IN SELECT escrow_id FROM standing_escrows WHERE agent_id = NEW.id ORDER BY escrow_id LOOP
    PERFORM agent_standing_count_escrow(e.escrow_id);
  END LOOP;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER agent_standing_on_owner
  AFTER UPDATE OF owner_id ON agents
  FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id)
  EXECUTE FUNCTION agent_standing_on_owner();

-- Messages and artifacts: deferred to commit (see "Locks" above).
CREATE FUNCTION agent_standing_on_message() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  k RECORD;
  carried_by TEXT;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    carried_by := NEW.id;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.role = 'customer' THEN
    PERFORM agent_standing_count_messages(OLD.conversation_id, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.role = 'customer' THEN
    PERFORM agent_standing_count_messages(NEW.conversation_id, 1);
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    -- The files counted in the escrows the message was and is in: the agents counted there, and those
    -- whose artifacts the message carries now.
    FOR k IN
      SELECT d.agent_id, d.escrow_id FROM standing_deliveries d WHERE d.escrow_id = OLD.escrow_id
      UNION SELECT sf.agent_id, sf.escrow_id FROM standing_files sf WHERE sf.escrow_id = OLD.escrow_id
      UNION SELECT ar.agent_id, m.escrow_id FROM artifacts ar JOIN messages m ON m.id = ar.message_id
             WHERE m.id = carried_by AND ar.agent_id IS NOT NULL AND m.escrow_id IS NOT NULL
      ORDER BY 1, 2
    LOOP
      PERFORM agent_standing_count_files(k.agent_id, k.escrow_id);
    END LOOP;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE CONSTRAINT TRIGGER agent_standing_on_message
  AFTER INSERT ON messages DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.role = 'customer')
  EXECUTE FUNCTION agent_standing_on_message();
CREATE CONSTRAINT TRIGGER agent_standing_on_message_change
  AFTER UPDATE OF role, conversation_id, escrow_id ON messages DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.conversation_id IS DISTINCT FROM NEW.conversation_id
                     OR OLD.escrow_id IS DISTINCT FROM NEW.escrow_id)
  EXECUTE FUNCTION agent_standing_on_message();
CREATE CONSTRAINT TRIGGER agent_standing_on_message_delete
  AFTER DELETE ON messages DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW
  EXECUTE FUNCTION agent_standing_on_message();

CREATE FUNCTION agent_standing_on_artifact() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  sent_in TEXT;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.agent_id IS NOT NULL AND OLD.message_id IS NOT NULL THEN
    SELECT m.escrow_id INTO sent_in FROM messages m WHERE m.id = OLD.message_id;
    IF sent_in IS NOT NULL THEN
      PERFORM agent_standing_count_files(OLD.agent_id, sent_in);
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.agent_id IS NOT NULL AND NEW.message_id IS NOT NULL THEN
    sent_in := NULL;
    SELECT m.escrow_id INTO sent_in FROM messages m WHERE m.id = NEW.message_id;
    IF sent_in IS NOT NULL THEN
      PERFORM agent_standing_count_files(NEW.agent_id, sent_in);
    END IF;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE CONSTRAINT TRIGGER agent_standing_on_artifact
  AFTER INSERT ON artifacts DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.message_id IS NOT NULL AND NEW.agent_id IS NOT NULL)
  EXECUTE FUNCTION agent_standing_on_artifact();
CREATE CONSTRAINT TRIGGER agent_standing_on_artifact_change
  AFTER UPDATE OF message_id, agent_id, size_bytes, sha256 ON artifacts DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.message_id IS DISTINCT FROM NEW.message_id OR OLD.agent_id IS DISTINCT FROM NEW.agent_id
                     OR OLD.size_bytes IS DISTINCT FROM NEW.size_bytes OR OLD.sha256 IS DISTINCT FROM NEW.sha256)
  EXECUTE FUNCTION agent_standing_on_artifact();
CREATE CONSTRAINT TRIGGER agent_standing_on_artifact_delete
  AFTER DELETE ON artifacts DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (OLD.message_id IS NOT NULL AND OLD.agent_id IS NOT NULL)
  EXECUTE FUNCTION agent_standing_on_artifact();

-- The history written before the triggers, through the same functions: every conversation's customer
-- messages (only for the whole table: a conversation's counter is not one agent's), then every agent's
-- files per escrow, then every funded escrow (which adds its conversation's messages). p_agent scopes it
-- to one agent whose rows were deleted (agent_standings, standing_escrows, standing_conversation_sellers,
-- standing_deliveries, standing_files, standing_file_counts).
CREATE FUNCTION agent_standing_backfill(p_agent TEXT) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF p_agent IS NULL THEN
    PERFORM agent_standing_count_messages(m.conversation_id, count(*)::int)
       FROM messages m WHERE m.role = 'customer' GROUP BY m.conversation_id;
  END IF;
  PERFORM agent_standing_count_files(k.agent_id, k.escrow_id)
     FROM (SELECT DISTINCT ar.agent_id, m.escrow_id FROM artifacts ar JOIN messages m ON m.id = ar.message_id
            WHERE ar.agent_id IS NOT NULL AND m.escrow_id IS NOT NULL AND (p_agent IS NULL OR ar.agent_id = p_agent)) k
    ORDER BY k.agent_id, k.escrow_id;
  PERFORM agent_standing_count_escrow(e.id)
     FROM escrows e
    WHERE (p_agent IS NULL OR e.agent_id = p_agent)
      AND EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.escrow_id = e.id AND t.kind = 'fund')
    ORDER BY e.id;
END
$fn$;

-- Backfill: every fact written before this migration.
SELECT agent_standing_backfill(NULL);
