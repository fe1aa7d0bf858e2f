-- AlterTable
ALTER TABLE "artifacts" ADD COLUMN     "uploader_user_id" TEXT,
ALTER COLUMN "agent_id" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "artifacts_uploader_user_id_idx" ON "artifacts"("uploader_user_id");

-- AddForeignKey
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_uploader_user_id_fkey" FOREIGN KEY ("uploader_user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An artifact has exactly one uploader: an agent, or a person (a customer's case file)
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_one_uploader" CHECK (num_nonnulls("agent_id", "uploader_user_id") = 1);
