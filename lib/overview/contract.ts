import type { OpenDataGap } from "@/lib/completeness/data-gaps";
import type { NamespaceFreshness } from "@/lib/completeness/freshness";

// The overview as the browser and the route handler see it; no server code.

export const severities = ["critical", "high", "medium", "low"] as const;
export type OverviewSeverity = (typeof severities)[number];

/** A listed peak's headline (camelCase, ISO time) with its ratio to the baseline. */
export type RecentPeak = { id: number; timestamp: string; namespace: string; severity: string; status: string; errorCount: number; ratio: number };

/** What the overview page shows; JSON-safe (times are ISO strings). */
export type Overview = {
  tables: { table: string; rows: number; from: string | null; to: string | null }[];
  /** When the table counts were taken (at most a minute before the answer). */
  tablesCountedAt: string;
  namespaceCount: number;
  openPeaksBySeverity: Record<OverviewSeverity, number>;
  recentPeaks: RecentPeak[];
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
