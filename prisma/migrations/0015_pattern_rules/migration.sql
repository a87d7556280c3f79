-- Analysts' merges and splits of patterns. Rows keep the counts they were counted under;
-- error_patterns.merged_into (null for every existing pattern) says where a row shows.

-- CreateEnum
CREATE TYPE "PatternRuleKind" AS ENUM ('merge', 'split');

-- AlterTable
ALTER TABLE "error_patterns" ADD COLUMN     "merged_into" TEXT;

-- CreateTable
CREATE TABLE "pattern_rules" (
    "id" SERIAL NOT NULL,
    "kind" "PatternRuleKind" NOT NULL,
    "target_hash" TEXT NOT NULL,
    "member_hashes" TEXT[],
    "child_hash" TEXT,
    "child_template" TEXT,
    "parent_template" TEXT,
    "wildcard_index" INTEGER,
    "wildcard_value" TEXT,
    "regex" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_by" TEXT,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "pattern_rules_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pattern_rules_target_hash_idx" ON "pattern_rules"("target_hash");

-- CreateIndex
CREATE INDEX "error_patterns_merged_into_idx" ON "error_patterns"("merged_into");

