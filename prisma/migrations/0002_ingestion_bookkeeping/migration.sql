-- AlterTable
ALTER TABLE "peak_raw_data" ADD COLUMN     "baseline_value" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "ingested_days" (
    "day" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "documents" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "files" TEXT[],
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingested_days_pkey" PRIMARY KEY ("day")
);

