-- AlterTable
ALTER TABLE "edit" ADD COLUMN     "netAnon" TEXT,
ADD COLUMN     "netAsn" INTEGER,
ADD COLUMN     "netCountry" TEXT,
ADD COLUMN     "netOrg" TEXT,
ADD COLUMN     "netType" TEXT;
