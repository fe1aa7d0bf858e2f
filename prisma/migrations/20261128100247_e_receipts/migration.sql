-- CreateTable
CREATE TABLE "escrow_receipts" (
    "escrow_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "event_id" BIGINT NOT NULL,
    "jws" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "kid" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "escrow_receipts_pkey" PRIMARY KEY ("escrow_id","seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "escrow_receipts_event_id_key" ON "escrow_receipts"("event_id");
