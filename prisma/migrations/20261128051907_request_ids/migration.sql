-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "request_id" TEXT;

-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "request_id" TEXT;
