import type { ChartPoint } from "@/lib/pipeline/chart-series";
import { z } from "zod";
import type { SeriesGap } from "@/lib/completeness/series-gaps";

// The namespaces' charts as the browser, the route handlers and the command line see them:
// inputs, answers and their limits; no server code.

/** Longest range one chart may cover. */
export const MAX_SERIES_DAYS = 92;
export const DEFAULT_SERIES_DAYS = 7;
export const DEFAULT_SERIES_POINTS = 480;
export const MAX_SERIES_POINTS = 2000;
/** Peaks listed with a chart, newest kept when there are more. */
export const MAX_SERIES_PEAKS = 1000;
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
};

/** A sparkline's point: the chart's point without its threshold (a sparkline draws none). */
export type SparklinePoint = Pick<ChartPoint, "start" | "count" | "mean" | "low" | "high">;

export type NamespaceSparkline = {
  namespace: string;
  points: SparklinePoint[];
  /** Errors of the windows stored in the last 24 hours, how many are stored, and the baseline's expectation for them (null without history). */
  errors: number;
  windows: number;
  expected: number | null;
  openPeaks: number;
};

export type NamespaceSparklines = { from: number; to: number; windowMinutes: number; bucketMinutes: number; namespaces: NamespaceSparkline[] };
