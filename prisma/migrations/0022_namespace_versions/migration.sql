-- Release impact: a peak window's errors by application version, and each namespace's versions
-- (first and last error seen, errors) for the deploy markers and the findings. Windows enriched
-- before have no errors by version (null); the timeline fills as windows are counted.
-- AlterTable
ALTER TABLE "peak_investigation" ADD COLUMN     "errors_by_version" JSONB;

-- CreateTable
CREATE TABLE "namespace_versions" (
    "namespace" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "errors" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "namespace_versions_pkey" PRIMARY KEY ("namespace","version")
);

-- CreateIndex
CREATE INDEX "namespace_versions_namespace_first_seen_idx" ON "namespace_versions"("namespace", "first_seen");

