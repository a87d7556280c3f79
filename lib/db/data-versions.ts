import { sql } from "kysely";
import type { Db } from "./client";
import { createReusedRead } from "./reused-read";

/**
 * The table of write counts per table (schema.prisma, DataVersion): not data, so backups leave it
 * out; the triggers write it again as a restore inserts the rows.
 */
export const DATA_VERSIONS_TABLE = "data_versions";

/** The tables whose writes are counted (migration 0017's triggers). */
export type VersionedTable = "aggregation_data" | "incidents" | "peak_investigation" | "peak_raw_data" | "threshold_settings";

/**
 * The write counts of some tables as one text: it changes exactly when one of them was written
 * by a committed transaction (a table never written has no row yet). One primary-key read per table.
 */
export async function readDataVersions(db: Db, tables: readonly VersionedTable[]): Promise<string> {
  const rows = await db.kysely
    .selectFrom("data_versions")
    .select(["table_name", sql<string>`generation::text`.as("generation"), sql<string>`version::text`.as("version")])
    .where((eb) => sql<boolean>`${eb.ref("table_name")} = ANY(${[...tables]}::text[])`)
    .orderBy("table_name")
    .execute();
  return rows.map((row) => `${row.table_name}:${row.generation}:${row.version}`).join(",");
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
