-- Problems group peak windows by their root cause's pattern: the id becomes a column of its own,
-- with the index a problem's windows are read by.
ALTER TABLE "peak_investigation" ADD COLUMN     "root_cause_pattern_id" TEXT;

-- The windows investigated before: the first root cause by trace, else (a window without any
-- trace) its most frequent pattern, as enrichment writes it from now on and as known issues match.
-- Ids are those stored with the investigation; a value that is not the expected JSON gives null.
-- Only when there is a window to fill: the recorded tables' statement trigger (migration 0017)
-- counts even an UPDATE of no row as a write, and a new database has written nothing.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM "peak_investigation" WHERE "enriched_at" IS NOT NULL AND jsonb_typeof("top_patterns") = 'object') THEN
    UPDATE "peak_investigation"
       SET "root_cause_pattern_id" = COALESCE("top_patterns" -> 'rootCauses' -> 0 ->> 'patternId', "top_patterns" -> 'patterns' -> 0 ->> 'patternId')
     WHERE "enriched_at" IS NOT NULL AND jsonb_typeof("top_patterns") = 'object';
  END IF;
END
$$;

-- CreateIndex
CREATE INDEX "peak_investigation_root_cause_pattern_id_timestamp_idx" ON "peak_investigation"("root_cause_pattern_id", "timestamp");
