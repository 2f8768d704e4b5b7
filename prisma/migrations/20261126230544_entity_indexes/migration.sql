-- DropIndex
DROP INDEX "edit_clusterId_idx";

-- CreateIndex
CREATE INDEX "edit_range16_ts_idx" ON "edit"("range16", "ts");

-- CreateIndex
CREATE INDEX "edit_range32_ts_idx" ON "edit"("range32", "ts");

-- CreateIndex
CREATE INDEX "edit_range48_ts_idx" ON "edit"("range48", "ts");

-- CreateIndex
CREATE INDEX "edit_clusterId_ts_idx" ON "edit"("clusterId", "ts");
