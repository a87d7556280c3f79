-- AlterTable
ALTER TABLE "peak_investigation" ADD COLUMN     "ai_error" TEXT,
ADD COLUMN     "ai_model" TEXT,
ADD COLUMN     "ai_next_steps" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "pipeline_runs" ADD COLUMN     "advances_watermark" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "is_analysis_skipped" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "source" TEXT;

-- CreateTable
CREATE TABLE "pipeline_locks" (
    "name" TEXT NOT NULL,
    "run_id" INTEGER,
    "holder" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "acquired_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pipeline_locks_pkey" PRIMARY KEY ("name")
);

