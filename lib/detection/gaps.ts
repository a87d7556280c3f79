import type { Db } from "@/lib/db/client";
import { findStoredWindowStarts } from "@/lib/db/gaps";
import { gapsBetween, type CoverageGap } from "@/lib/pipeline/coverage";
import type { TimeRange } from "@/lib/pipeline/log-document";
import type { WindowGrid } from "@/lib/pipeline/time";

/**
 * The gaps of a range: for every namespace the database knows (or only one), the runs of
 * windows with no stored count. A stored window is a count a source covered, zero included, so
 * a missing one is time nobody read.
 */
export async function findGaps(db: Db, grid: WindowGrid, range: TimeRange, namespace?: string): Promise<CoverageGap[]> {
  const rows = await findStoredWindowStarts(db, range, namespace);
  return rows.flatMap((row) => gapsBetween(row.namespace, row.starts ?? [], range, grid));
}
