-- CreateEnum
CREATE TYPE "ModerationActionKind" AS ENUM ('decide', 'suspend_agent', 'reinstate_agent', 'suspend_user', 'reinstate_user');

-- CreateTable
CREATE TABLE "moderation_actions" (
    "id" BIGSERIAL NOT NULL,
    "moderator_id" TEXT NOT NULL,
    "action" "ModerationActionKind" NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moderation_actions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "moderation_actions_moderator_id_id_idx" ON "moderation_actions"("moderator_id", "id");

-- CreateIndex
CREATE INDEX "moderation_actions_target_type_target_id_idx" ON "moderation_actions"("target_type", "target_id");

-- CreateIndex
CREATE INDEX "moderation_actions_action_id_idx" ON "moderation_actions"("action", "id");
