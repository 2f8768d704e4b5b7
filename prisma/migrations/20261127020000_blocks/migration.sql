-- AlterTable
ALTER TABLE "edit" ADD COLUMN     "evasionBlockId" UUID;

-- CreateTable
CREATE TABLE "block" (
    "id" UUID NOT NULL,
    "wiki" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetLabel" TEXT NOT NULL,
    "targetKey" TEXT NOT NULL,
    "epoch" TEXT,
    "family" INTEGER,
    "prefix" INTEGER,
    "anchorCt" BYTEA,
    "expiresAt" TIMESTAMPTZ(3),
    "reason" TEXT NOT NULL,
    "partialPages" TEXT[],
    "partialNamespaces" INTEGER[],
    "anonOnly" BOOLEAN NOT NULL DEFAULT false,
    "noCreate" BOOLEAN NOT NULL DEFAULT true,
    "autoblock" BOOLEAN NOT NULL DEFAULT true,
    "origin" TEXT NOT NULL DEFAULT 'local',
    "remoteId" INTEGER,
    "massId" UUID,
    "createdById" UUID,
    "createdByName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "endReason" TEXT,
    "endedByName" TEXT,
    "syncStatus" TEXT NOT NULL DEFAULT 'none',
    "syncAttempts" INTEGER NOT NULL DEFAULT 0,
    "syncError" TEXT,
    "syncedAt" TIMESTAMPTZ(3),

    CONSTRAINT "block_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "block_endedAt_expiresAt_idx" ON "block"("endedAt", "expiresAt");

-- CreateIndex
CREATE INDEX "block_targetKey_idx" ON "block"("targetKey");

-- CreateIndex
CREATE INDEX "block_massId_idx" ON "block"("massId");

-- CreateIndex
CREATE INDEX "edit_evasionBlockId_ts_idx" ON "edit"("evasionBlockId", "ts") WHERE ("evasionBlockId" IS NOT NULL);
