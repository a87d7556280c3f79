import { assertRole, type Actor } from "@/lib/auth/roles";
import { readRows, type PrismaClient } from "./client";
import { createReusedRead } from "./reused-read";
import { distinctNamespacesQuery, peakHeadline, type PeakHeadline, type PeakHeadlineRow } from "./sql";
import { readTableStats, type TableStats } from "./stats";

/** How long the overview reuses its table counts: counting the largest tables takes 0.1 s of database time. */
export const TABLE_STATS_MAX_AGE_MS = 60_000;

const severities = ["critical", "high", "medium", "low"] as const;

/** What the overview page shows; JSON-safe (times are ISO strings). */
export type Overview = {
  tables: { table: string; rows: number; from: string | null; to: string | null }[];
  /** When the table counts were taken (at most TABLE_STATS_MAX_AGE_MS before the answer). */
  tablesCountedAt: string;
  namespaceCount: number;
  openPeaksBySeverity: Record<(typeof severities)[number], number>;
  recentPeaks: (PeakHeadline & { ratio: number })[];
  lastRun: { id: number; status: string; startedAt: string; finishedAt: string | null; error: string | null } | null;
  hasData: boolean;
};

type TableCount = { countedAtMs: number; value: Promise<TableStats[]> };

/** The latest table count per database client. */
const reuseTableCount = createReusedRead<TableCount>();

function countTables(prisma: PrismaClient, nowMs: number): TableCount {
  return reuseTableCount(
    prisma,
    (count) => nowMs - count.countedAtMs < TABLE_STATS_MAX_AGE_MS && nowMs >= count.countedAtMs,
    () => ({ countedAtMs: nowMs, value: readTableStats(prisma) }),
  );
}

/** How many namespaces have stored windows. */
async function countNamespaces(prisma: PrismaClient): Promise<number> {
  const [row] = await readRows<{ count: number }>(prisma, `SELECT count(*)::int AS count FROM (${distinctNamespacesQuery("peak_raw_data")}) names`);
  return row?.count ?? 0;
}

type RecentPeakRow = PeakHeadlineRow & { ratio: number };
type LastRunRow = { id: number; status: string; started_at: Date; finished_at: Date | null; error: string | null };

/**
 * Everything the overview page needs, in one round of queries (viewers and above). The table
 * counts are reused for up to a minute (see tablesCountedAt); everything else is read fresh.
 */
export async function readOverview(prisma: PrismaClient, actor: Actor | null, now: Date = new Date()): Promise<Overview> {
  assertRole(actor, "viewer");
  const tableCount = countTables(prisma, now.getTime());
  const [tables, namespaces, openPeaks, recentPeaks, [lastRun]] = await Promise.all([
    tableCount.value,
    countNamespaces(prisma),
    readRows<{ severity: string; open: number }>(prisma, `SELECT severity::text AS severity, count(*)::int AS open FROM peak_investigation WHERE status = 'open' GROUP BY severity`),
    readRows<RecentPeakRow>(
      prisma,
      `SELECT id, timestamp, namespace, severity::text AS severity, status::text AS status, error_count, ratio
         FROM peak_investigation ORDER BY timestamp DESC LIMIT 10`,
    ),
    readRows<LastRunRow>(prisma, `SELECT id, status::text AS status, started_at, finished_at, error FROM pipeline_runs ORDER BY started_at DESC LIMIT 1`),
  ]);
  const openPeaksBySeverity = Object.fromEntries(severities.map((severity) => [severity, 0])) as Overview["openPeaksBySeverity"];
  for (const group of openPeaks) {
    if ((severities as readonly string[]).includes(group.severity)) openPeaksBySeverity[group.severity as (typeof severities)[number]] = group.open;
  }
  return {
    tables: tables.map((row) => ({
      table: row.table,
      rows: row.rows,
      from: row.from?.toISOString() ?? null,
      to: row.to?.toISOString() ?? null,
    })),
    tablesCountedAt: new Date(tableCount.countedAtMs).toISOString(),
    namespaceCount: namespaces,
    openPeaksBySeverity,
    recentPeaks: recentPeaks.map((peak) => ({ ...peakHeadline(peak), ratio: peak.ratio })),
    lastRun: lastRun
      ? {
          id: lastRun.id,
          status: lastRun.status,
          startedAt: lastRun.started_at.toISOString(),
          finishedAt: lastRun.finished_at?.toISOString() ?? null,
          error: lastRun.error,
        }
      : null,
    hasData: namespaces > 0,
  };
}
