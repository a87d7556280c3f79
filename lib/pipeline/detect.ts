import { effectiveBaseline, recordSample, type BaselineTable, type EffectiveBaseline } from "./baseline";
import type { SlotKeys, WindowGrid } from "./time";

const DAY_MS = 86_400_000;

/** The peak_detection section of values.yaml (same keys). */
export type PeakDetectionSettings = Readonly<{
  min_ratio_multiplier: number;
  max_ratio_multiplier: number;
  dynamic_min_multiplier: number;
  min_absolute_value: number;
  same_day_window_count: number;
}>;

/** The ratio stored when the baseline mean is 0 (the system this replaces stored ∞ as 999.0). */
export const NO_BASELINE_RATIO = 999;
/** Coefficient of variation (stddev / mean) at which the required ratio reaches max_ratio_multiplier. */
export const NOISY_VARIATION = 1;

export const severities = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof severities)[number];

/**
 * One window of a namespace. `known` marks a window judged in an earlier run: it takes part in
 * the 24-hour average and as a reference window, but is neither judged nor added again.
 */
export type WindowCount = { start: number; count: number; known?: { isPeak: boolean; plateauStart: number | null } };

/** Everything a decision was made from, stored with a peak so an analyst can see why. */
export type DecisionInputs = {
  count: number;
  mean: number;
  stddev: number;
  samples: number;
  baselineSource: EffectiveBaseline["source"];
  ratio: number;
  requiredRatio: number;
  /** Mean count of the namespace over the 24 hours before the window (the windows available). */
  average24h: number;
  /** Counts of the previous same_day_window_count windows, newest first. */
  referenceCounts: number[];
};

export type WindowDecision = {
  start: number;
  namespace: string;
  keys: SlotKeys;
  /** insufficient_history: the baseline is too young to judge; never flagged. */
  status: "peak" | "normal" | "insufficient_history";
  severity: Severity | null;
  /** For a peak that continues a plateau: the start of the plateau's first window; null for a new peak. */
  plateauStart: number | null;
  /** Which thresholds the count reached. */
  checks: { absolute: boolean; ratio: boolean; average24h: boolean };
  inputs: DecisionInputs;
  /** What the window added to its baseline slot (see baselineSampleOfPeak). */
  baselineValue: number;
};

/** Required ratio: min_ratio_multiplier for a steady slot, rising linearly with the slot's variation up to max_ratio_multiplier. */
export function requiredRatioFor(mean: number, stddev: number, settings: PeakDetectionSettings): number {
  if (mean <= 0) return settings.max_ratio_multiplier;
  const variation = Math.min(1, stddev / mean / NOISY_VARIATION);
  return settings.min_ratio_multiplier + (settings.max_ratio_multiplier - settings.min_ratio_multiplier) * variation;
}

/** Severity from the ratio to the baseline: ≥ 20 critical (and every window with no baseline), ≥ 10 high, ≥ 5 medium, else low. */
export function severityOf(ratio: number): Severity {
  if (ratio >= 20) return "critical";
  if (ratio >= 10) return "high";
  if (ratio >= 5) return "medium";
  return "low";
}

/**
 * Count that entered the baseline for a peak window: the count at which it became a peak. A
 * one-off incident therefore moves its slot by no more than one threshold, while a spike that
 * recurs every week at the same time raises its slot week by week until it is normal.
 */
export function baselineSampleOfPeak(count: number, baseline: EffectiveBaseline, average24h: number, settings: PeakDetectionSettings): number {
  const threshold = Math.max(
    settings.min_absolute_value,
    requiredRatioFor(baseline.mean, baseline.stddev, settings) * baseline.mean,
    settings.dynamic_min_multiplier * average24h,
  );
  return Math.min(count, threshold);
}

export type NamespaceSeries = {
  namespace: string;
  /** Windows to judge, chronological: every covered window (measured zeros included); gaps are absent. */
  windows: readonly WindowCount[];
  /** Windows before the first one (at least 24 hours' worth when available), chronological. */
  history: readonly WindowCount[];
  /** Peaks among the history windows: start → start of their plateau. */
  historyPeaks: ReadonlyMap<number, number>;
};

/**
 * Judges a namespace's windows in order and adds each to the baseline (mutating `baseline`):
 * a window is judged against the baseline before its own count is added. With `detect` false
 * (the INIT phase) windows only feed the baseline and no decision is returned.
 */
export function detectNamespace(
  series: NamespaceSeries,
  baseline: BaselineTable,
  grid: WindowGrid,
  settings: PeakDetectionSettings,
  options: { detect: boolean },
): WindowDecision[] {
  const windowsPerHour = 60 / grid.windowMinutes;
  const timeline: WindowCount[] = [...series.history, ...series.windows];
  const indexOfStart = new Map(timeline.map((window, index) => [window.start, index]));
  const plateauOf = new Map(series.historyPeaks);
  const decisions: WindowDecision[] = [];
  // The 24-hour average and the reference windows go by time, not by position: a gap (a window
  // no source covered) is neither a zero nor a neighbour. daySum is the sum of the counts of
  // timeline[dayFrom .. index - 1], the stored windows of the 24 hours before the current one.
  let dayFrom = 0;
  let daySum = 0;
  let summedTo = 0;

  for (let index = series.history.length; index < timeline.length; index += 1) {
    const window = timeline[index]!;
    for (; summedTo < index; summedTo += 1) daySum += timeline[summedTo]!.count;
    for (; dayFrom < index && timeline[dayFrom]!.start < window.start - DAY_MS; dayFrom += 1) daySum -= timeline[dayFrom]!.count;
    const previousCount = index - dayFrom;
    const average24h = previousCount > 0 ? daySum / previousCount : 0;
    if (window.known) {
      if (window.known.isPeak) plateauOf.set(window.start, window.known.plateauStart ?? window.start);
    } else if (options.detect) {
      const keys = grid.slotOf(window.start);
      const base = effectiveBaseline(baseline, series.namespace, keys, windowsPerHour);
      const referenceWindows: WindowCount[] = [];
      for (let back = 1; back <= settings.same_day_window_count; back += 1) {
        const reference = indexOfStart.get(window.start - back * grid.windowMs);
        if (reference !== undefined && reference < index) referenceWindows.push(timeline[reference]!);
      }
      const ratio = base.mean > 0 ? window.count / base.mean : NO_BASELINE_RATIO;
      const requiredRatio = requiredRatioFor(base.mean, base.stddev, settings);
      const checks = {
        absolute: window.count >= settings.min_absolute_value,
        ratio: ratio >= requiredRatio,
        average24h: window.count >= settings.dynamic_min_multiplier * average24h,
      };
      const isJudged = base.source !== "insufficient";
      const isPeak = isJudged && checks.absolute && checks.ratio && checks.average24h;
      let plateauStart: number | null = null;
      if (isPeak) {
        for (const reference of referenceWindows) {
          const start = plateauOf.get(reference.start);
          if (start !== undefined && (plateauStart === null || start < plateauStart)) plateauStart = start;
        }
        plateauOf.set(window.start, plateauStart ?? window.start);
      } else {
        plateauOf.delete(window.start);
      }
      const baselineValue = isPeak ? baselineSampleOfPeak(window.count, base, average24h, settings) : window.count;
      decisions.push({
        start: window.start,
        baselineValue,
        namespace: series.namespace,
        keys,
        status: isPeak ? "peak" : isJudged ? "normal" : "insufficient_history",
        severity: isPeak ? severityOf(ratio) : null,
        plateauStart,
        checks,
        inputs: {
          count: window.count,
          mean: base.mean,
          stddev: base.stddev,
          samples: base.samples,
          baselineSource: base.source,
          ratio,
          requiredRatio,
          average24h,
          referenceCounts: referenceWindows.map((reference) => reference.count),
        },
      });
      recordSample(baseline, series.namespace, keys, baselineValue);
    } else {
      recordSample(baseline, series.namespace, grid.slotOf(window.start), window.count);
    }
  }
  return decisions;
}

/**
 * The plateau of every peak window of a namespace, by the rule of detectNamespace: a peak whose
 * previous `referenceCount` windows (by time) hold a peak continues the earliest plateau among
 * them; otherwise it starts its own. Returns start → plateau start (its own start for a first peak).
 */
export function plateausOf(peakStarts: readonly number[], windowMs: number, referenceCount: number): Map<number, number> {
  const plateauOf = new Map<number, number>();
  for (const start of [...peakStarts].sort((left, right) => left - right)) {
    let plateau = start;
    for (let back = 1; back <= referenceCount; back += 1) {
      const earlier = plateauOf.get(start - back * windowMs);
      if (earlier !== undefined && earlier < plateau) plateau = earlier;
    }
    plateauOf.set(start, plateau);
  }
  return plateauOf;
}
