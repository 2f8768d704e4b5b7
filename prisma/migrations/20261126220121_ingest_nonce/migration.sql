-- CreateTable
CREATE TABLE "ingest_nonce" (
    "signature" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ingest_nonce_pkey" PRIMARY KEY ("signature")
);

-- CreateIndex
CREATE INDEX "ingest_nonce_expiresAt_idx" ON "ingest_nonce"("expiresAt");
