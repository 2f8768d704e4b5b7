-- DropIndex
DROP INDEX "edit_ts_idx";

-- DropIndex
DROP INDEX "edit_wiki_ts_idx";

-- CreateIndex
CREATE INDEX "edit_ts_id_idx" ON "edit"("ts", "id");

-- CreateIndex
CREATE INDEX "edit_wiki_ts_id_idx" ON "edit"("wiki", "ts", "id");
