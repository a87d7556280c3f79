import { sql } from "kysely";
import type { Db } from "./client";

/**
 * The table of the transactions that wrote the dashboard's source tables (schema.prisma,
 * DataVersion): not data, so backups leave it out; the triggers write it again as a restore
 * inserts the rows.
 */
export const DATA_VERSIONS_TABLE = "data_versions";

/** The tables whose writes are recorded (the triggers of migrations 0017 and 0019). */
export type VersionedTable =
  | "aggregation_data"
  | "error_patterns"
  | "incidents"
  | "pattern_daily_counts"
  | "pattern_windows"
  | "peak_investigation"
  | "peak_raw_data"
  | "threshold_settings";

/** How long a write stays recorded: far longer than any request takes to read what it reuses. */
export const DATA_VERSION_KEEP_MS = 3_600_000;

/**
 * What was written to some tables, as one text: per table the number of writing transactions
 * recorded and the newest one's id. It changes when a transaction that wrote one of them commits,
 * even one that began before the newest recorded (its row adds to the count), and when old rows
 * are dropped (a needless recomputation, never a stale one). One index range per table.
 */
export async function readDataVersions(db: Db, tables: readonly VersionedTable[]): Promise<string> {
  return versionsText(await readTableVersions(db, tables), tables);
}

/** The versions of some tables read at once, for several versioned reads of one request (each of some of them). */
export type TableVersions = { tables: ReadonlySet<VersionedTable>; byTable: ReadonlyMap<string, string> };

/** What readDataVersions reads, per table, to hand to versioned reads of any of `tables` (one query for all of them). */
export async function readTableVersions(db: Db, tables: readonly VersionedTable[]): Promise<TableVersions> {
  const rows = await db.kysely
    .selectFrom("data_versions")
    .select(["table_name", sql<string>`count(*)::text`.as("writes"), sql<string>`max(id)::text`.as("newest")])
    .where((eb) => sql<boolean>`${eb.ref("table_name")} = ANY(${[...tables]}::text[])`)
    .groupBy("table_name")
    .execute();
  return { tables: new Set(tables), byTable: new Map(rows.map((row) => [row.table_name, `${row.table_name}:${row.writes}:${row.newest}`])) };
}

/** The text of `tables`' versions, by table name; a table never written has none. */
function versionsText(versions: TableVersions, tables: readonly VersionedTable[]): string {
  return [...tables]
    .sort()
    .flatMap((table) => versions.byTable.get(table) ?? [])
    .join(",");
}

/** Results a versioned read keeps per database unless told otherwise: a few pages asked for in turn (the overview's, the list's first, a search) all stay. */
export const VERSIONED_READ_KEEP = 8;

/**
 * One read computed from `tables` alone (and what `key` names), kept per database and reused
 * while none of those tables was written: a request then costs one read of their versions. Up
 * to `keep` keys are kept, the least recently asked for dropped first, so that requests for
 * different keys in turn do not push each other's results out; a result read under older
 * versions is dropped as soon as newer ones are seen (it can never be reused).
 */
export function createVersionedRead<Value>(
  tables: readonly VersionedTable[],
  keep: number = VERSIONED_READ_KEEP,
): (db: Db, key: string, read: () => Promise<Value>, versionsRead?: TableVersions) => Promise<Value> {
  type Kept = { versions: string; value: Promise<Value> };
  // Per database (its client, db.prisma, is the key); a Map iterates in insertion order, oldest first.
  const keptOf = new WeakMap<object, Map<string, Kept>>();
  return async (db, key, read, versionsRead) => {
    // Versions the request read already, when they cover these tables: one query fewer.
    const versions =
      versionsRead && tables.every((table) => versionsRead.tables.has(table)) ? versionsText(versionsRead, tables) : await readDataVersions(db, tables);
    let kept = keptOf.get(db.prisma);
    if (!kept) keptOf.set(db.prisma, (kept = new Map()));
    const entries = kept;
    const found = entries.get(key);
    entries.delete(key);
    if (found && found.versions === versions) {
      entries.set(key, found);
      return found.value;
    }
    for (const [otherKey, other] of entries) if (other.versions !== versions) entries.delete(otherKey);
    const fresh: Kept = { versions, value: read() };
    entries.set(key, fresh);
    for (const oldest of entries.keys()) {
      if (entries.size <= keep) break;
      entries.delete(oldest);
    }
    // A failed read is forgotten: the next request reads again.
    fresh.value.catch(() => {
      if (entries.get(key) === fresh) entries.delete(key);
    });
    return fresh.value;
  };
}
