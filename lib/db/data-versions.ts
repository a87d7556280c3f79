import { sql } from "kysely";
import type { Db } from "./client";

/**
 * The table of write counts per table (schema.prisma, DataVersion): not data, so backups leave it
 * out; the triggers write it again as a restore inserts the rows.
 */
export const DATA_VERSIONS_TABLE = "data_versions";

/** The tables whose writes are counted (migration 0017's triggers). */
export type VersionedTable = "aggregation_data" | "peak_raw_data" | "threshold_settings";

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
