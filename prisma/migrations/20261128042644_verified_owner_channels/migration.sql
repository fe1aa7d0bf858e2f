-- DropIndex
DROP INDEX "owner_channels_channel_address_key";

-- AlterTable
ALTER TABLE "owner_channels" ADD COLUMN     "verified_at" TIMESTAMPTZ(3),
ADD COLUMN     "verify_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "verify_code_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "verify_code_hash" CHAR(64);

-- CreateIndex
CREATE INDEX "owner_channels_channel_address_idx" ON "owner_channels"("channel", "address");

-- Hand-written: channels already proven stay verified (a Telegram chat linked itself by /start, an email
-- channel at the account sign-in address). Other addresses were typed in unchecked: their owners verify
-- them with a code from the console before they get alerts again.
UPDATE "owner_channels" SET "verified_at" = "created_at" WHERE "channel" = 'telegram';
UPDATE "owner_channels" c SET "verified_at" = c."created_at" FROM "users" u WHERE c."channel" = 'email' AND u."id" = c."owner_id" AND lower(u."email") = c."address";
-- One owner per verified chat or number, since replies from it are routed by address (typed-in, unverified
-- addresses may repeat, unseen by each other). Email is never routed inbound, and a mailbox proven by two
-- accounts may serve both.
CREATE UNIQUE INDEX "owner_channels_verified_address" ON "owner_channels" ("channel", "address") WHERE "verified_at" IS NOT NULL AND "channel" <> 'email';
ALTER TABLE "owner_channels" ADD CONSTRAINT "owner_channels_verify_attempts_nonnegative" CHECK ("verify_attempts" >= 0);
