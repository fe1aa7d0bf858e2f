-- AlterTable
ALTER TABLE "escrows" ADD COLUMN     "evaluator_dispute_version" INTEGER;
