import { z } from "zod";
import { assertRole, type Actor } from "@/lib/auth/roles";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { parseSlotKey } from "@/lib/pipeline/baseline";
import { buildChartSeries, type ChartPoint } from "@/lib/pipeline/chart-series";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import type { WindowGrid } from "@/lib/pipeline/time";
import type { PrismaClient } from "./client";
import { findEffectiveThresholds, loadBaseline } from "./detection-store";

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

export const namespaceSeriesSchema = z
  .object({
    namespace: z.string().trim().min(1).max(200),
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
  peaks: SeriesPeak[];
  /** True when the range held more than MAX_SERIES_PEAKS peaks and only the newest are listed. */
  peaksTruncated: boolean;
  /** Start of the namespace's newest stored window, to offer when the range is empty. */
  latestWindow: number | null;
  totals: { errors: number; windows: number; peaks: number };
};

function parseRange(input: z.output<typeof namespaceSeriesSchema>, now: Date): { fromMs: number; toMs: number } {
  const toMs = input.to ? Date.parse(input.to) : now.getTime();
  const fromMs = input.from ? Date.parse(input.from) : toMs - DEFAULT_SERIES_DAYS * DAY_MS;
  if (toMs - fromMs > MAX_SERIES_DAYS * DAY_MS) {
    throw new InvalidInputError("The range is too long", [{ path: "from", message: `must be at most ${MAX_SERIES_DAYS} days before to` }]);
  }
  return { fromMs, toMs };
}

type WindowRow = { namespace: string; timestamp: Date; error_count: number };

async function findNamespaceWindows(prisma: PrismaClient, namespaces: readonly string[] | null, fromMs: number, toMs: number): Promise<Map<string, { start: number; count: number }[]>> {
  const rows = namespaces
    ? await prisma.$queryRawUnsafe<WindowRow[]>(
        `SELECT namespace, timestamp, error_count FROM peak_raw_data
          WHERE namespace = ANY($1::text[]) AND timestamp >= $2 AND timestamp < $3 ORDER BY namespace, timestamp`,
        [...namespaces],
        new Date(fromMs),
        new Date(toMs),
      )
    : await prisma.$queryRawUnsafe<WindowRow[]>(
        `SELECT namespace, timestamp, error_count FROM peak_raw_data WHERE timestamp >= $1 AND timestamp < $2 ORDER BY namespace, timestamp`,
        new Date(fromMs),
        new Date(toMs),
      );
  const byNamespace = new Map<string, { start: number; count: number }[]>();
  for (const row of rows) {
    let list = byNamespace.get(row.namespace);
    if (!list) byNamespace.set(row.namespace, (list = []));
    list.push({ start: row.timestamp.getTime(), count: row.error_count });
  }
  return byNamespace;
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
  const where = { namespace, timestamp: { gte: new Date(fromMs), lt: new Date(toMs) } };
  const [windows, baseline, thresholds, latest, peakRows, peakCount] = await Promise.all([
    findNamespaceWindows(prisma, [namespace], fromMs - DAY_MS, toMs),
    loadBaseline(prisma, [namespace]),
    findEffectiveThresholds(prisma, context.defaults),
    prisma.peakRawData.findFirst({ where: { namespace }, orderBy: { timestamp: "desc" }, select: { timestamp: true } }),
    prisma.peakInvestigation.findMany({
      where,
      orderBy: { timestamp: "desc" },
      take: MAX_SERIES_PEAKS,
      select: { id: true, timestamp: true, severity: true, status: true, errorCount: true, knownIssue: { select: { title: true } }, knownPeakId: true },
    }),
    prisma.peakInvestigation.count({ where }),
  ]);
  if (!latest && baseline.size === 0) throw new NotFoundError(`No namespace ${namespace} is stored`);
  const stored = windows.get(namespace) ?? [];
  const series = buildChartSeries({ namespace, windows: stored, fromMs, toMs, baseline, grid: context.grid, settings: thresholds.settings, maxPoints });
  return {
    namespace,
    from: fromMs,
    to: toMs,
    windowMinutes: context.grid.windowMinutes,
    bucketMinutes: series.bucketMs / 60_000,
    thresholdsVersion: thresholds.version,
    points: series.points,
    peaks: peakRows.reverse().map((peak) => ({
      id: peak.id,
      start: peak.timestamp.getTime(),
      severity: peak.severity,
      status: peak.status,
      errorCount: peak.errorCount,
      knownIssueTitle: peak.knownIssue?.title ?? null,
      isRegression: peak.knownPeakId !== null,
    })),
    peaksTruncated: peakCount > peakRows.length,
    latestWindow: latest?.timestamp.getTime() ?? null,
    totals: { errors: series.errors, windows: series.windows, peaks: peakCount },
  };
}

export type NamespaceSparkline = {
  namespace: string;
  points: ChartPoint[];
  /** Errors of the windows stored in the last 24 hours, how many are stored, and the baseline's expectation for them (null without history). */
  errors: number;
  windows: number;
  expected: number | null;
  openPeaks: number;
};

export type NamespaceSparklines = { from: number; to: number; windowMinutes: number; bucketMinutes: number; namespaces: NamespaceSparkline[] };

/** Every namespace (with a baseline, windows in the last two days or open peaks), its last 24 hours against its baseline, for the overview (viewers and above). */
export async function readNamespaceSparklines(prisma: PrismaClient, actor: Actor | null, context: SeriesContext, now: Date = new Date()): Promise<NamespaceSparklines> {
  assertRole(actor, "viewer");
  const toMs = context.grid.windowStartOf(now.getTime());
  const fromMs = toMs - DAY_MS;
  const [windows, baseline, thresholds, openPeaks] = await Promise.all([
    findNamespaceWindows(prisma, null, fromMs - DAY_MS, toMs),
    loadBaseline(prisma, null),
    findEffectiveThresholds(prisma, context.defaults),
    prisma.peakInvestigation.groupBy({ by: ["namespace"], where: { status: "open" }, _count: { _all: true } }),
  ]);
  const openOf = new Map(openPeaks.map((group) => [group.namespace, group._count._all]));
  // A namespace that went quiet keeps its baseline: it is listed with no errors rather than left out.
  const baselineNamespaces = new Set([...baseline.keys()].map((key) => parseSlotKey(key).namespace));
  const namespaces = [...new Set([...baselineNamespaces, ...windows.keys(), ...openOf.keys()])].sort();
  let bucketMinutes = context.grid.windowMinutes;
  const sparklines = namespaces.map((namespace) => {
    const stored = windows.get(namespace) ?? [];
    const series = buildChartSeries({ namespace, windows: stored, fromMs, toMs, baseline, grid: context.grid, settings: thresholds.settings, maxPoints: SPARKLINE_POINTS });
    bucketMinutes = series.bucketMs / 60_000;
    return {
      namespace,
      points: series.points,
      errors: series.errors,
      windows: series.windows,
      expected: series.expected === null ? null : Math.round(series.expected),
      openPeaks: openOf.get(namespace) ?? 0,
    };
  });
  return { from: fromMs, to: toMs, windowMinutes: context.grid.windowMinutes, bucketMinutes, namespaces: sparklines };
}
