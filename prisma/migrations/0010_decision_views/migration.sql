-- AlterTable
ALTER TABLE "peak_investigation" ADD COLUMN     "baseline_source" TEXT,
ADD COLUMN     "dispersion" DOUBLE PRECISION,
ADD COLUMN     "same_day_ratio" DOUBLE PRECISION,
ADD COLUMN     "spread_threshold" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "baseline_acceptances" (
    "id" SERIAL NOT NULL,
    "namespace" TEXT NOT NULL,
    "from_timestamp" TIMESTAMPTZ(3) NOT NULL,
    "level_offset" DOUBLE PRECISION NOT NULL,
    "windows" INTEGER NOT NULL,
    "slot_shifts" JSONB NOT NULL,
    "previous_values" JSONB NOT NULL,
    "peak_id" INTEGER,
    "comment" TEXT,
    "accepted_by" TEXT NOT NULL,
    "accepted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reverted_by" TEXT,
    "reverted_at" TIMESTAMPTZ(3),

    CONSTRAINT "baseline_acceptances_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "baseline_acceptances_namespace_from_timestamp_idx" ON "baseline_acceptances"("namespace", "from_timestamp");

