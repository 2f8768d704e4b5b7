-- CreateEnum
CREATE TYPE "RoleSource" AS ENUM ('grant', 'wiki');

-- AlterTable
ALTER TABLE "role_assignment" ADD COLUMN     "source" "RoleSource" NOT NULL DEFAULT 'grant';

-- AlterTable
ALTER TABLE "user_account" ADD COLUMN     "groupsCheckedAt" TIMESTAMPTZ(3),
ADD COLUMN     "oauthIssuer" TEXT,
ADD COLUMN     "oauthSub" TEXT,
ADD COLUMN     "wikiUsername" TEXT;

-- CreateIndex
CREATE INDEX "user_account_groupsCheckedAt_idx" ON "user_account"("groupsCheckedAt");

-- CreateIndex
CREATE UNIQUE INDEX "user_account_oauthIssuer_oauthSub_key" ON "user_account"("oauthIssuer", "oauthSub");
