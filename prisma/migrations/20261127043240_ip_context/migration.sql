-- AlterTable
ALTER TABLE "edit" ADD COLUMN     "netAnon" TEXT,
ADD COLUMN     "netAsn" INTEGER,
ADD COLUMN     "netCountry" TEXT,
ADD COLUMN     "netOrg" TEXT,
ADD COLUMN     "netType" TEXT;

-- CreateIndex
CREATE INDEX "edit_netCountry_ts_id_idx" ON "edit"("netCountry", "ts", "id") WHERE ("netCountry" IS NOT NULL);

-- CreateIndex
CREATE INDEX "edit_hosting_ts_id_idx" ON "edit"("ts", "id") WHERE ("netType" = 'hosting');
