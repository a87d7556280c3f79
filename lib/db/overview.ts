import { assertRole, type Actor } from "@/lib/auth/roles";
import type { PrismaClient } from "./client";
import { readTableStats } from "./stats";

const severities = ["critical", "high", "medium", "low"] as const;

/** What the overview page shows; JSON-safe (times are ISO strings). */
export type Overview = {
  tables: { table: string; rows: number; from: string | null; to: string | null }[];
  namespaceCount: number;
  openPeaksBySeverity: Record<(typeof severities)[number], number>;
  recentPeaks: {
    id: number;
    timestamp: string;
    namespace: string;
    severity: string;
    status: string;
    errorCount: number;
    ratio: number;
  }[];
  lastRun: { id: number; status: string; startedAt: string; finishedAt: string | null; error: string | null } | null;
  hasData: boolean;
};

/**
 * Namespaces with stored windows, by skipping from one namespace to the next through the
 * (namespace, timestamp) index: a handful of index probes per namespace, not a read of every
 * window (Prisma's `distinct` fetches all rows and de-duplicates them in memory).
 */
async function countNamespaces(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ count: number }[]>(
    `WITH RECURSIVE names AS (
       (SELECT namespace FROM peak_raw_data ORDER BY namespace LIMIT 1)
       UNION ALL
       SELECT (SELECT w.namespace FROM peak_raw_data w WHERE w.namespace > names.namespace ORDER BY w.namespace LIMIT 1)
         FROM names WHERE names.namespace IS NOT NULL
     )
     SELECT count(namespace)::int AS count FROM names`,
  );
  return row?.count ?? 0;
}

/** Everything the overview page needs, in one round of queries (viewers and above). */
export async function readOverview(prisma: PrismaClient, actor: Actor | null): Promise<Overview> {
  assertRole(actor, "viewer");
  const [tables, namespaces, openPeaks, recentPeaks, lastRun] = await Promise.all([
    readTableStats(prisma),
    countNamespaces(prisma),
    prisma.peakInvestigation.groupBy({ by: ["severity"], where: { status: "open" }, _count: { _all: true } }),
    prisma.peakInvestigation.findMany({
      orderBy: { timestamp: "desc" },
      take: 10,
      select: { id: true, timestamp: true, namespace: true, severity: true, status: true, errorCount: true, ratio: true },
    }),
    prisma.pipelineRun.findFirst({
      orderBy: { startedAt: "desc" },
      select: { id: true, status: true, startedAt: true, finishedAt: true, error: true },
    }),
  ]);
  const openPeaksBySeverity = Object.fromEntries(severities.map((severity) => [severity, 0])) as Overview["openPeaksBySeverity"];
  for (const group of openPeaks) openPeaksBySeverity[group.severity] = group._count._all;
  return {
    tables: tables.map((row) => ({
      table: row.table,
      rows: row.rows,
      from: row.from?.toISOString() ?? null,
      to: row.to?.toISOString() ?? null,
    })),
    namespaceCount: namespaces,
    openPeaksBySeverity,
    recentPeaks: recentPeaks.map((peak) => ({ ...peak, timestamp: peak.timestamp.toISOString() })),
    lastRun: lastRun
      ? {
          ...lastRun,
          startedAt: lastRun.startedAt.toISOString(),
          finishedAt: lastRun.finishedAt?.toISOString() ?? null,
        }
      : null,
    hasData: tables.some((row) => row.table === "peak_raw_data" && row.rows > 0),
  };
}
