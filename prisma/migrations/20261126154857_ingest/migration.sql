-- CreateTable
CREATE TABLE "edit" (
    "id" BIGSERIAL NOT NULL,
    "wiki" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "rcId" BIGINT,
    "revId" BIGINT,
    "oldRevId" BIGINT,
    "type" TEXT NOT NULL,
    "namespace" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "actorKind" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "epoch" TEXT NOT NULL,
    "ipKey" TEXT,
    "ipFamily" INTEGER,
    "range16" TEXT,
    "range24" TEXT,
    "range32" TEXT,
    "range48" TEXT,
    "range64" TEXT,
    "extraRanges" JSONB,
    "vaultId" UUID,
    "uaKey" TEXT,
    "isAnon" BOOLEAN NOT NULL,
    "isTemp" BOOLEAN NOT NULL,
    "isBot" BOOLEAN NOT NULL,
    "isMinor" BOOLEAN NOT NULL,
    "isNew" BOOLEAN NOT NULL,
    "isPatrolled" BOOLEAN,
    "comment" TEXT,
    "sizeOld" INTEGER,
    "sizeNew" INTEGER,
    "sizeDelta" INTEGER,
    "tags" TEXT[],
    "logType" TEXT,
    "logAction" TEXT,
    "logParams" JSONB,
    "serverUrl" TEXT,
    "country" TEXT,
    "oresDamaging" DOUBLE PRECISION,
    "oresGoodfaith" DOUBLE PRECISION,
    "mentions" JSONB,
    "ingestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "edit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feed_state" (
    "feed" TEXT NOT NULL,
    "cursor" TEXT,
    "eventsTotal" BIGINT NOT NULL DEFAULT 0,
    "deadTotal" BIGINT NOT NULL DEFAULT 0,
    "lastEventAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feed_state_pkey" PRIMARY KEY ("feed")
);

-- CreateTable
CREATE TABLE "dead_letter" (
    "id" BIGSERIAL NOT NULL,
    "feed" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "edit_ts_idx" ON "edit"("ts");

-- CreateIndex
CREATE INDEX "edit_wiki_ts_idx" ON "edit"("wiki", "ts");

-- CreateIndex
CREATE INDEX "edit_ipKey_ts_idx" ON "edit"("ipKey", "ts");

-- CreateIndex
CREATE INDEX "edit_range24_ts_idx" ON "edit"("range24", "ts");

-- CreateIndex
CREATE INDEX "edit_range64_ts_idx" ON "edit"("range64", "ts");

-- CreateIndex
CREATE INDEX "edit_actorName_ts_idx" ON "edit"("actorName", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "edit_wiki_sourceId_key" ON "edit"("wiki", "sourceId");

-- CreateIndex
CREATE INDEX "dead_letter_feed_createdAt_idx" ON "dead_letter"("feed", "createdAt");
