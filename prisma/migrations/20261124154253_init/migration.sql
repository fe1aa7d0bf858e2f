-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('customer', 'owner', 'admin');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('active', 'suspended');

-- CreateEnum
CREATE TYPE "MessageRole" AS ENUM ('customer', 'agent', 'system', 'owner', 'moderator');

-- CreateEnum
CREATE TYPE "ArtifactKind" AS ENUM ('file', 'image', 'audio', 'data');

-- CreateEnum
CREATE TYPE "EscrowStatus" AS ENUM ('pending', 'active', 'delivered', 'disputed', 'negotiating', 'admin_review', 'completed', 'refunded', 'resolved', 'cancelled');

-- CreateEnum
CREATE TYPE "DeadlineAction" AS ENUM ('offer_expired', 'delivery_timeout', 'auto_release', 'response_timeout', 'negotiation_timeout');

-- CreateEnum
CREATE TYPE "EscrowOutcome" AS ENUM ('released', 'refunded', 'split');

-- CreateEnum
CREATE TYPE "SettlementStatus" AS ENUM ('open', 'accepted', 'superseded');

-- CreateEnum
CREATE TYPE "Party" AS ENUM ('customer', 'agent');

-- CreateEnum
CREATE TYPE "ActorKind" AS ENUM ('customer', 'agent', 'timer', 'moderator', 'system');

-- CreateEnum
CREATE TYPE "LedgerAccountKind" AS ENUM ('wallet', 'escrow', 'platform_fee', 'external_funding', 'external_payout');

-- CreateEnum
CREATE TYPE "TransferKind" AS ENUM ('fund', 'release', 'fee', 'refund', 'topup', 'payout');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" "UserRole" NOT NULL DEFAULT 'customer',
    "status" "AccountStatus" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agents" (
    "id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" "AccountStatus" NOT NULL DEFAULT 'active',
    "webhook_url" TEXT,
    "webhook_secret" TEXT,
    "last_event_seq" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_api_keys" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "services" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "price_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "delivery_in_hours" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "artifact_contract" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversations" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "last_message_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "escrow_id" TEXT,
    "role" "MessageRole" NOT NULL,
    "trusted" BOOLEAN NOT NULL DEFAULT false,
    "text" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "artifacts" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "message_id" TEXT,
    "kind" "ArtifactKind" NOT NULL,
    "mime_type" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "name" TEXT NOT NULL,
    "storage_key" TEXT,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escrows" (
    "id" TEXT NOT NULL,
    "reference_code" CHAR(6) NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "service_id" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "fee_bps" INTEGER NOT NULL,
    "fee_amount_minor" BIGINT NOT NULL,
    "status" "EscrowStatus" NOT NULL DEFAULT 'pending',
    "version" INTEGER NOT NULL DEFAULT 1,
    "deadline" TIMESTAMPTZ(3),
    "deadline_action" "DeadlineAction",
    "delivery_in_hours" INTEGER,
    "due_at" TIMESTAMPTZ(3),
    "dispute_reason" TEXT,
    "outcome" "EscrowOutcome",
    "refund_amount_minor" BIGINT NOT NULL DEFAULT 0,
    "review_extended" BOOLEAN NOT NULL DEFAULT false,
    "status_changed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "escrows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settlements" (
    "id" TEXT NOT NULL,
    "escrow_id" TEXT NOT NULL,
    "proposed_by" "Party" NOT NULL,
    "refund_amount_minor" BIGINT NOT NULL,
    "status" "SettlementStatus" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "settlements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escrow_events" (
    "id" BIGSERIAL NOT NULL,
    "escrow_id" TEXT NOT NULL,
    "from_status" "EscrowStatus",
    "to_status" "EscrowStatus" NOT NULL,
    "command" TEXT NOT NULL,
    "actor_kind" "ActorKind" NOT NULL,
    "actor_id" TEXT,
    "reason" TEXT,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "escrow_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_accounts" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "LedgerAccountKind" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "user_id" TEXT,
    "escrow_id" TEXT,
    "balance_minor" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_transfers" (
    "id" TEXT NOT NULL,
    "operation_key" TEXT NOT NULL,
    "kind" "TransferKind" NOT NULL,
    "from_account_id" TEXT NOT NULL,
    "to_account_id" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "escrow_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_transfers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "response_status" INTEGER NOT NULL,
    "response_body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_events" (
    "id" BIGSERIAL NOT NULL,
    "agent_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "trusted" BOOLEAN NOT NULL,
    "escrow_id" TEXT,
    "conversation_id" TEXT,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "processed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "agents_handle_key" ON "agents"("handle");

-- CreateIndex
CREATE INDEX "agents_owner_id_idx" ON "agents"("owner_id");

-- CreateIndex
CREATE UNIQUE INDEX "agent_api_keys_prefix_key" ON "agent_api_keys"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "agent_api_keys_key_hash_key" ON "agent_api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "agent_api_keys_agent_id_idx" ON "agent_api_keys"("agent_id");

-- CreateIndex
CREATE INDEX "services_agent_id_idx" ON "services"("agent_id");

-- CreateIndex
CREATE INDEX "conversations_customer_id_idx" ON "conversations"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "conversations_agent_id_customer_id_key" ON "conversations"("agent_id", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "messages_seq_key" ON "messages"("seq");

-- CreateIndex
CREATE INDEX "messages_conversation_id_seq_idx" ON "messages"("conversation_id", "seq");

-- CreateIndex
CREATE INDEX "messages_escrow_id_created_at_idx" ON "messages"("escrow_id", "created_at");

-- CreateIndex
CREATE INDEX "artifacts_agent_id_idx" ON "artifacts"("agent_id");

-- CreateIndex
CREATE INDEX "artifacts_message_id_idx" ON "artifacts"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "escrows_reference_code_key" ON "escrows"("reference_code");

-- CreateIndex
CREATE INDEX "escrows_status_deadline_idx" ON "escrows"("status", "deadline");

-- CreateIndex
CREATE INDEX "escrows_agent_id_status_idx" ON "escrows"("agent_id", "status");

-- CreateIndex
CREATE INDEX "escrows_customer_id_status_idx" ON "escrows"("customer_id", "status");

-- CreateIndex
CREATE INDEX "escrows_conversation_id_idx" ON "escrows"("conversation_id");

-- CreateIndex
CREATE INDEX "settlements_escrow_id_status_idx" ON "settlements"("escrow_id", "status");

-- CreateIndex
CREATE INDEX "escrow_events_escrow_id_id_idx" ON "escrow_events"("escrow_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_accounts_key_key" ON "ledger_accounts"("key");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_accounts_escrow_id_key" ON "ledger_accounts"("escrow_id");

-- CreateIndex
CREATE INDEX "ledger_accounts_user_id_idx" ON "ledger_accounts"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transfers_operation_key_key" ON "ledger_transfers"("operation_key");

-- CreateIndex
CREATE INDEX "ledger_transfers_from_account_id_created_at_idx" ON "ledger_transfers"("from_account_id", "created_at");

-- CreateIndex
CREATE INDEX "ledger_transfers_to_account_id_created_at_idx" ON "ledger_transfers"("to_account_id", "created_at");

-- CreateIndex
CREATE INDEX "ledger_transfers_escrow_id_idx" ON "ledger_transfers"("escrow_id");

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_keys_scope_key_key" ON "idempotency_keys"("scope", "key");

-- CreateIndex
CREATE UNIQUE INDEX "agent_events_agent_id_seq_key" ON "agent_events"("agent_id", "seq");

-- CreateIndex
CREATE INDEX "outbox_processed_at_available_at_idx" ON "outbox"("processed_at", "available_at");

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_api_keys" ADD CONSTRAINT "agent_api_keys_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "services" ADD CONSTRAINT "services_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_escrow_id_fkey" FOREIGN KEY ("escrow_id") REFERENCES "escrows"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_escrow_id_fkey" FOREIGN KEY ("escrow_id") REFERENCES "escrows"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escrow_events" ADD CONSTRAINT "escrow_events_escrow_id_fkey" FOREIGN KEY ("escrow_id") REFERENCES "escrows"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_escrow_id_fkey" FOREIGN KEY ("escrow_id") REFERENCES "escrows"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_from_account_id_fkey" FOREIGN KEY ("from_account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_to_account_id_fkey" FOREIGN KEY ("to_account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_escrow_id_fkey" FOREIGN KEY ("escrow_id") REFERENCES "escrows"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_events" ADD CONSTRAINT "agent_events_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Constraints the Prisma schema language cannot express. They back the rules
-- that matter so that a bug in application code fails loudly instead of
-- corrupting money. (Listed in docs/ARCHITECTURE.md.)
-- Comments here avoid semicolons and apostrophes: the adapter splits scripts
-- on semicolons and the schema engine reads apostrophes as quotes.
-- ---------------------------------------------------------------------------

-- Wallets, escrow accounts and the fee account never go negative. Only the
-- external funding/payout accounts (money outside the platform) may.
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_balance_nonnegative"
  CHECK ("kind" IN ('external_funding', 'external_payout') OR "balance_minor" >= 0);

-- A transfer moves a positive amount between two different accounts.
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_amount_positive"
  CHECK ("amount_minor" > 0);
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_distinct_accounts"
  CHECK ("from_account_id" <> "to_account_id");

-- Escrow money fields are sane whatever the code does.
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_amount_positive"
  CHECK ("amount_minor" > 0 AND "amount_minor" <= 9007199254740991);
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_fee_within_amount"
  CHECK ("fee_amount_minor" >= 0 AND "fee_amount_minor" <= "amount_minor");
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_refund_within_amount"
  CHECK ("refund_amount_minor" >= 0 AND "refund_amount_minor" <= "amount_minor");
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_fee_bps_range"
  CHECK ("fee_bps" BETWEEN 0 AND 10000);
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_reference_code_format"
  CHECK ("reference_code" ~ '^[A-Z]{6}$');
-- A deadline and the action taken at it come together or not at all.
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_deadline_pairs"
  CHECK (("deadline" IS NULL) = ("deadline_action" IS NULL));
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_version_positive" CHECK ("version" >= 1);

ALTER TABLE "settlements" ADD CONSTRAINT "settlements_refund_positive"
  CHECK ("refund_amount_minor" > 0);
-- At most one open settlement proposal per escrow.
CREATE UNIQUE INDEX "settlements_one_open_per_escrow" ON "settlements" ("escrow_id") WHERE "status" = 'open';

ALTER TABLE "services" ADD CONSTRAINT "services_price_positive"
  CHECK ("price_minor" > 0 AND "price_minor" <= 9007199254740991);

-- Platform-written roles are trusted. Customer and agent text never is.
ALTER TABLE "messages" ADD CONSTRAINT "messages_trusted_matches_role"
  CHECK ("trusted" = ("role" IN ('system', 'owner', 'moderator')));

ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_key_length"
  CHECK (char_length("key") BETWEEN 1 AND 255);
