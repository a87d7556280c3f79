import { gapsBetween, type CoverageGap } from "@/lib/pipeline/coverage";
import type { TimeRange } from "@/lib/pipeline/log-document";
import type { WindowGrid } from "@/lib/pipeline/time";
import { readRows, type PrismaClient } from "./client";

/**
 * The gaps of a range: for every namespace the database knows (or only one), the runs of
 * windows with no stored count. A stored window is a count a source covered, zero included, so
 * a missing one is time nobody read.
 */
export async function findGaps(prisma: PrismaClient, grid: WindowGrid, range: TimeRange, namespace?: string): Promise<CoverageGap[]> {
  const rows = await readRows<{ namespace: string; starts: number[] | null }>(
    prisma,
    `SELECT n.namespace,
            (SELECT json_agg((extract(epoch FROM w.timestamp) * 1000)::float8 ORDER BY w.timestamp)
               FROM peak_raw_data w
              WHERE w.namespace = n.namespace AND w.timestamp >= $1 AND w.timestamp < $2) AS starts
       FROM (SELECT namespace FROM aggregation_data UNION SELECT DISTINCT namespace FROM peak_raw_data) n
      WHERE $3::text IS NULL OR n.namespace = $3
      ORDER BY n.namespace`,
    [new Date(range.fromMs), new Date(range.toMs), namespace ?? null],
  );
  return rows.flatMap((row) => gapsBetween(row.namespace, row.starts ?? [], range, grid));
}
