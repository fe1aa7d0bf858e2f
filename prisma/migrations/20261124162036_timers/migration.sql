-- CreateEnum
CREATE TYPE "TimerKind" AS ENUM ('deadline', 'review_reminder', 'due_soon', 'overdue');

-- CreateEnum
CREATE TYPE "TimerStatus" AS ENUM ('scheduled', 'fired', 'stale');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "escrow_timers" (
    "id" BIGSERIAL NOT NULL,
    "escrow_id" TEXT NOT NULL,
    "escrow_version" INTEGER NOT NULL,
    "kind" "TimerKind" NOT NULL,
    "action" "DeadlineAction",
    "offset_s" INTEGER NOT NULL DEFAULT 0,
    "fire_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "TimerStatus" NOT NULL DEFAULT 'scheduled',
    "outcome" TEXT,
    "fired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "escrow_timers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL,
    "user_id" TEXT,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "escrow_id" TEXT,
    "dedupe_key" TEXT NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_attempts" (
    "id" BIGSERIAL NOT NULL,
    "notification_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,
    "provider_message_id" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "escrow_timers_status_fire_at_idx" ON "escrow_timers"("status", "fire_at");

-- CreateIndex
CREATE UNIQUE INDEX "escrow_timers_escrow_id_escrow_version_kind_offset_s_key" ON "escrow_timers"("escrow_id", "escrow_version", "kind", "offset_s");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_dedupe_key_key" ON "notifications"("dedupe_key");

-- CreateIndex
CREATE INDEX "notifications_status_next_attempt_at_idx" ON "notifications"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "notifications_escrow_id_idx" ON "notifications"("escrow_id");

-- CreateIndex
CREATE INDEX "notification_attempts_notification_id_attempt_idx" ON "notification_attempts"("notification_id", "attempt");

-- AddForeignKey
ALTER TABLE "escrow_timers" ADD CONSTRAINT "escrow_timers_escrow_id_fkey" FOREIGN KEY ("escrow_id") REFERENCES "escrows"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_attempts" ADD CONSTRAINT "notification_attempts_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: escrows that already have a deadline get their deadline timer, so the scheduler
-- picks them up without waiting for the backstop sweep
INSERT INTO "escrow_timers" ("escrow_id", "escrow_version", "kind", "action", "offset_s", "fire_at")
SELECT "id", "version", 'deadline', "deadline_action", 0, "deadline"
FROM "escrows"
WHERE "deadline" IS NOT NULL AND "deadline_action" IS NOT NULL;
