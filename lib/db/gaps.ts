import { sql } from "kysely";
import { gapsBetween, type CoverageGap } from "@/lib/pipeline/coverage";
import type { TimeRange } from "@/lib/pipeline/log-document";
import type { WindowGrid } from "@/lib/pipeline/time";
import type { Db } from "./client";
import { epochMilliseconds } from "./sql";

/**
 * The gaps of a range: for every namespace the database knows (or only one), the runs of
 * windows with no stored count. A stored window is a count a source covered, zero included, so
 * a missing one is time nobody read.
 */
export async function findGaps(db: Db, grid: WindowGrid, range: TimeRange, namespace?: string): Promise<CoverageGap[]> {
  const known = db.kysely.selectFrom("aggregation_data").select("namespace").union(db.kysely.selectFrom("peak_raw_data").select("namespace").distinct());
  const rows = await db.kysely
    .selectFrom(known.as("n"))
    .select((outer) => [
      "n.namespace",
      outer
        .selectFrom("peak_raw_data as w")
        .select((inner) => sql<number[] | null>`json_agg(${epochMilliseconds(inner.ref("w.timestamp"))} ORDER BY ${inner.ref("w.timestamp")})`.as("starts"))
        .whereRef("w.namespace", "=", "n.namespace")
        .where("w.timestamp", ">=", new Date(range.fromMs))
        .where("w.timestamp", "<", new Date(range.toMs))
        .as("starts"),
    ])
    .$if(namespace !== undefined, (query) => query.where("n.namespace", "=", namespace ?? ""))
    .orderBy("n.namespace")
    .execute();
  return rows.flatMap((row) => gapsBetween(row.namespace, row.starts ?? [], range, grid));
}
