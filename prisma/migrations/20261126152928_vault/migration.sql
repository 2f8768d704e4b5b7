-- CreateTable
CREATE TABLE "vault_record" (
    "id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "nonce" BYTEA NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vault_record_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "vault_record_day_idx" ON "vault_record"("day");
