import { sql } from "kysely";
import type { Db } from "./client";
import { createReusedRead } from "./reused-read";

/**
 * The table of the transactions that wrote the dashboard's source tables (schema.prisma,
 * DataVersion): not data, so backups leave it out; the triggers write it again as a restore
 * inserts the rows.
 */
export const DATA_VERSIONS_TABLE = "data_versions";

/** The tables whose writes are recorded (migration 0017's triggers). */
export type VersionedTable = "aggregation_data" | "incidents" | "peak_investigation" | "peak_raw_data" | "threshold_settings";

/** How long a write stays recorded: far longer than any request takes to read what it reuses. */
export const DATA_VERSION_KEEP_MS = 3_600_000;

/**
 * What was written to some tables, as one text: per table the number of writing transactions
 * recorded and the newest one's id. It changes when a transaction that wrote one of them commits,
 * even one that began before the newest recorded (its row adds to the count), and when old rows
 * are dropped (a needless recomputation, never a stale one). One index range per table.
 */
export async function readDataVersions(db: Db, tables: readonly VersionedTable[]): Promise<string> {
  const rows = await db.kysely
    .selectFrom("data_versions")
    .select(["table_name", sql<string>`count(*)::text`.as("writes"), sql<string>`max(id)::text`.as("newest")])
    .where((eb) => sql<boolean>`${eb.ref("table_name")} = ANY(${[...tables]}::text[])`)
    .groupBy("table_name")
    .orderBy("table_name")
    .execute();
  return rows.map((row) => `${row.table_name}:${row.writes}:${row.newest}`).join(",");
}

/**
 * One read computed from `tables` alone (and what `key` names), kept per database and reused
 * while none of those tables was written: a request then costs one read of their versions.
 */
export function createVersionedRead<Value>(tables: readonly VersionedTable[]): (db: Db, key: string, read: () => Promise<Value>) => Promise<Value> {
  const reuse = createReusedRead<{ key: string; value: Promise<Value> }>();
  return async (db, key, read) => {
    const keyed = `${key}|${await readDataVersions(db, tables)}`;
    return reuse(
      db.prisma,
      (kept) => kept.key === keyed,
      () => ({ key: keyed, value: read() }),
    ).value;
  };
}
