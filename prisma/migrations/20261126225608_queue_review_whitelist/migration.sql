-- CreateTable
CREATE TABLE "edit_review" (
    "editId" BIGINT NOT NULL,
    "wiki" TEXT NOT NULL,
    "reviewerId" UUID NOT NULL,
    "reviewerName" TEXT NOT NULL,
    "reviewedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "edit_review_pkey" PRIMARY KEY ("editId")
);

-- CreateTable
CREATE TABLE "whitelist_entry" (
    "id" UUID NOT NULL,
    "wiki" TEXT NOT NULL,
    "actorKind" TEXT NOT NULL,
    "actorKey" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "addedById" UUID NOT NULL,
    "addedByName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "whitelist_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "edit_hide" (
    "userId" UUID NOT NULL,
    "editId" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "edit_hide_pkey" PRIMARY KEY ("userId","editId")
);

-- CreateIndex
CREATE INDEX "edit_review_reviewedAt_idx" ON "edit_review"("reviewedAt");

-- CreateIndex
CREATE UNIQUE INDEX "whitelist_entry_wiki_actorKey_key" ON "whitelist_entry"("wiki", "actorKey");

-- CreateIndex
CREATE INDEX "edit_hide_editId_idx" ON "edit_hide"("editId");

-- AddForeignKey
ALTER TABLE "edit_review" ADD CONSTRAINT "edit_review_editId_fkey" FOREIGN KEY ("editId") REFERENCES "edit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "edit_hide" ADD CONSTRAINT "edit_hide_editId_fkey" FOREIGN KEY ("editId") REFERENCES "edit"("id") ON DELETE CASCADE ON UPDATE CASCADE;
