import type { OpenDataGap } from "@/lib/completeness/data-gaps";
import type { CrossNamespaceEventSummary } from "@/lib/events/contract";
import type { IncidentSummary } from "@/lib/incidents/contract";
import type { NamespaceCounts } from "@/lib/namespaces/contract";

// The overview as the browser and the route handler see it; no server code.

export const severities = ["critical", "high", "medium", "low"] as const;
export type OverviewSeverity = (typeof severities)[number];

/** The most incidents each list of the overview carries; the incidents page has the rest. */
export const MAX_ON_FIRE = 50;
export const MAX_LAST_DAY_INCIDENTS = 20;

/**
 * An incident as the overview's tables show it: its summary (lib/incidents/contract.ts) without
 * what only the incidents' pages show (counts, resolution, the lead window's details), which
 * were half of the overview's answer.
 */
export type OverviewIncident = Pick<
  IncidentSummary,
  "id" | "namespace" | "start" | "end" | "ongoing" | "status" | "owner" | "snooze" | "reopenCount" | "severity" | "knownIssue" | "regressionOf"
> & {
  lead: Pick<IncidentSummary["lead"], "rootCause">;
  latest: Pick<IncidentSummary["latest"], "timestamp" | "errorCount" | "requiredCount">;
};

/** Open incidents (status open or acknowledged) by their worst window's severity; acknowledged ones counted apart too. */
export type OpenIncidentCounts = Record<OverviewSeverity, { total: number; acknowledged: number }>;

/** What the overview page shows; JSON-safe (times are ISO strings). */
export type Overview = {
  tables: { table: string; rows: number; from: string | null; to: string | null }[];
  /** When the table counts were taken (at most a minute before the answer). */
  tablesCountedAt: string;
  /** How many namespaces there are and how many call for attention (above threshold now, an ongoing incident, stale). */
  namespaces: NamespaceCounts;
  openIncidents: OpenIncidentCounts;
  /**
   * Ongoing incidents (no end yet) that are not resolved or false positives: snoozed ones last,
   * then by severity (worst first), then by start (newest first); at most MAX_ON_FIRE.
   */
  onFire: OverviewIncident[];
  /** How many such incidents there are (onFire may hold fewer). */
  onFireTotal: number;
  /** When nothing is on fire: the end of the incident that ended last, ISO; null when none ever ended. */
  quietSince: string | null;
  /** Incidents that started in the 24 hours before the request, any status, newest first; at most MAX_LAST_DAY_INCIDENTS. */
  lastDay: OverviewIncident[];
  /** Whether more incidents started in those 24 hours than lastDay holds. */
  lastDayHasMore: boolean;
  /** When the answer was read (the "now" of ages and of the 24 hours), ISO. */
  readAt: string;
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
  /** Data-gap episodes open now (a stale source, silent namespaces), oldest first. */
  openDataGaps: OpenDataGap[];
  /**
   * Problems that hit several namespaces at once in the 24 hours before the request (whole
   * windows): ongoing ones first, then the widest, then the most recent; at most MAX_OVERVIEW_EVENTS.
   */
  events: OverviewEvent[];
  /** How many such events there are (events may hold fewer). */
  eventsTotal: number;
};

/** The most events the overview lists (each names at most MAX_EVENT_NAMESPACES and MAX_EVENT_INCIDENTS, lib/events/contract.ts). */
export const MAX_OVERVIEW_EVENTS = 10;

/** One problem breaking out in several namespaces at once, as the overview's first card shows it. */
export type OverviewEvent = CrossNamespaceEventSummary;
