import type { SeriesGap } from "@/lib/completeness/series-gaps";
import type { Db } from "@/lib/db/client";
import {
  findFirstWindowStart,
  findLatestWindowStart,
  findNamespaceWindows,
  findNewNormalsFrom,
  findSeriesPeaks,
  findSlotStats,
  hasBaseline,
  hasWindows,
} from "@/lib/db/namespaces";
import { InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import { buildChartSeries } from "@/lib/pipeline/chart-series";
import { dispersionOf } from "@/lib/pipeline/count-model";
import { gapsBetween } from "@/lib/pipeline/coverage";
import type { PeakDetectionSettings } from "@/lib/pipeline/detect";
import type { SlotKeys, WindowGrid } from "@/lib/pipeline/time";
import { assertRole, type Actor } from "@/lib/roles";
import {
  DEFAULT_SERIES_DAYS,
  MAX_SERIES_DAYS,
  MAX_SERIES_DEPLOYS,
  MAX_SERIES_PEAKS,
  namespaceNameSchema,
  namespaceSeriesSchema,
  type NamespaceSeries,
  type NamespaceSeriesInput,
} from "./contract";
import { loadBaselineOfSlots, readThresholdsInForce } from "@/lib/detection/store";
import { findVersionsFirstSeen } from "@/lib/db/versions";

// A namespace's baseline-vs-actual chart: who may read it, its range checked, its windows,
// baseline and peaks read (lib/db/namespaces.ts) and drawn by lib/pipeline/chart-series.ts.

const DAY_MS = 86_400_000;

/** What detection needs to draw its lines: the window grid and the values.yaml thresholds. */
export type SeriesContext = { grid: WindowGrid; defaults: PeakDetectionSettings };

function parseRange(input: { from?: string; to?: string }, now: Date): { fromMs: number; toMs: number } {
  const toMs = input.to ? Date.parse(input.to) : now.getTime();
  const fromMs = input.from ? Date.parse(input.from) : toMs - DEFAULT_SERIES_DAYS * DAY_MS;
  if (toMs - fromMs > MAX_SERIES_DAYS * DAY_MS) {
    throw new InvalidInputError("The range is too long", [{ path: "from", message: `must be at most ${MAX_SERIES_DAYS} days before to` }]);
  }
  return { fromMs, toMs };
}

/** The distinct slots among many, in first-seen order. */
function uniqueSlots(slots: readonly SlotKeys[]): SlotKeys[] {
  const seen = new Map<string, SlotKeys>();
  for (const slot of slots) seen.set(`${slot.dayOfWeek}|${slot.hourOfDay}|${slot.quarterHour}`, slot);
  return [...seen.values()];
}

/**
 * Whether any window or baseline of the namespace is stored, which is what readNamespaceSeries
 * requires of it (viewers and above): at most two indexed lookups, for a page to answer 404 before it streams.
 */
export async function hasNamespace(db: Db, actor: Actor | null, namespace: string): Promise<boolean> {
  assertRole(actor, "viewer");
  const name = parseInput(namespaceNameSchema, namespace);
  return (await hasWindows(db, name)) || hasBaseline(db, name);
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
  db: Db,
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
  const [windows, baseline, thresholds, latestWindow, firstWindow, peakRows, slotStats, newNormals, deploys] = await Promise.all([
    findNamespaceWindows(db, [namespace], fromMs - DAY_MS, toMs),
    loadBaselineOfSlots(db.prisma, [namespace], slots, 60 / grid.windowMinutes),
    readThresholdsInForce(db, context.defaults),
    findLatestWindowStart(db, namespace),
    findFirstWindowStart(db, namespace),
    findSeriesPeaks(db, namespace, fromMs, toMs, MAX_SERIES_PEAKS),
    // The namespace's over-dispersion over all of its slots (the chart's baseline holds only the slots of its range).
    findSlotStats(db, namespace),
    findNewNormalsFrom(db, namespace, fromMs, toMs),
    findVersionsFirstSeen(db, namespace, { fromMs, toMs }, MAX_SERIES_DEPLOYS),
  ]);
  if (latestWindow === null && !(await hasBaseline(db, namespace))) throw new NotFoundError(`No namespace ${namespace} is stored`);
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
    dispersion: dispersionOf(slotStats),
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
      errorCount: peak.errorCount,
      knownIssueTitle: peak.knownIssueTitle,
      isRegression: peak.isRegression,
    })),
    peaksTruncated: peakCount > peakRows.length,
    latestWindow,
    firstWindow,
    totals: { errors: series.errors, windows: series.windows, peaks: peakCount },
    newNormals: newNormals.map((entry) => ({ ...entry, acceptedAt: entry.acceptedAt.toISOString(), revertedAt: entry.revertedAt?.toISOString() ?? null })),
    deploys: deploys.markers.map((marker) => ({ version: marker.version, at: marker.firstSeenMs })),
    deploysTruncated: deploys.total > deploys.markers.length,
  };
}
