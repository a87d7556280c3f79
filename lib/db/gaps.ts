import { sql, type SqlBool } from "kysely";
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

/** The start (UTC ms) of the oldest window stored for any namespace; null when none is. One index lookup. */
export async function findOldestStoredWindowStart(db: Db): Promise<number | null> {
  const row = await db.kysely
    .selectFrom("peak_raw_data")
    .select((eb) => epochMilliseconds(eb.ref("timestamp")).as("startMs"))
    .orderBy("timestamp")
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.startMs) : null;
}

/** How many windows of each namespace are stored in [fromMs, toMs); a namespace without any is absent. */
export async function countStoredWindows(db: Db, namespaces: readonly string[], range: { fromMs: number; toMs: number }): Promise<Map<string, number>> {
  if (namespaces.length === 0 || range.toMs <= range.fromMs) return new Map();
  const rows = await db.kysely
    .selectFrom("peak_raw_data")
    .select((eb) => ["namespace", eb.fn.countAll<string>().as("windows")])
    .where((eb) => sql<SqlBool>`${eb.ref("namespace")} = ANY(${[...namespaces]}::text[])`)
    .where("timestamp", ">=", new Date(range.fromMs))
    .where("timestamp", "<", new Date(range.toMs))
    .groupBy("namespace")
    .execute();
  return new Map(rows.map((row) => [row.namespace, Number(row.windows)]));
}
