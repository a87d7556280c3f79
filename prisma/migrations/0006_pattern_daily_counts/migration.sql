-- Per-day counts start with the windows counted after this migration: error_patterns' earlier
-- totals carry no day, so trends of older patterns begin here.

-- CreateTable
CREATE TABLE "pattern_daily_counts" (
    "pattern_hash" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "namespace" TEXT NOT NULL,
    "occurrences" INTEGER NOT NULL,

    CONSTRAINT "pattern_daily_counts_pkey" PRIMARY KEY ("pattern_hash","day","namespace")
);

-- CreateIndex
CREATE INDEX "pattern_daily_counts_day_idx" ON "pattern_daily_counts"("day", "pattern_hash", "namespace", "occurrences");

-- AddForeignKey
ALTER TABLE "pattern_daily_counts" ADD CONSTRAINT "pattern_daily_counts_pattern_hash_fkey" FOREIGN KEY ("pattern_hash") REFERENCES "error_patterns"("pattern_hash") ON DELETE CASCADE ON UPDATE CASCADE;

-- The pattern ids a peak's investigation lists (top patterns and root causes of top_patterns,
-- see StoredInvestigation in lib/jobs/enrich.ts); lax paths give nothing for a damaged part.
-- Indexed, so that a pattern's peaks are found without reading every peak's top_patterns (Prisma
-- cannot express either; lib/db/patterns.ts queries through the same expression).
CREATE FUNCTION "peak_pattern_ids"("investigation" JSONB) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT jsonb_array_elements_text(
    jsonb_path_query_array("investigation", '$.patterns[*].patternId') || jsonb_path_query_array("investigation", '$.rootCauses[*].patternId')))
$$;
CREATE INDEX "peak_investigation_pattern_ids_idx" ON "peak_investigation" USING GIN ("peak_pattern_ids"("top_patterns"));
