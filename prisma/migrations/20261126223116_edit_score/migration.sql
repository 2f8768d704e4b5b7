-- AlterTable
ALTER TABLE "edit" ADD COLUMN     "score" DOUBLE PRECISION,
ADD COLUMN     "scoreFactors" JSONB;
