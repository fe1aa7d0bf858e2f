-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ModerationActionKind" ADD VALUE 'retry_delivery';
ALTER TYPE "ModerationActionKind" ADD VALUE 'give_up_delivery';
ALTER TYPE "ModerationActionKind" ADD VALUE 'run_ledger_check';

-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "given_up_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "given_up_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "given_up_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ledger_check_runs" (
    "id" BIGSERIAL NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "violations" JSONB NOT NULL,
    "violation_count" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "alerted" BOOLEAN NOT NULL DEFAULT false,
    "trigger" TEXT NOT NULL,
    "process" TEXT NOT NULL,

    CONSTRAINT "ledger_check_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ledger_check_runs_finished_at_idx" ON "ledger_check_runs"("finished_at");
