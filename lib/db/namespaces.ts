import { z } from "zod";
import { assertRole, type Actor } from "@/lib/roles";
import { InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import type { SeriesGap } from "@/lib/completeness/series-gaps";
import { buildChartSeries, type ChartPoint } from "@/lib/pipeline/chart-series";
import { gapsBetween } from "@/lib/pipeline/coverage";
import { dispersionOf } from "@/lib/pipeline/count-model";
import type { BaselineTable } from "@/lib/pipeline/baseline";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import type { SlotKeys, WindowGrid } from "@/lib/pipeline/time";
import { readRows, type PrismaClient } from "./client";
import { createReusedRead } from "./reused-read";
import { distinctNamespacesQuery } from "./sql";
import { loadBaselineOfSlots, readThresholdsInForce } from "./detection-store";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Longest range one chart may cover. */
export const MAX_SERIES_DAYS = 92;
export const DEFAULT_SERIES_DAYS = 7;
export const DEFAULT_SERIES_POINTS = 480;
export const MAX_SERIES_POINTS = 2000;
/** Peaks listed with a chart, newest kept when there are more. */
export const MAX_SERIES_PEAKS = 1000;
/** Points of an overview sparkline (24 h). */
export const SPARKLINE_POINTS = 48;

/** What detection needs to draw its lines: the window grid and the values.yaml thresholds. */
export type SeriesContext = { grid: WindowGrid; defaults: PeakDetectionSettings };

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
  totals: { errors: number; windows: number; peaks: number };
  /** New normals accepted from a window of the range (taken-back ones too), chronological: markers on the chart. */
  newNormals: { id: number; from: number; levelOffset: number; acceptedBy: string; acceptedAt: string; revertedAt: string | null }[];
};

function parseRange(input: z.output<typeof namespaceSeriesSchema>, now: Date): { fromMs: number; toMs: number } {
  const toMs = input.to ? Date.parse(input.to) : now.getTime();
  const fromMs = input.from ? Date.parse(input.from) : toMs - DEFAULT_SERIES_DAYS * DAY_MS;
  if (toMs - fromMs > MAX_SERIES_DAYS * DAY_MS) {
    throw new InvalidInputError("The range is too long", [{ path: "from", message: `must be at most ${MAX_SERIES_DAYS} days before to` }]);
  }
  return { fromMs, toMs };
}

/**
 * Stored windows in [fromMs, toMs) per namespace (every namespace when null), chronological.
 * Each namespace comes as one row with its windows as a JSON array of [start in UTC ms, count]:
 * thousands of rows with a timestamp each cost far more to parse in Node than the query takes.
 */
async function findNamespaceWindows(
  prisma: PrismaClient,
  namespaces: readonly string[] | null,
  fromMs: number,
  toMs: number,
): Promise<Map<string, { start: number; count: number }[]>> {
  const rows = await readRows<{ namespace: string; windows: [number, number][] }>(
    prisma,
    `SELECT namespace, json_agg(json_build_array((extract(epoch FROM timestamp) * 1000)::bigint, error_count) ORDER BY timestamp) AS windows
       FROM peak_raw_data
      WHERE timestamp >= $1 AND timestamp < $2 AND ($3::text[] IS NULL OR namespace = ANY($3::text[]))
      GROUP BY namespace`,
    [new Date(fromMs), new Date(toMs), namespaces],
  );
  return new Map(rows.map((row) => [row.namespace, row.windows.map(([start, count]) => ({ start, count }))]));
}

type SeriesPeakRow = {
  id: number;
  start: number;
  severity: string;
  status: string;
  error_count: number;
  known_issue_title: string | null;
  is_regression: boolean;
  /** Peaks of the range before the limit. */
  total: number;
};

/** The distinct slots among many, in first-seen order. */
function uniqueSlots(slots: readonly SlotKeys[]): SlotKeys[] {
  const seen = new Map<string, SlotKeys>();
  for (const slot of slots) seen.set(`${slot.dayOfWeek}|${slot.hourOfDay}|${slot.quarterHour}`, slot);
  return [...seen.values()];
}

async function hasBaseline(prisma: PrismaClient, namespace: string): Promise<boolean> {
  return (await readRows(prisma, "SELECT 1 FROM aggregation_data WHERE namespace = $1 LIMIT 1", [namespace])).length > 0;
}

/**
 * Whether any window or baseline of the namespace is stored, which is what readNamespaceSeries
 * requires of it (viewers and above): at most two indexed lookups, for a page to answer 404 before it streams.
 */
export async function hasNamespace(prisma: PrismaClient, actor: Actor | null, namespace: string): Promise<boolean> {
  assertRole(actor, "viewer");
  const name = parseInput(namespaceNameSchema, namespace);
  const windows = await readRows(prisma, "SELECT 1 FROM peak_raw_data WHERE namespace = $1 LIMIT 1", [name]);
  return windows.length > 0 || hasBaseline(prisma, name);
}

/**
 * The gaps of a chart's range from its stored windows: windows of [fromMs, toMs) not stored,
 * counting only windows that had ended by `now` (a window still to come is no gap).
 */
function findSeriesGaps(namespace: string, stored: readonly { start: number }[], fromMs: number, toMs: number, grid: WindowGrid, now: Date): SeriesGap[] {
  const endMs = Math.min(toMs, grid.windowStartOf(now.getTime()));
  if (endMs <= fromMs) return [];
  const starts = stored.filter((window) => window.start >= fromMs && window.start < endMs).map((window) => window.start);
  return gapsBetween(namespace, starts, { fromMs, toMs: endMs }, grid).map((gap) => ({ from: gap.fromMs, to: gap.toMs, windows: gap.windows }));
}

/** One namespace's baseline-vs-actual chart over a range, downsampled on the server (viewers and above). */
export async function readNamespaceSeries(
  prisma: PrismaClient,
  actor: Actor | null,
  input: NamespaceSeriesInput,
  context: SeriesContext,
  now: Date = new Date(),
): Promise<NamespaceSeries> {
  assertRole(actor, "viewer");
  const parsed = namespaceSeriesSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidInputError(
      "The request is not valid",
      parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  const { namespace, points: maxPoints } = parsed.data;
  const { fromMs, toMs } = parseRange(parsed.data, now);
  const grid = context.grid;
  const slots = uniqueSlots(grid.windowsBetween(fromMs, toMs).map((start) => grid.slotOf(start)));
  const [windows, baseline, thresholds, latest, peakRows, dispersion, newNormals] = await Promise.all([
    findNamespaceWindows(prisma, [namespace], fromMs - DAY_MS, toMs),
    loadBaselineOfSlots(prisma, [namespace], slots, 60 / grid.windowMinutes),
    readThresholdsInForce(prisma, context.defaults),
    readRows<{ start: number }>(
      prisma,
      "SELECT (extract(epoch FROM timestamp) * 1000)::float8 AS start FROM peak_raw_data WHERE namespace = $1 ORDER BY timestamp DESC LIMIT 1",
      [namespace],
    ),
    readRows<SeriesPeakRow>(
      prisma,
      `SELECT p.id, (extract(epoch FROM p.timestamp) * 1000)::float8 AS start, p.severity::text AS severity, p.status::text AS status,
              p.error_count, k.title AS known_issue_title, p.known_peak_id IS NOT NULL AS is_regression, count(*) OVER ()::int AS total
         FROM peak_investigation p LEFT JOIN known_issues k ON k.id = p.known_issue_id
        WHERE p.namespace = $1 AND p.timestamp >= $2 AND p.timestamp < $3
        ORDER BY p.timestamp DESC LIMIT $4`,
      [namespace, new Date(fromMs), new Date(toMs), MAX_SERIES_PEAKS],
    ),
    readNamespaceDispersion(prisma, namespace),
    readRows<{ id: number; from: number; levelOffset: number; acceptedBy: string; acceptedAt: Date; revertedAt: Date | null }>(
      prisma,
      `SELECT id, (extract(epoch FROM from_timestamp) * 1000)::float8 AS "from", level_offset AS "levelOffset", accepted_by AS "acceptedBy",
              accepted_at AS "acceptedAt", reverted_at AS "revertedAt"
         FROM baseline_acceptances WHERE namespace = $1 AND from_timestamp >= $2 AND from_timestamp < $3 ORDER BY from_timestamp, id`,
      [namespace, new Date(fromMs), new Date(toMs)],
    ),
  ]);
  const latestWindow = latest[0]?.start ?? null;
  if (latestWindow === null && !(await hasBaseline(prisma, namespace))) throw new NotFoundError(`No namespace ${namespace} is stored`);
  const peakCount = peakRows[0]?.total ?? 0;
  const stored = windows.get(namespace) ?? [];
  const series = buildChartSeries({
    namespace,
    windows: stored,
    fromMs,
    toMs,
    baseline,
    grid: context.grid,
    settings: thresholds.settings,
    maxPoints,
    dispersion,
  });
  return {
    namespace,
    from: fromMs,
    to: toMs,
    windowMinutes: grid.windowMinutes,
    bucketMinutes: series.bucketMs / 60_000,
    thresholdsVersion: thresholds.version,
    points: series.points,
    gaps: findSeriesGaps(namespace, stored, fromMs, toMs, grid, now),
    peaks: peakRows.reverse().map((peak) => ({
      id: peak.id,
      start: peak.start,
      severity: peak.severity,
      status: peak.status,
      errorCount: peak.error_count,
      knownIssueTitle: peak.known_issue_title,
      isRegression: peak.is_regression,
    })),
    peaksTruncated: peakCount > peakRows.length,
    latestWindow,
    totals: { errors: series.errors, windows: series.windows, peaks: peakCount },
    newNormals: newNormals.map((entry) => ({ ...entry, acceptedAt: entry.acceptedAt.toISOString(), revertedAt: entry.revertedAt?.toISOString() ?? null })),
  };
}

/** The namespace's over-dispersion over all of its slots (the chart's baseline holds only the slots of its range). */
async function readNamespaceDispersion(prisma: PrismaClient, namespace: string): Promise<number> {
  return dispersionOf(
    await readRows<{ samples: number; mean: number; m2: number }>(prisma, "SELECT samples, mean, m2 FROM aggregation_data WHERE namespace = $1", [namespace]),
  );
}

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

/** Namespaces with a baseline. */
async function findBaselineNamespaces(prisma: PrismaClient): Promise<string[]> {
  const rows = await readRows<{ namespace: string }>(prisma, distinctNamespacesQuery("aggregation_data"));
  return rows.map((row) => row.namespace);
}

type DrawnSparkline = Omit<NamespaceSparkline, "openPeaks">;
type Drawing = { key: string; value: Promise<{ byNamespace: Map<string, DrawnSparkline>; bucketMinutes: number }> };

/** The latest drawing of the sparklines per database client, reused while what it was drawn from is unchanged. */
const reuseDrawing = createReusedRead<Drawing>();

/**
 * What the sparklines of [fromMs, toMs) are drawn from, in one cheap query: the windows of the
 * range and the day before (how many, and when the newest was stored: windows are only inserted
 * or deleted), the baseline (how many slots, and when one last changed) and the thresholds version.
 */
async function readDrawingStamp(prisma: PrismaClient, fromMs: number, toMs: number): Promise<string> {
  const [row] = await readRows<Record<string, unknown>>(
    prisma,
    `SELECT w.windows, w.stored, b.slots, b.changed, (SELECT max(id) FROM threshold_settings) AS thresholds
       FROM (SELECT count(*)::int AS windows, max(ingested_at) AS stored FROM peak_raw_data WHERE timestamp >= $1 AND timestamp < $2) w,
            (SELECT count(*)::int AS slots, max(updated_at) AS changed FROM aggregation_data) b`,
    [new Date(fromMs - DAY_MS), new Date(toMs)],
  );
  return JSON.stringify(row);
}

async function drawSparklines(
  prisma: PrismaClient,
  context: SeriesContext,
  fromMs: number,
  toMs: number,
): Promise<{ byNamespace: Map<string, DrawnSparkline>; bucketMinutes: number }> {
  const { grid } = context;
  const [windows, baselineNamespaces, thresholds] = await Promise.all([
    findNamespaceWindows(prisma, null, fromMs - DAY_MS, toMs),
    findBaselineNamespaces(prisma),
    readThresholdsInForce(prisma, context.defaults),
  ]);
  // A namespace that went quiet keeps its baseline: it is listed with no errors rather than left out.
  const namespaces = [...new Set([...baselineNamespaces, ...windows.keys()])];
  const slots = grid.windowsBetween(fromMs, toMs).map((start) => grid.slotOf(start));
  const baseline = await loadBaselineOfSlots(prisma, namespaces, slots, 60 / grid.windowMinutes);
  let bucketMinutes = grid.windowMinutes;
  const byNamespace = new Map<string, DrawnSparkline>();
  for (const namespace of namespaces) {
    const series = drawSparkline(namespace, windows.get(namespace) ?? [], baseline, thresholds.settings, context, fromMs, toMs);
    bucketMinutes = series.bucketMinutes;
    byNamespace.set(namespace, series.sparkline);
  }
  return { byNamespace, bucketMinutes };
}

function drawSparkline(
  namespace: string,
  windows: readonly { start: number; count: number }[],
  baseline: BaselineTable,
  settings: PeakDetectionSettings,
  context: SeriesContext,
  fromMs: number,
  toMs: number,
): { sparkline: DrawnSparkline; bucketMinutes: number } {
  const series = buildChartSeries({ namespace, windows, fromMs, toMs, baseline, grid: context.grid, settings, maxPoints: SPARKLINE_POINTS });
  return {
    bucketMinutes: series.bucketMs / 60_000,
    sparkline: {
      namespace,
      points: series.points.map(({ start, count, mean, low, high }) => ({ start, count, mean, low, high })),
      errors: series.errors,
      windows: series.windows,
      expected: series.expected === null ? null : Math.round(series.expected),
    },
  };
}

/**
 * Every namespace (with a baseline, windows in the last two days or open peaks), its last 24
 * hours against its baseline, for the overview (viewers and above). The drawing is reused until
 * the current window, the stored windows, the baseline or the thresholds change; open peaks are
 * counted for every request.
 */
export async function readNamespaceSparklines(
  prisma: PrismaClient,
  actor: Actor | null,
  context: SeriesContext,
  now: Date = new Date(),
): Promise<NamespaceSparklines> {
  assertRole(actor, "viewer");
  const { grid } = context;
  const toMs = grid.windowStartOf(now.getTime());
  const fromMs = toMs - DAY_MS;
  const [stamp, openPeaks] = await Promise.all([
    readDrawingStamp(prisma, fromMs, toMs),
    readRows<{ namespace: string; open: number }>(
      prisma,
      `SELECT namespace, count(*)::int AS open FROM peak_investigation WHERE status = 'open' GROUP BY namespace`,
    ),
  ]);
  const key = `${toMs}|${grid.timeZone}|${grid.windowMinutes}|${JSON.stringify(context.defaults)}|${stamp}`;
  const drawing = reuseDrawing(
    prisma,
    (kept) => kept.key === key,
    () => ({ key, value: drawSparklines(prisma, context, fromMs, toMs) }),
  );
  const { byNamespace, bucketMinutes } = await drawing.value;
  const openOf = new Map(openPeaks.map((row) => [row.namespace, row.open]));
  const namespaces = [...new Set([...byNamespace.keys(), ...openOf.keys()])].sort();
  return {
    from: fromMs,
    to: toMs,
    windowMinutes: grid.windowMinutes,
    bucketMinutes,
    namespaces: namespaces.map((namespace) => ({
      // A namespace with open peaks but neither windows nor a baseline has nothing to draw.
      ...(byNamespace.get(namespace) ?? drawSparkline(namespace, [], new Map(), context.defaults, context, fromMs, toMs).sparkline),
      openPeaks: openOf.get(namespace) ?? 0,
    })),
  };
}
