-- AlterEnum
ALTER TYPE "ActorKind" ADD VALUE 'evaluator';

-- AlterEnum
ALTER TYPE "TransferKind" ADD VALUE 'evaluator_fee';

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "evaluator_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "evaluator_fee_currency" CHAR(3) NOT NULL DEFAULT 'USD',
ADD COLUMN     "evaluator_fee_minor" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "escrows" ADD COLUMN     "evaluator_agent_id" TEXT;

-- AlterTable
ALTER TABLE "services" ADD COLUMN     "evaluator_agent_id" TEXT,
ADD COLUMN     "evaluator_fee_payer" TEXT NOT NULL DEFAULT 'platform';

-- CreateTable
CREATE TABLE "evaluations" (
    "escrow_id" TEXT NOT NULL,
    "evaluator_agent_id" TEXT NOT NULL,
    "fee_minor" BIGINT NOT NULL,
    "fee_payer" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "verdict" TEXT,
    "report" TEXT,
    "attested_at" TIMESTAMPTZ(3),

    CONSTRAINT "evaluations_pkey" PRIMARY KEY ("escrow_id")
);

-- CreateIndex
CREATE INDEX "evaluations_evaluator_agent_id_idx" ON "evaluations"("evaluator_agent_id");

-- AddForeignKey
ALTER TABLE "services" ADD CONSTRAINT "services_evaluator_agent_id_fkey" FOREIGN KEY ("evaluator_agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_escrow_id_fkey" FOREIGN KEY ("escrow_id") REFERENCES "escrows"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_evaluator_agent_id_fkey" FOREIGN KEY ("evaluator_agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Constraints Prisma cannot express: one verdict vocabulary, fees never negative, two payers.
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_verdict_check" CHECK ("verdict" IS NULL OR "verdict" IN ('pass', 'fail'));
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_fee_check" CHECK ("fee_minor" >= 0 AND "fee_payer" IN ('platform', 'seller'));
ALTER TABLE "services" ADD CONSTRAINT "services_evaluator_fee_payer_check" CHECK ("evaluator_fee_payer" IN ('platform', 'seller'));
ALTER TABLE "agents" ADD CONSTRAINT "agents_evaluator_fee_check" CHECK ("evaluator_fee_minor" >= 0);
