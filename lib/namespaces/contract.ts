import type { ChartPoint } from "@/lib/pipeline/chart-series";
import { z } from "zod";
import type { SeriesGap } from "@/lib/completeness/series-gaps";
import type { DeployMarker } from "@/lib/versions/contract";

// The namespaces' charts as the browser, the route handlers and the command line see them:
// inputs, answers and their limits; no server code.

/** Longest range one chart may cover. */
export const MAX_SERIES_DAYS = 92;
export const DEFAULT_SERIES_DAYS = 7;
export const DEFAULT_SERIES_POINTS = 480;
export const MAX_SERIES_POINTS = 2000;
/** Peaks listed with a chart, newest kept when there are more. */
export const MAX_SERIES_PEAKS = 1000;
/** Deploy markers drawn on a chart, newest kept when there are more. */
export const MAX_SERIES_DEPLOYS = 100;
/** Points of an overview sparkline (24 h). */
export const SPARKLINE_POINTS = 48;

const instantSchema = z.iso.datetime({ offset: true });

/** A namespace's name as a path or query gives it. */
export const namespaceNameSchema = z.string().trim().min(1).max(200);

export const namespaceSeriesSchema = z
  .object({
    namespace: namespaceNameSchema,
    /** Start of the range (inclusive); default: `to` minus 7 days. */
    from: instantSchema.optional(),
    /** End of the range (exclusive); default: now. */
    to: instantSchema.optional(),
    points: z.coerce.number().int().min(10).max(MAX_SERIES_POINTS).default(DEFAULT_SERIES_POINTS),
  })
  .refine((input) => !input.from || !input.to || Date.parse(input.from) < Date.parse(input.to), { message: "must be after from", path: ["to"] });
export type NamespaceSeriesInput = z.input<typeof namespaceSeriesSchema>;

export type SeriesPeak = {
  id: number;
  /** Window start (UTC ms). */
  start: number;
  severity: string;
  status: string;
  errorCount: number;
  knownIssueTitle: string | null;
  isRegression: boolean;
};

/** A namespace's chart. Times are UTC epoch milliseconds, the unit of the chart's time axis. */
export type NamespaceSeries = {
  namespace: string;
  from: number;
  to: number;
  /** Length of a window and of a point (a whole number of windows, each showing its busiest window). */
  windowMinutes: number;
  bucketMinutes: number;
  /** Threshold version the threshold line uses (null: values.yaml). */
  thresholdsVersion: number | null;
  points: ChartPoint[];
  /**
   * Runs of windows of the range that no source covered (not stored: never drawn as zero), at
   * window resolution whatever the points' bucket, up to the last window completed by now.
   */
  gaps: SeriesGap[];
  peaks: SeriesPeak[];
  /** True when the range held more than MAX_SERIES_PEAKS peaks and only the newest are listed. */
  peaksTruncated: boolean;
  /** Start of the namespace's newest stored window, to offer when the range is empty. */
  latestWindow: number | null;
  /** Start of the namespace's oldest stored window: a range starting before it shows where the data starts. */
  firstWindow: number | null;
  totals: { errors: number; windows: number; peaks: number };
  /** New normals accepted from a window of the range (taken-back ones too), chronological: markers on the chart. */
  newNormals: { id: number; from: number; levelOffset: number; acceptedBy: string; acceptedAt: string; revertedAt: string | null }[];
  /**
   * Deploy markers: each application version first seen in the range (its first error read,
   * source.fields.version), chronological; at most MAX_SERIES_DEPLOYS, the newest.
   */
  deploys: DeployMarker[];
  /** True when the range held more versions than MAX_SERIES_DEPLOYS. */
  deploysTruncated: boolean;
};

/** A sparkline's point: the chart's point without its threshold (a sparkline draws none). */
export type SparklinePoint = Pick<ChartPoint, "start" | "count" | "mean" | "low" | "high">;

/**
 * A namespace's last 24 hours against its baseline, its lines as columns: point i starts at
 * `start` + i × `bucketMs` (UTC ms). Columns rather than one object per point: a page of 25
 * sparklines is a fifth of the JSON, and the overview page carries it twice (HTML and data).
 */
export type NamespaceSparkline = {
  start: number;
  bucketMs: number;
  count: (number | null)[];
  mean: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
  /** Errors of the windows stored in the last 24 hours, how many are stored, and the baseline's expectation for them (null without history). */
  errors: number;
  windows: number;
  expected: number | null;
};

/** The columns of points that start bucketMs apart from `start`; throws when they do not (a series is never drawn with holes). */
export function sparklineColumns(
  points: readonly SparklinePoint[],
  start: number,
  bucketMs: number,
): Pick<NamespaceSparkline, "start" | "bucketMs" | "count" | "mean" | "low" | "high"> {
  points.forEach((point, index) => {
    if (point.start !== start + index * bucketMs) throw new Error(`sparkline point ${index} starts at ${point.start}, not ${start + index * bucketMs}`);
  });
  return {
    start,
    bucketMs,
    count: points.map((point) => point.count),
    mean: points.map((point) => point.mean),
    low: points.map((point) => point.low),
    high: points.map((point) => point.high),
  };
}

/** The points of a sparkline's columns, as the chart draws them. */
export function sparklinePoints(sparkline: Pick<NamespaceSparkline, "start" | "bucketMs" | "count" | "mean" | "low" | "high">): SparklinePoint[] {
  return sparkline.count.map((count, index) => ({
    start: sparkline.start + index * sparkline.bucketMs,
    count,
    mean: sparkline.mean[index] ?? null,
    low: sparkline.low[index] ?? null,
    high: sparkline.high[index] ?? null,
  }));
}

/**
 * A namespace's newest stored window against its threshold. The threshold is the count from which
 * that window is a peak by every check but the same-day one, as the namespace's chart draws it
 * (lib/pipeline/chart-series.ts, peakThreshold): the slot's current baseline (pooled while young,
 * the namespace's recent level while too young to pool), the thresholds in force, the 24-hour
 * average of the stored windows before it and the namespace's spread over all of its slots.
 */
export type CurrentWindow = {
  namespace: string;
  /** Start of the newest stored window, ISO; null when none is stored. */
  windowStart: string | null;
  /** Its end, ISO: where the namespace's data stops. */
  windowEnd: string | null;
  /** Errors of that window. */
  errorCount: number | null;
  /** Rounded up to a whole count; null when the namespace is too young to judge. */
  threshold: number | null;
  /** The slot's baseline mean, to hundredths; null without history. */
  baselineMean: number | null;
  /** errorCount reaches the threshold. */
  isAbove: boolean;
  /** The window is the last completed one; otherwise its data stops at windowStart + window ("no data since"). */
  isCurrent: boolean;
};

/** Why a namespace is listed before the others: its last completed window is above threshold, it has an ongoing incident, its data stopped further back than a source may be. */
export const attentionReasons = ["above", "incident", "stale"] as const;
export type AttentionReason = (typeof attentionReasons)[number];

/**
 * Orders of the namespace list. attention: above threshold now, then with an ongoing incident,
 * then stale, then the rest, each by deviation (highest first) and name; deviation: errors of the
 * last completed window ÷ its threshold, highest first (namespaces without one last); name: A to Z.
 */
export const namespaceSorts = ["attention", "deviation", "name"] as const;
export type NamespaceSort = (typeof namespaceSorts)[number];

/** Rows of one page when the request does not say, and the most one page may hold. */
export const DEFAULT_NAMESPACE_PAGE_SIZE = 50;
export const MAX_NAMESPACE_PAGE_SIZE = 200;
/** The furthest offset a request may ask for: far beyond any platform's namespaces, small enough to bound the work. */
const MAX_NAMESPACE_OFFSET = 100_000;

export const namespaceListSchema = z.object({
  /** Part of the name, any case; empty lists every namespace. */
  q: z.string().trim().max(200).default(""),
  sort: z.enum(namespaceSorts).default("attention"),
  offset: z.coerce.number().int().min(0).max(MAX_NAMESPACE_OFFSET).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_NAMESPACE_PAGE_SIZE).default(DEFAULT_NAMESPACE_PAGE_SIZE),
});
export type NamespaceListInput = z.input<typeof namespaceListSchema>;

/** A namespace as the lists show it: its newest window against its threshold, how fresh its data is, what is open in it and its last 24 hours. */
export type NamespaceRow = CurrentWindow & {
  /** End of the newest stored window with at least one error, ISO; null when none is stored. */
  lastErrorUntil: string | null;
  /** Its newest stored window ends further behind the last completed window than a source may be (pipeline.stale_after_minutes). */
  isBehind: boolean;
  /** Errors of the last completed window ÷ its threshold, to hundredths: 1 and above is a peak by every check but the same-day one; null when not current or too young. */
  deviation: number | null;
  openPeaks: number;
  /** Incidents without an end that are open, acknowledged or a known issue. */
  ongoingIncidents: number;
  /** Empty when nothing calls for a look. */
  attention: AttentionReason[];
  sparkline: NamespaceSparkline;
};

/** How many namespaces there are and how many call for attention, over all of them (not only the page). */
export type NamespaceCounts = {
  total: number;
  /** With a window in the last completed window: judged on it. */
  judged: number;
  above: number;
  withIncidents: number;
  stale: number;
  /** For any reason. */
  needingAttention: number;
};

/** One page of the namespace list. Times are UTC epoch milliseconds (the sparklines' axis) except where ISO is said. */
export type NamespaceList = {
  /** The sparklines' range: the 24 hours before the last completed window's end. */
  from: number;
  to: number;
  windowMinutes: number;
  bucketMinutes: number;
  /** When the answer was read, ISO: the "now" of ages. */
  readAt: string;
  counts: NamespaceCounts;
  /** Namespaces the search matches (all of them without one). */
  matching: number;
  q: string;
  sort: NamespaceSort;
  offset: number;
  limit: number;
  /** Offset of the next page; null on the last. */
  nextOffset: number | null;
  rows: NamespaceRow[];
};
