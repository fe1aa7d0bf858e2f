-- AlterEnum
ALTER TYPE "TransferKind" ADD VALUE 'payout_reversal';

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
    "currency" CHAR(3) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "destination" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "stripe_transfer_id" TEXT,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payouts_pkey" PRIMARY KEY ("id")
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
CREATE UNIQUE INDEX "payouts_stripe_transfer_id_key" ON "payouts"("stripe_transfer_id");

-- CreateIndex
CREATE INDEX "payouts_user_id_created_at_idx" ON "payouts"("user_id", "created_at");

-- AddForeignKey
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_accounts" ADD CONSTRAINT "payout_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Amounts are positive; a payment is never returned to the card beyond what it paid.
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_amount_positive" CHECK ("amount_minor" > 0);
ALTER TABLE "card_payments" ADD CONSTRAINT "card_payments_refunded_in_range" CHECK ("refunded_minor" >= 0 AND "refunded_minor" <= "amount_minor");
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_amount_positive" CHECK ("amount_minor" > 0);
