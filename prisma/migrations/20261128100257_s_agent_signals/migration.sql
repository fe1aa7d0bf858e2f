-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ModerationActionKind" ADD VALUE 'clear_signal';
ALTER TYPE "ModerationActionKind" ADD VALUE 'restrict_agent';

-- AlterTable
ALTER TABLE "payout_holds" ADD COLUMN     "signal_hold" TEXT;

-- CreateTable
CREATE TABLE "agent_signal_reviews" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "moderator_id" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_signal_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_restrictions" (
    "agent_id" TEXT NOT NULL,
    "moderator_id" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_restrictions_pkey" PRIMARY KEY ("agent_id")
);

-- CreateIndex
CREATE INDEX "agent_signal_reviews_agent_id_created_at_idx" ON "agent_signal_reviews"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "payout_holds_agent_id_released_at_idx" ON "payout_holds"("agent_id", "released_at");
