-- AlterTable
ALTER TABLE "edit" ADD COLUMN     "clusterId" TEXT;

-- CreateTable
CREATE TABLE "cluster" (
    "id" TEXT NOT NULL,
    "rev" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "mergedInto" TEXT,
    "wikis" TEXT[],
    "memberCount" INTEGER NOT NULL,
    "editCount" INTEGER NOT NULL,
    "heat" DOUBLE PRECISION NOT NULL,
    "peakHeat" DOUBLE PRECISION NOT NULL,
    "firstSeen" TIMESTAMPTZ(3) NOT NULL,
    "lastSeen" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "reasons" JSONB NOT NULL,
    "detail" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cluster_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "cluster_status_heat_idx" ON "cluster"("status", "heat");

-- CreateIndex
CREATE INDEX "cluster_lastSeen_idx" ON "cluster"("lastSeen");

-- CreateIndex
CREATE INDEX "edit_clusterId_idx" ON "edit"("clusterId");
