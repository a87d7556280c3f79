import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { DATA_VERSION_KEEP_MS, DATA_VERSIONS_TABLE } from "@/lib/db/data-versions";
import { countExpiredRows, deleteExpiredRows, deleteExpiredWindows, WINDOWS, type RetainedTable } from "@/lib/db/maintenance";

const DAY_MS = 86_400_000;

type RetentionKey = keyof FrozenConfig["retention_days"];

/** Each retention key of values.yaml, the tables it governs and the column that dates their rows. */
const RETAINED: readonly { key: RetentionKey; tables: readonly RetainedTable[] }[] = [
  // Deleted windows stay in their baseline slots (retired stats), so recalculating a baseline
  // from the stored windows keeps what the deleted ones taught it.
  // Coverage only says which stored windows may be filled with measured zeros: it goes with them.
  { key: "peak_raw_data", tables: [WINDOWS, { table: "source_coverage", column: "to_time" }] },
  // pattern_windows remembers which windows were counted into error_patterns; it lives as long
  // as the patterns, so that a window is never counted twice while its counts are kept. The
  // daily counts of a pattern go with it (cascade), and days older than the retention go too.
  // A namespace's versions are counted with the same windows: a version not seen since goes.
  {
    key: "error_patterns",
    tables: [
      { table: "error_patterns", column: "last_seen" },
      { table: "pattern_windows", column: "window_start" },
      { table: "pattern_daily_counts", column: "day" },
      { table: "namespace_versions", column: "last_seen" },
    ],
  },
  { key: "aggregation_data", tables: [{ table: "aggregation_data", column: "updated_at" }] },
  // An incident goes with its last window: by then all its windows are gone.
  {
    key: "peak_investigation",
    tables: [
      { table: "peak_investigation", column: "timestamp" },
      { table: "incidents", column: "last_window_at" },
    ],
  },
  { key: "known_peaks", tables: [{ table: "known_peaks", column: "resolved_at" }] },
  { key: "pipeline_runs", tables: [{ table: "pipeline_runs", column: "started_at" }] },
  { key: "notification_deliveries", tables: [{ table: "notification_deliveries", column: "created_at" }] },
  { key: "audit_log", tables: [{ table: "audit_log", column: "created_at" }] },
];

/** Deletes a table's expired rows; the windows also retire into their baseline slots. */
function deleteExpired(db: Db, table: RetainedTable, cutoff: Date, batchSize: number): Promise<{ deleted: number; batches: number }> {
  return table === WINDOWS ? deleteExpiredWindows(db.prisma, cutoff, batchSize) : deleteExpiredRows(db.prisma, table, cutoff, batchSize);
}

/** Failed sign-ins only matter within the rate-limit window; a day is ample. */
const LOGIN_FAILURES: RetainedTable = { table: "login_failures", column: "failed_at" };
/** The writes the dashboard's reuse is keyed by only matter while a request reads (lib/db/data-versions.ts). */
const DATA_VERSIONS: RetainedTable = { table: DATA_VERSIONS_TABLE, column: "written_at" };

export type RetentionResult = {
  table: string;
  /** Days kept; null: kept forever (nothing deleted). */
  retentionDays: number | null;
  cutoff: string | null;
  /** Rows deleted, or that would be deleted in a dry run. */
  deleted: number;
  batches: number;
};

export type MaintenanceReport = { isDryRun: boolean; tables: RetentionResult[]; deleted: number };

/**
 * The seed's maintenance step: deletes rows older than their retention in values.yaml
 * (retention_days), in batches; baselines, peaks and known peaks are kept by default, and the
 * baselines keep the history of the windows deleted.
 */
export async function runMaintenance(db: Db, config: FrozenConfig, options: { now: Date; isDryRun?: boolean }): Promise<MaintenanceReport> {
  const isDryRun = options.isDryRun ?? false;
  const batchSize = config.pipeline.maintenance_batch_size;
  const plan = [
    ...RETAINED.flatMap(({ key, tables }) => tables.map((table) => ({ table, days: config.retention_days[key] }))),
    { table: LOGIN_FAILURES, days: 1 },
    { table: DATA_VERSIONS, days: DATA_VERSION_KEEP_MS / DAY_MS },
  ];
  const results: RetentionResult[] = [];
  for (const { table, days } of plan) {
    if (days === null) {
      results.push({ table: table.table, retentionDays: null, cutoff: null, deleted: 0, batches: 0 });
      continue;
    }
    const cutoff = new Date(options.now.getTime() - days * DAY_MS);
    const outcome = isDryRun ? { deleted: await countExpiredRows(db.prisma, table, cutoff), batches: 0 } : await deleteExpired(db, table, cutoff, batchSize);
    results.push({ table: table.table, retentionDays: days, cutoff: cutoff.toISOString(), ...outcome });
  }
  return { isDryRun, tables: results, deleted: results.reduce((sum, result) => sum + result.deleted, 0) };
}
