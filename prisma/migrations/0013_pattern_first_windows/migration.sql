-- AlterTable
ALTER TABLE "error_patterns" ADD COLUMN     "namespace_first_windows" JSONB NOT NULL DEFAULT '{}';

-- Patterns counted before this migration: per namespace, the first UTC day counted there, else
-- (counted before daily counts existed) the pattern's first occurrence anywhere. Either is before
-- every window counted from now on, so that no pattern of the stored history is taken for a new one.
UPDATE "error_patterns" AS e
SET "namespace_first_windows" = (
  SELECT COALESCE(jsonb_object_agg(n.namespace, floor(extract(epoch FROM COALESCE(d.first_day, e.first_seen)) * 1000)::bigint), '{}'::jsonb)
  FROM unnest(e.namespaces) AS n(namespace)
  LEFT JOIN LATERAL (
    SELECT min(c.day)::timestamp AT TIME ZONE 'UTC' AS first_day
    FROM "pattern_daily_counts" AS c
    WHERE c.pattern_hash = e.pattern_hash AND c.namespace = n.namespace
  ) AS d ON true
);
