-- AlterEnum
ALTER TYPE "LedgerAccountKind" ADD VALUE 'held';

-- AlterEnum
ALTER TYPE "TransferKind" ADD VALUE 'hold_release';

-- CreateTable
CREATE TABLE "payout_holds" (
    "id" TEXT NOT NULL,
    "escrow_id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "risk_tier" TEXT NOT NULL,
    "release_at" TIMESTAMPTZ(3) NOT NULL,
    "released_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payout_holds_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "payout_holds_escrow_id_key" ON "payout_holds"("escrow_id");

-- CreateIndex
CREATE INDEX "payout_holds_released_at_release_at_idx" ON "payout_holds"("released_at", "release_at");

-- CreateIndex
CREATE INDEX "payout_holds_owner_id_currency_idx" ON "payout_holds"("owner_id", "currency");

-- A hold is for a positive amount, released at most once.
ALTER TABLE "payout_holds" ADD CONSTRAINT "payout_holds_amount_positive" CHECK ("amount_minor" > 0);
