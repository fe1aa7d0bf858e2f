-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "alert_id" TEXT;

-- CreateTable
CREATE TABLE "owner_channels" (
    "id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "min_severity" "AlertSeverity" NOT NULL DEFAULT 'info',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "owner_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "owner_settings" (
    "owner_id" TEXT NOT NULL,
    "large_amount_minor" BIGINT,
    "large_amount_currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "owner_settings_pkey" PRIMARY KEY ("owner_id")
);

-- CreateTable
CREATE TABLE "telegram_link_tokens" (
    "token_hash" CHAR(64) NOT NULL,
    "owner_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "telegram_link_tokens_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "inbound_webhooks" (
    "id" BIGSERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inbound_webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "owner_replies" (
    "id" TEXT NOT NULL,
    "alert_id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "routed_by" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "message_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "owner_replies_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "owner_channels_owner_id_channel_key" ON "owner_channels"("owner_id", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "owner_channels_channel_address_key" ON "owner_channels"("channel", "address");

-- CreateIndex
CREATE INDEX "telegram_link_tokens_owner_id_idx" ON "telegram_link_tokens"("owner_id");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_webhooks_source_external_id_key" ON "inbound_webhooks"("source", "external_id");

-- CreateIndex
CREATE INDEX "owner_replies_alert_id_created_at_idx" ON "owner_replies"("alert_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_attempts_channel_provider_message_id_idx" ON "notification_attempts"("channel", "provider_message_id");

-- CreateIndex
CREATE INDEX "notifications_alert_id_idx" ON "notifications"("alert_id");

-- AddForeignKey
ALTER TABLE "owner_channels" ADD CONSTRAINT "owner_channels_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "owner_replies" ADD CONSTRAINT "owner_replies_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "owner_alerts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written constraints of the owner loop
ALTER TABLE "owner_channels" ADD CONSTRAINT "owner_channels_channel_check" CHECK ("channel" IN ('email', 'telegram', 'whatsapp'));
ALTER TABLE "owner_settings" ADD CONSTRAINT "owner_settings_large_amount_positive" CHECK ("large_amount_minor" IS NULL OR "large_amount_minor" > 0);
ALTER TABLE "owner_replies" ADD CONSTRAINT "owner_replies_via_check" CHECK ("via" IN ('console', 'telegram', 'whatsapp'));
