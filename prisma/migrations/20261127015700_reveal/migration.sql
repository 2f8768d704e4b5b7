-- CreateTable
CREATE TABLE "reveal_holder" (
    "userId" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "grantWiki" TEXT,
    "grantedAt" TIMESTAMPTZ(3),
    "grantedById" UUID,
    "agreementVersion" TEXT,
    "agreementSignedOn" DATE,
    "agreementRecordedAt" TIMESTAMPTZ(3),
    "agreementRecordedById" UUID,
    "acknowledgedVersion" TEXT,
    "acknowledgedAt" TIMESTAMPTZ(3),
    "suspended" BOOLEAN NOT NULL DEFAULT false,
    "suspendedAt" TIMESTAMPTZ(3),
    "suspendedById" UUID,
    "suspendNote" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reveal_holder_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "reveal" (
    "id" UUID NOT NULL,
    "holderId" UUID NOT NULL,
    "holderName" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetKey" TEXT NOT NULL,
    "targetLabel" TEXT NOT NULL,
    "wikis" TEXT[],
    "reasonCategory" TEXT NOT NULL,
    "reasonText" TEXT NOT NULL,
    "caseRef" TEXT,
    "requestId" UUID,
    "ipCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewOutcome" TEXT,
    "reviewNote" TEXT,
    "reviewedById" UUID,
    "reviewedByName" TEXT,
    "reviewedAt" TIMESTAMPTZ(3),

    CONSTRAINT "reveal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reveal_request" (
    "id" UUID NOT NULL,
    "requesterId" UUID NOT NULL,
    "requesterName" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetKey" TEXT NOT NULL,
    "targetLabel" TEXT NOT NULL,
    "reasonCategory" TEXT NOT NULL,
    "reasonText" TEXT NOT NULL,
    "caseRef" TEXT,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedById" UUID,
    "decidedByName" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "decisionNote" TEXT,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "reveal_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reveal_holderId_createdAt_idx" ON "reveal"("holderId", "createdAt");

-- CreateIndex
CREATE INDEX "reveal_createdAt_idx" ON "reveal"("createdAt");

-- CreateIndex
CREATE INDEX "reveal_request_status_expiresAt_idx" ON "reveal_request"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "reveal_request_requesterId_createdAt_idx" ON "reveal_request"("requesterId", "createdAt");
