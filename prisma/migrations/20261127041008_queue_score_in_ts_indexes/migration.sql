-- DropIndex
DROP INDEX "edit_ts_id_idx";

-- DropIndex
DROP INDEX "edit_wiki_ts_id_idx";

-- CreateIndex
CREATE INDEX "edit_ts_id_score_idx" ON "edit"("ts", "id", "score");

-- CreateIndex
CREATE INDEX "edit_wiki_ts_id_score_idx" ON "edit"("wiki", "ts", "id", "score");
