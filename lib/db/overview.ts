import { assertRole, type Actor } from "@/lib/roles";
import type { OpenDataGap } from "@/lib/completeness/data-gaps";
import { judgeFreshness, type NamespaceFreshness, type NewestWindows } from "@/lib/completeness/freshness";
import type { WindowGrid } from "@/lib/pipeline/time";
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
  /** The last run, with what the runs page needs to tell a success that waited for data from a plain one. */
  lastRun: {
    id: number;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
    rangeFrom: string;
    rangeTo: string;
    coveredTo: string | null;
    findings: unknown;
  } | null;
  hasData: boolean;
  /** End of the last completed window: where every namespace's data should reach. */
  completedUntil: string;
  /** Every namespace with stored windows: its newest window and newest window with errors, and whether it is behind. */
  freshness: NamespaceFreshness[];
  /** Data-gap episodes open now (a stale source, silent namespaces), oldest first. */
  openDataGaps: OpenDataGap[];
};

/** What the overview needs to judge freshness: the window grid and pipeline.stale_after_minutes. */
export type OverviewContext = { grid: WindowGrid; staleAfterMinutes: number };

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

/**
 * Every namespace with stored windows and the starts of its newest window and of its newest
 * window with errors: two backward probes of the (namespace, timestamp) index per namespace.
 */
async function findNewestWindows(prisma: PrismaClient): Promise<NewestWindows[]> {
  const rows = await readRows<{ namespace: string; latest: number | null; last_error: number | null }>(
    prisma,
    `SELECT n.namespace,
            (SELECT (extract(epoch FROM w.timestamp) * 1000)::float8 FROM peak_raw_data w
              WHERE w.namespace = n.namespace ORDER BY w.timestamp DESC LIMIT 1) AS latest,
            (SELECT (extract(epoch FROM w.timestamp) * 1000)::float8 FROM peak_raw_data w
              WHERE w.namespace = n.namespace AND w.error_count > 0 ORDER BY w.timestamp DESC LIMIT 1) AS last_error
       FROM (${distinctNamespacesQuery("peak_raw_data")}) n
      ORDER BY n.namespace`,
  );
  return rows.map((row) => ({ namespace: row.namespace, latestStart: row.latest, lastErrorStart: row.last_error }));
}

type OpenDataGapRow = { id: number; kind: string; subject: string; data_until: Date | null; detail: string; opened_at: Date; last_seen_at: Date };

/** Data-gap episodes still open, oldest first (a handful of rows at most). */
async function findOpenDataGapRows(prisma: PrismaClient): Promise<OpenDataGap[]> {
  const rows = await readRows<OpenDataGapRow>(
    prisma,
    `SELECT id, kind, subject, data_until, detail, opened_at, last_seen_at FROM data_gaps WHERE closed_at IS NULL ORDER BY opened_at, id`,
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind === "silent" ? "silent" : "stale",
    subject: row.subject,
    dataUntil: row.data_until?.toISOString() ?? null,
    detail: row.detail,
    openedAt: row.opened_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
  }));
}

type RecentPeakRow = PeakHeadlineRow & { ratio: number };
type LastRunRow = {
  id: number;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
  range_from: Date;
  range_to: Date;
  covered_to: Date | null;
  findings: unknown;
};

/**
 * Everything the overview page needs, in one round of queries (viewers and above). The table
 * counts are reused for up to a minute (see tablesCountedAt); everything else is read fresh.
 */
export async function readOverview(prisma: PrismaClient, actor: Actor | null, context: OverviewContext, now: Date = new Date()): Promise<Overview> {
  assertRole(actor, "viewer");
  const tableCount = countTables(prisma, now.getTime());
  const [tables, newest, openDataGaps, openPeaks, recentPeaks, [lastRun]] = await Promise.all([
    tableCount.value,
    findNewestWindows(prisma),
    findOpenDataGapRows(prisma),
    readRows<{ severity: string; open: number }>(
      prisma,
      `SELECT severity::text AS severity, count(*)::int AS open FROM peak_investigation WHERE status = 'open' GROUP BY severity`,
    ),
    readRows<RecentPeakRow>(
      prisma,
      `SELECT id, timestamp, namespace, severity::text AS severity, status::text AS status, error_count, ratio
         FROM peak_investigation ORDER BY timestamp DESC LIMIT 10`,
    ),
    readRows<LastRunRow>(
      prisma,
      `SELECT id, status::text AS status, started_at, finished_at, error, range_from, range_to, covered_to, findings
         FROM pipeline_runs ORDER BY started_at DESC LIMIT 1`,
    ),
  ]);
  const completedEndMs = context.grid.windowStartOf(now.getTime());
  const freshness = judgeFreshness(newest, { completedEndMs, windowMs: context.grid.windowMs, staleAfterMs: context.staleAfterMinutes * 60_000 });
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
    namespaceCount: freshness.length,
    openPeaksBySeverity,
    recentPeaks: recentPeaks.map((peak) => ({ ...peakHeadline(peak), ratio: peak.ratio })),
    lastRun: lastRun
      ? {
          id: lastRun.id,
          status: lastRun.status,
          startedAt: lastRun.started_at.toISOString(),
          finishedAt: lastRun.finished_at?.toISOString() ?? null,
          error: lastRun.error,
          rangeFrom: lastRun.range_from.toISOString(),
          rangeTo: lastRun.range_to.toISOString(),
          coveredTo: lastRun.covered_to?.toISOString() ?? null,
          findings: lastRun.findings,
        }
      : null,
    hasData: freshness.length > 0,
    completedUntil: new Date(completedEndMs).toISOString(),
    freshness,
    openDataGaps,
  };
}
