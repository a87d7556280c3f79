import { sql } from "kysely";
import type { Db } from "./client";

/** The tables `stats` reports, each with the column that dates its rows. */
export const datedTables = [
  { table: "peak_raw_data", column: "timestamp" },
  { table: "aggregation_data", column: "updated_at" },
  { table: "peak_investigation", column: "timestamp" },
  { table: "known_issues", column: "created_at" },
  { table: "known_peaks", column: "resolved_at" },
  { table: "error_patterns", column: "last_seen" },
  { table: "pattern_daily_counts", column: "day" },
  { table: "pipeline_runs", column: "started_at" },
  { table: "users", column: "created_at" },
  { table: "threshold_settings", column: "created_at" },
  { table: "notification_deliveries", column: "created_at" },
  { table: "audit_log", column: "created_at" },
] as const;

export type TableStats = { table: string; rows: number; from: Date | null; to: Date | null };

/** Row count and date range of every table (the seed's check_db_data). */
export async function readTableStats(db: Db): Promise<TableStats[]> {
  // Table and column names come from the constant list above, never from input.
  const [first, ...rest] = datedTables.map(({ table, column }) =>
    db.kysely
      .selectFrom(table)
      .select([
        sql.lit(table).$castTo<string>().as("table"),
        sql<string>`count(*)::bigint`.as("rows"),
        sql<Date | null>`min(${sql.ref(column)})`.as("from"),
        sql<Date | null>`max(${sql.ref(column)})`.as("to"),
      ]),
  );
  const rows = await rest.reduce((union, query) => union.unionAll(query), first!).execute();
  const order = new Map<string, number>(datedTables.map(({ table }, index) => [table, index]));
  return rows
    .map((row) => ({ table: row.table, rows: Number(row.rows), from: row.from, to: row.to }))
    .sort((left, right) => (order.get(left.table) ?? 0) - (order.get(right.table) ?? 0));
}
