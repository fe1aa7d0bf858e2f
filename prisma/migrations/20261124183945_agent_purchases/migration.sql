-- AlterEnum
ALTER TYPE "ActorKind" ADD VALUE 'buyer_agent';

-- DropIndex
DROP INDEX "conversations_agent_id_customer_id_key";

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "purchase_limit_currency" CHAR(3) NOT NULL DEFAULT 'USD',
ADD COLUMN     "purchase_limit_minor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "purchasing_enabled" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "buyer_agent_id" TEXT;

-- AlterTable
ALTER TABLE "escrows" ADD COLUMN     "buyer_agent_id" TEXT;

-- CreateIndex
CREATE INDEX "conversations_buyer_agent_id_idx" ON "conversations"("buyer_agent_id");

-- CreateIndex
-- NULLS NOT DISTINCT keeps a person (buyer_agent_id null) to one conversation per agent, as the index it replaces did
CREATE UNIQUE INDEX "conversations_agent_id_customer_id_buyer_agent_id_key" ON "conversations"("agent_id", "customer_id", "buyer_agent_id") NULLS NOT DISTINCT;

-- CreateIndex
CREATE INDEX "escrows_buyer_agent_id_status_idx" ON "escrows"("buyer_agent_id", "status");

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_buyer_agent_id_fkey" FOREIGN KEY ("buyer_agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escrows" ADD CONSTRAINT "escrows_buyer_agent_id_fkey" FOREIGN KEY ("buyer_agent_id") REFERENCES "agents"("id") ON DELETE SET NULL ON UPDATE CASCADE;
