import { judgeFreshness } from "@/lib/completeness/freshness";
import type { Db } from "@/lib/db/client";
import { countOpenPeaksBySeverity, findLastRun, findNewestWindows, findOpenDataGapRows, findRecentPeaks } from "@/lib/db/overview";
import { createReusedRead } from "@/lib/db/reused-read";
import { readTableStats, type TableStats } from "@/lib/db/stats";
import type { WindowGrid } from "@/lib/pipeline/time";
import { assertRole, type Actor } from "@/lib/roles";
import { severities, type Overview, type OverviewSeverity } from "./contract";

/** How long the overview reuses its table counts: counting the largest tables takes 0.1 s of database time. */
export const TABLE_STATS_MAX_AGE_MS = 60_000;

/** What the overview needs to judge freshness: the window grid and pipeline.stale_after_minutes. */
export type OverviewContext = { grid: WindowGrid; staleAfterMinutes: number };

type TableCount = { countedAtMs: number; value: Promise<TableStats[]> };

/** The latest table count per database. */
const reuseTableCount = createReusedRead<TableCount>();

function countTables(db: Db, nowMs: number): TableCount {
  return reuseTableCount(
    db.prisma,
    (count) => nowMs - count.countedAtMs < TABLE_STATS_MAX_AGE_MS && nowMs >= count.countedAtMs,
    () => ({ countedAtMs: nowMs, value: readTableStats(db) }),
  );
}

/**
 * Everything the overview page needs, in one round of queries (viewers and above). The table
 * counts are reused for up to a minute (see tablesCountedAt); everything else is read fresh.
 */
export async function readOverview(db: Db, actor: Actor | null, context: OverviewContext, now: Date = new Date()): Promise<Overview> {
  assertRole(actor, "viewer");
  const tableCount = countTables(db, now.getTime());
  const [tables, newest, openDataGaps, openPeaks, recentPeaks, lastRun] = await Promise.all([
    tableCount.value,
    findNewestWindows(db),
    findOpenDataGapRows(db),
    countOpenPeaksBySeverity(db),
    findRecentPeaks(db, 10),
    findLastRun(db),
  ]);
  const completedEndMs = context.grid.windowStartOf(now.getTime());
  const freshness = judgeFreshness(newest, { completedEndMs, windowMs: context.grid.windowMs, staleAfterMs: context.staleAfterMinutes * 60_000 });
  const openPeaksBySeverity = Object.fromEntries(severities.map((severity) => [severity, 0])) as Overview["openPeaksBySeverity"];
  for (const group of openPeaks) {
    if ((severities as readonly string[]).includes(group.severity)) openPeaksBySeverity[group.severity as OverviewSeverity] = group.open;
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
    recentPeaks: recentPeaks.map((peak) => ({ ...peak, timestamp: peak.timestamp.toISOString() })),
    lastRun: lastRun
      ? {
          ...lastRun,
          startedAt: lastRun.startedAt.toISOString(),
          finishedAt: lastRun.finishedAt?.toISOString() ?? null,
          rangeFrom: lastRun.rangeFrom.toISOString(),
          rangeTo: lastRun.rangeTo.toISOString(),
          coveredTo: lastRun.coveredTo?.toISOString() ?? null,
        }
      : null,
    hasData: freshness.length > 0,
    completedUntil: new Date(completedEndMs).toISOString(),
    freshness,
    openDataGaps: openDataGaps.map((gap) => ({
      ...gap,
      kind: gap.kind === "silent" ? "silent" : "stale",
      dataUntil: gap.dataUntil?.toISOString() ?? null,
      openedAt: gap.openedAt.toISOString(),
      lastSeenAt: gap.lastSeenAt.toISOString(),
    })),
  };
}
