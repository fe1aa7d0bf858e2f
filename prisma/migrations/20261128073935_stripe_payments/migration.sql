-- AlterEnum
ALTER TYPE "LedgerAccountKind" ADD VALUE 'platform_loss';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "TransferKind" ADD VALUE 'payout_reversal';
ALTER TYPE "TransferKind" ADD VALUE 'chargeback';

-- CreateTable
CREATE TABLE "card_payments" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "escrow_id" TEXT,
    "checkout_session_id" TEXT,
    "payment_intent_id" TEXT,
    "charge_id" TEXT,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "refunded_minor" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),

    CONSTRAINT "card_payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_accounts" (
    "user_id" TEXT NOT NULL,
    "stripe_account_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payout_accounts_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "payouts" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'connect_transfer',
    "currency" CHAR(3) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "destination" TEXT NOT NULL,
    "card_payment_id" TEXT,
    "status" TEXT NOT NULL,
    "stripe_object_id" TEXT,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "card_disputes" (
    "id" TEXT NOT NULL,
    "card_payment_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "evidence_submitted_at" TIMESTAMPTZ(3),
    "evidence" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "card_disputes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "card_payments_checkout_session_id_key" ON "card_payments"("checkout_session_id");

-- CreateIndex
CREATE UNIQUE INDEX "card_payments_payment_intent_id_key" ON "card_payments"("payment_intent_id");

-- CreateIndex
CREATE INDEX "card_payments_user_id_created_at_idx" ON "card_payments"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "card_payments_escrow_id_idx" ON "card_payments"("escrow_id");

-- CreateIndex
CREATE UNIQUE INDEX "payout_accounts_stripe_account_id_key" ON "payout_accounts"("stripe_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "payouts_stripe_object_id_key" ON "payouts"("stripe_object_id");

-- CreateIndex
CREATE INDEX "payouts_user_id_created_at_idx" ON "payouts"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "card_disputes_user_id_status_idx" ON "card_disputes"("user_id", "status");

-- AddForeignKey
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_accounts" ADD CONSTRAINT "payout_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_disputes" ADD CONSTRAINT "card_disputes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Amounts are positive, and a payment is never returned to the card beyond what it paid.
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_amount_positive" CHECK ("amount_minor" > 0);
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_refunded_in_range" CHECK ("refunded_minor" >= 0 AND "refunded_minor" <= "amount_minor");
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_amount_positive" CHECK ("amount_minor" > 0);
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_kind" CHECK ("kind" IN ('connect_transfer', 'card_refund'));

-- A lost chargeback the wallet could not cover is the platform's loss: platform_loss may go negative too.
-- (Compared as text: the new enum value cannot be used as an enum literal in the transaction adding it.)
ALTER TABLE "ledger_accounts" DROP CONSTRAINT "ledger_accounts_balance_nonnegative";
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_balance_nonnegative"
  CHECK ("kind"::text IN ('external_funding', 'external_payout', 'platform_loss') OR "balance_minor" >= 0);
