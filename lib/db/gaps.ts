import { sql } from "kysely";
import type { Db } from "./client";
import { epochMilliseconds } from "./sql";

/**
 * The starts (UTC ms, ascending) of the stored windows in [fromMs, toMs) of every namespace the
 * database knows (or only one), a namespace without any window included with `starts` null.
 */
export async function findStoredWindowStarts(
  db: Db,
  range: { fromMs: number; toMs: number },
  namespace?: string,
): Promise<{ namespace: string; starts: number[] | null }[]> {
  const known = db.kysely.selectFrom("aggregation_data").select("namespace").union(db.kysely.selectFrom("peak_raw_data").select("namespace").distinct());
  return db.kysely
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
}
