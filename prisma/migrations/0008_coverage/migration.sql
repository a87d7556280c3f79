-- AlterTable
ALTER TABLE "pipeline_runs" ADD COLUMN "covered_to" TIMESTAMPTZ(3),
ADD COLUMN "findings" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "window_corrections" (
    "id" BIGSERIAL NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "namespace" TEXT NOT NULL,
    "previous_count" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "was_peak" BOOLEAN NOT NULL,
    "is_peak" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "peak_id" INTEGER,
    "corrected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "window_corrections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source_coverage" (
    "id" BIGSERIAL NOT NULL,
    "from_time" TIMESTAMPTZ(3) NOT NULL,
    "to_time" TIMESTAMPTZ(3) NOT NULL,
    "namespace" TEXT,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_coverage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "data_gaps" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "data_until" TIMESTAMPTZ(3),
    "detail" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "data_gaps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "window_corrections_namespace_timestamp_idx" ON "window_corrections"("namespace", "timestamp");

-- CreateIndex
CREATE INDEX "window_corrections_corrected_at_idx" ON "window_corrections"("corrected_at" DESC);

-- CreateIndex
CREATE INDEX "source_coverage_from_time_to_time_idx" ON "source_coverage"("from_time", "to_time");

-- CreateIndex
CREATE INDEX "data_gaps_kind_subject_closed_at_idx" ON "data_gaps"("kind", "subject", "closed_at");

-- AlterTable
ALTER TABLE "ingested_days" ADD COLUMN "gap_windows" INTEGER NOT NULL DEFAULT 0;
