-- DropIndex
DROP INDEX "edit_clusterId_ts_idx";

-- DropIndex
DROP INDEX "edit_ipKey_ts_idx";

-- DropIndex
DROP INDEX "edit_range16_ts_idx";

-- DropIndex
DROP INDEX "edit_range24_ts_idx";

-- DropIndex
DROP INDEX "edit_range32_ts_idx";

-- DropIndex
DROP INDEX "edit_range48_ts_idx";

-- DropIndex
DROP INDEX "edit_range64_ts_idx";

-- CreateIndex
CREATE INDEX "edit_ipKey_ts_idx" ON "edit"("ipKey", "ts") WHERE ("ipKey" IS NOT NULL);

-- CreateIndex
CREATE INDEX "edit_range16_ts_idx" ON "edit"("range16", "ts") WHERE ("range16" IS NOT NULL);

-- CreateIndex
CREATE INDEX "edit_range24_ts_idx" ON "edit"("range24", "ts") WHERE ("range24" IS NOT NULL);

-- CreateIndex
CREATE INDEX "edit_range32_ts_idx" ON "edit"("range32", "ts") WHERE ("range32" IS NOT NULL);

-- CreateIndex
CREATE INDEX "edit_range48_ts_idx" ON "edit"("range48", "ts") WHERE ("range48" IS NOT NULL);

-- CreateIndex
CREATE INDEX "edit_range64_ts_idx" ON "edit"("range64", "ts") WHERE ("range64" IS NOT NULL);

-- CreateIndex
CREATE INDEX "edit_clusterId_ts_idx" ON "edit"("clusterId", "ts") WHERE ("clusterId" IS NOT NULL);
