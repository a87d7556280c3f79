import { effectiveBaseline, type BaselineTable, type EffectiveBaseline } from "./baseline";
import { MIN_RECENT_WINDOWS, namespaceDispersion, peakThreshold, type PeakDetectionSettings } from "./detect";
import type { SlotKeys, WindowGrid } from "./time";

/** One point of a baseline-vs-actual chart; counts are errors per window. */
export type ChartPoint = {
  /** Start of the point's first window (UTC ms). */
  start: number;
  /** Start of the window the values come from: the bucket's highest count. */
  windowStart: number;
  /** Errors of that window; null when no window of the bucket is stored. */
  count: number | null;
  /** The slot's baseline mean and its band (mean ± one standard deviation, not below 0); null without history. */
  mean: number | null;
  low: number | null;
  high: number | null;
  /**
   * The count the window had to reach to be a peak with the given thresholds, rounded up to
   * hundredths (so an integer count reaches it exactly when it reaches the threshold itself); null
   * when too young to judge. The lines above are rounded to hundredths.
   */
  threshold: number | null;
};

export type ChartSeries = {
  /** Length of one point (UTC ms): a whole number of windows. */
  bucketMs: number;
  points: ChartPoint[];
  /** Errors of the stored windows in the range and how many windows are stored. */
  errors: number;
  windows: number;
  /**
   * What the baseline expects for the same stored windows: the sum of their means; null when none
   * of them has history. A window not stored (not ingested yet) counts on neither side.
   */
  expected: number | null;
};

export type ChartSeriesInput = {
  namespace: string;
  /** Stored windows of the namespace from at least a day before fromMs up to toMs, chronological. */
  windows: readonly { start: number; count: number }[];
  fromMs: number;
  toMs: number;
  baseline: BaselineTable;
  grid: WindowGrid;
  settings: PeakDetectionSettings;
  /** At most this many points; windows are grouped into equal buckets beyond it. */
  maxPoints: number;
  /** The namespace's over-dispersion over all of its slots, when `baseline` holds only some of them (computed from `baseline` otherwise). */
  dispersion?: number;
};

type WindowPoint = Omit<ChartPoint, "start" | "windowStart"> & { start: number };

/** Lines are drawn to hundredths: finer digits only lengthen the JSON of every point. */
const toHundredths = (value: number) => Math.round(value * 100) / 100;

/**
 * The series of a namespace's chart over [fromMs, toMs), downsampled to at most maxPoints.
 *
 * A bucket of several windows shows its busiest window with that window's own baseline and
 * threshold, so a spike survives downsampling and is never drawn against another window's line.
 * The baseline is the slot's current one (as the day view shows it), with the pooling rule of
 * detection; the threshold uses the same rule as detection, with the 24-hour average taken over
 * the stored windows before each window.
 */
export function buildChartSeries(input: ChartSeriesInput): ChartSeries {
  const { grid, settings } = input;
  const windowsPerHour = 60 / grid.windowMinutes;
  const dayMs = 24 * 3_600_000;
  const countOf = new Map(input.windows.map((window) => [window.start, window.count]));
  const starts = grid.windowsBetween(input.fromMs, input.toMs);
  const dispersion = input.dispersion ?? namespaceDispersion(input.baseline, input.namespace, windowsPerHour);

  // A slot recurs every week of a long range: judge it once.
  const baselineBySlot = new Map<number, EffectiveBaseline>();
  const baselineOfSlot = (slot: SlotKeys): EffectiveBaseline => {
    const index = (slot.dayOfWeek * 24 + slot.hourOfDay) * windowsPerHour + slot.quarterHour;
    let base = baselineBySlot.get(index);
    if (!base) baselineBySlot.set(index, (base = effectiveBaseline(input.baseline, input.namespace, slot, windowsPerHour)));
    return base;
  };

  // Rolling sum of the stored windows in [start - 24 h, start), both ends moved monotonically.
  const history = input.windows;
  let head = 0;
  let tail = 0;
  let daySum = 0;
  let dayWindows = 0;
  let errors = 0;
  let storedWindows = 0;
  let expected: number | null = null;
  const windowPoints: WindowPoint[] = starts.map((start) => {
    while (head < history.length && history[head]!.start < start) {
      daySum += history[head]!.count;
      dayWindows += 1;
      head += 1;
    }
    while (tail < head && history[tail]!.start < start - dayMs) {
      daySum -= history[tail]!.count;
      dayWindows -= 1;
      tail += 1;
    }
    const average24h = dayWindows > 0 ? daySum / dayWindows : 0;
    const base = baselineOfSlot(grid.slotOf(start));
    const hasHistory = base.samples > 0;
    const count = countOf.get(start) ?? null;
    if (count !== null) {
      errors += count;
      storedWindows += 1;
      if (hasHistory) expected = (expected ?? 0) + base.mean;
    }
    // A slot too young to pool is judged against the namespace's recent level, as detection does.
    const judgedBy =
      base.source !== "insufficient"
        ? base
        : dayWindows >= MIN_RECENT_WINDOWS
          ? { mean: average24h, stddev: 0, samples: dayWindows, source: "recent" as const }
          : null;
    const threshold = judgedBy === null ? null : peakThreshold(judgedBy, average24h, dispersion, settings);
    return {
      start,
      count,
      mean: hasHistory ? toHundredths(base.mean) : null,
      low: hasHistory ? toHundredths(Math.max(0, base.mean - base.stddev)) : null,
      high: hasHistory ? toHundredths(base.mean + base.stddev) : null,
      threshold: threshold === null ? null : Math.ceil(threshold * 100 - 1e-9) / 100,
    };
  });

  const { perBucket, points } = keepBusiestPerBucket(windowPoints, input.maxPoints, (point) => point.count ?? -1);
  return { bucketMs: perBucket * grid.windowMs, points, errors, windows: storedWindows, expected };
}

/**
 * Downsampling of consecutive windows: equal buckets, at most maxPoints of them, each showing its
 * busiest window (by `countOf`) with that window's own values, dated at the bucket's start.
 */
export function keepBusiestPerBucket<Point extends { start: number }>(
  windows: readonly Point[],
  maxPoints: number,
  countOf: (point: Point) => number,
): { perBucket: number; points: (Point & { windowStart: number })[] } {
  const perBucket = Math.max(1, Math.ceil(windows.length / Math.max(1, maxPoints)));
  const points: (Point & { windowStart: number })[] = [];
  for (let index = 0; index < windows.length; index += perBucket) {
    let busiest = windows[index]!;
    for (let offset = 1; offset < perBucket && index + offset < windows.length; offset += 1) {
      const candidate = windows[index + offset]!;
      if (countOf(candidate) > countOf(busiest)) busiest = candidate;
    }
    points.push({ ...busiest, start: windows[index]!.start, windowStart: busiest.start });
  }
  return { perBucket, points };
}
