-- AlterTable
ALTER TABLE "aggregation_data" ADD COLUMN     "retired_m2" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "retired_mean" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "retired_samples" INTEGER NOT NULL DEFAULT 0;

-- Backfill: a slot whose stats hold more samples than peak_raw_data still stores windows of it
-- lost those windows to retention before this migration. Their stats are the slot's stats less
-- those of the stored windows (the parallel Welford combination solved for one side), so that a
-- recalculation keeps them. A slot with no more samples than stored windows has retired nothing.
UPDATE "aggregation_data" a
   SET "retired_samples" = r.samples,
       "retired_mean" = r.mean,
       "retired_m2" = GREATEST(0, a.m2 - r.live_m2 - (r.live_mean - r.mean) ^ 2 * r.samples * r.live_samples / a.samples)
  FROM (
    SELECT s.id,
           s.samples - coalesce(l.samples, 0) AS samples,
           (s.samples * s.mean - coalesce(l.samples * l.mean, 0)) / (s.samples - coalesce(l.samples, 0)) AS mean,
           coalesce(l.samples, 0) AS live_samples,
           coalesce(l.mean, 0) AS live_mean,
           coalesce(l.m2, 0) AS live_m2
      FROM "aggregation_data" s
      LEFT JOIN (
        SELECT namespace, day_of_week, hour_of_day, quarter_hour,
               count(*)::int AS samples,
               avg(coalesce(baseline_value, error_count)) AS mean,
               var_pop(coalesce(baseline_value, error_count)) * count(*) AS m2
          FROM "peak_raw_data"
         GROUP BY namespace, day_of_week, hour_of_day, quarter_hour
      ) l USING (namespace, day_of_week, hour_of_day, quarter_hour)
     WHERE s.samples > coalesce(l.samples, 0)
  ) r
 WHERE a.id = r.id;
