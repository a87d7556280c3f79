import type { BaselineTable } from "./baseline";
import { keepBusiestPerBucket } from "./chart-series";
import { detectNamespace, type PeakDetectionSettings, type Severity, type WindowDecision } from "./detect";
import type { WindowGrid } from "./time";

/**
 * Backtest: what two sets of thresholds would have flagged over the same stored windows.
 *
 * Each set replays detection from an empty baseline over a warm-up period and the range, the way
 * the pipeline would have run with it, so that a set's own peaks cap its own baseline. Only the
 * decisions inside the range are compared. Both sets see identical data, so every difference
 * between them comes from the thresholds alone.
 */

export type BacktestWindow = { start: number; count: number };

export type BacktestInput = {
  /** Stored windows per namespace from the start of the warm-up to toMs, chronological. */
  windows: ReadonlyMap<string, readonly BacktestWindow[]>;
  fromMs: number;
  toMs: number;
  grid: WindowGrid;
  current: PeakDetectionSettings;
  proposed: PeakDetectionSettings;
  /** Namespaces whose per-window series is returned (downsampled to maxPoints). */
  seriesFor: ReadonlySet<string>;
  maxPoints: number;
};

export type BacktestPeak = { start: number; count: number; severity: Severity; isContinuation: boolean };

export type BacktestNamespace = {
  namespace: string;
  /** Peak windows in the range with each set of thresholds. */
  current: number;
  proposed: number;
  /** Flagged with the proposed thresholds only. */
  added: BacktestPeak[];
  /** Flagged with the current thresholds only. */
  removed: BacktestPeak[];
  /** Flagged with both. */
  kept: BacktestPeak[];
};

export type BacktestPoint = {
  start: number;
  windowStart: number;
  count: number;
  /** Count a window had to reach with each set; null while the baseline is too young. */
  currentThreshold: number | null;
  proposedThreshold: number | null;
};

export type BacktestResult = {
  namespaces: BacktestNamespace[];
  series: Map<string, { bucketMs: number; points: BacktestPoint[] }>;
  totals: { current: number; proposed: number; added: number; removed: number };
};

function thresholdOf(decision: WindowDecision, settings: PeakDetectionSettings): number | null {
  if (decision.status === "insufficient_history") return null;
  const { mean, requiredRatio, average24h, spreadThreshold } = decision.inputs;
  return Math.max(settings.min_absolute_value, requiredRatio * mean, settings.dynamic_min_multiplier * average24h, spreadThreshold);
}

function replay(namespace: string, windows: readonly BacktestWindow[], grid: WindowGrid, settings: PeakDetectionSettings): WindowDecision[] {
  const baseline: BaselineTable = new Map();
  return detectNamespace({ namespace, windows, history: [], historyPeaks: new Map() }, baseline, grid, settings, { detect: true });
}

function peakOf(decision: WindowDecision): BacktestPeak {
  return { start: decision.start, count: decision.inputs.count, severity: decision.severity ?? "low", isContinuation: decision.plateauStart !== null };
}

export function runBacktest(input: BacktestInput): BacktestResult {
  const namespaces: BacktestNamespace[] = [];
  const series = new Map<string, { bucketMs: number; points: BacktestPoint[] }>();
  const totals = { current: 0, proposed: 0, added: 0, removed: 0 };
  // Stored windows only: ingestion stores every window with its zeros, so a gap is data that was never read, not a quiet period.
  for (const [namespace, windows] of [...input.windows].sort(([left], [right]) => left.localeCompare(right))) {
    const inRange = (decision: WindowDecision) => decision.start >= input.fromMs && decision.start < input.toMs;
    const current = replay(namespace, windows, input.grid, input.current).filter(inRange);
    const proposed = replay(namespace, windows, input.grid, input.proposed).filter(inRange);
    // Both replays judge the same windows in the same order: index i is the same window in each.
    const entry: BacktestNamespace = { namespace, current: 0, proposed: 0, added: [], removed: [], kept: [] };
    const points: BacktestPoint[] = [];
    for (let index = 0; index < current.length; index += 1) {
      const before = current[index]!;
      const after = proposed[index]!;
      const wasPeak = before.status === "peak";
      const isPeak = after.status === "peak";
      if (wasPeak) entry.current += 1;
      if (isPeak) entry.proposed += 1;
      if (wasPeak && isPeak) entry.kept.push(peakOf(after));
      else if (isPeak) entry.added.push(peakOf(after));
      else if (wasPeak) entry.removed.push(peakOf(before));
      if (input.seriesFor.has(namespace)) {
        points.push({
          start: before.start,
          windowStart: before.start,
          count: before.inputs.count,
          currentThreshold: thresholdOf(before, input.current),
          proposedThreshold: thresholdOf(after, input.proposed),
        });
      }
    }
    totals.current += entry.current;
    totals.proposed += entry.proposed;
    totals.added += entry.added.length;
    totals.removed += entry.removed.length;
    namespaces.push(entry);
    if (input.seriesFor.has(namespace)) {
      const downsampled = keepBusiestPerBucket(points, input.maxPoints, (point) => point.count);
      series.set(namespace, { bucketMs: downsampled.perBucket * input.grid.windowMs, points: downsampled.points });
    }
  }
  return { namespaces, series, totals };
}
