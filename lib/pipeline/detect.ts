import { effectiveBaseline, namespaceSlotKeys, recordSample, slotKey, type BaselineTable, type EffectiveBaseline } from "./baseline";
import { createDispersionTracker, dispersionOf, ordinaryCeiling, upperCount, type DispersionTracker } from "./count-model";
import type { SlotKeys, WindowGrid } from "./time";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

/** The peak_detection section of values.yaml (same keys). */
export type PeakDetectionSettings = Readonly<{
  min_ratio_multiplier: number;
  max_ratio_multiplier: number;
  dynamic_min_multiplier: number;
  min_absolute_value: number;
  same_day_window_count: number;
  /** A new peak's count must also reach this × the mean of its same-day reference windows (0: not required). */
  same_day_min_ratio: number;
  /** Chance that an ordinary window passes the spread check: the count model's upper tail (smaller is stricter). */
  tail_probability: number;
}>;

/** The ratio stored when the baseline mean is 0 (the system this replaces stored ∞ as 999.0). */
export const NO_BASELINE_RATIO = 999;
/** Variation beyond Poisson noise (see requiredRatioFor) at which the required ratio reaches max_ratio_multiplier. */
export const NOISY_VARIATION = 1;
/** Windows of the last 24 hours a namespace needs before a window can be judged against its recent level (2 hours). */
export const MIN_RECENT_WINDOWS = 8;
/** A peak whose slot was also a peak this many weeks in a row before it recurs: it enters its baseline in full. */
export const RECURRING_WEEKS = 2;

export const severities = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof severities)[number];

/**
 * One window of a namespace. `known` marks a window judged in an earlier run: it takes part in
 * the 24-hour average and as a reference window, but is neither judged nor added again.
 */
export type WindowCount = { start: number; count: number; known?: { isPeak: boolean; plateauStart: number | null } };

/**
 * What a window was judged against: its slot's own history, a pool of neighbouring slots (a
 * young slot), the namespace's recent level (a young namespace: the average of its last 24
 * hours), or nothing (less than MIN_RECENT_WINDOWS of history: not judged).
 */
export type BaselineSource = "slot" | "pooled" | "recent" | "insufficient";

/** Everything a decision was made from, stored with a peak so an analyst can see why. */
export type DecisionInputs = {
  count: number;
  mean: number;
  stddev: number;
  samples: number;
  baselineSource: BaselineSource;
  /** count / mean: the seasonal view (the recent view for a young namespace); NO_BASELINE_RATIO when the mean is 0. */
  ratio: number;
  requiredRatio: number;
  /** count / the mean of the reference windows: the same-day view of the system this replaces; null without reference windows. */
  sameDayRatio: number | null;
  /** The namespace's over-dispersion φ (variance = μ + φμ²) and the count the spread check required. */
  dispersion: number;
  spreadThreshold: number;
  /** Mean count of the namespace over the 24 hours before the window (the windows available). */
  average24h: number;
  /** Counts of the previous same_day_window_count windows, newest first. */
  referenceCounts: number[];
};

/** Which checks a count reached; sameDay is null where it does not apply (a continuing plateau, no reference window). */
export type DecisionChecks = { absolute: boolean; ratio: boolean; average24h: boolean; spread: boolean; sameDay: boolean | null };

export type WindowDecision = {
  start: number;
  namespace: string;
  keys: SlotKeys;
  /** insufficient_history: not even two hours of the namespace are known; never flagged. */
  status: "peak" | "normal" | "insufficient_history";
  severity: Severity | null;
  /** For a peak that continues a plateau: the start of the plateau's first window; null for a new peak. */
  plateauStart: number | null;
  checks: DecisionChecks;
  inputs: DecisionInputs;
  /** What the window added to its baseline slot (see baselineSampleOfPeak). */
  baselineValue: number;
};

/** Whether a decision was made on a young baseline (pooled from neighbouring slots, or the namespace's recent level): less certain than one on the slot's own history. */
export function isYoungBaseline(source: BaselineSource | null): boolean {
  return source === "pooled" || source === "recent";
}

/**
 * Required ratio: min_ratio_multiplier for a steady slot, rising linearly with the slot's
 * variation beyond Poisson noise, sqrt(max(0, σ² − μ)) / μ, up to max_ratio_multiplier. Poisson
 * noise is left out because a count of errors has it whatever the namespace; what makes a
 * namespace noisy is the spread on top of it (the system this replaced used σ / μ).
 */
export function requiredRatioFor(mean: number, stddev: number, settings: Pick<PeakDetectionSettings, "min_ratio_multiplier" | "max_ratio_multiplier">): number {
  if (mean <= 0) return settings.max_ratio_multiplier;
  const variation = Math.min(1, Math.sqrt(Math.max(0, stddev * stddev - mean)) / mean / NOISY_VARIATION);
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
 * Count that entered the baseline for a peak window: at most the slot's ordinary ceiling before
 * the peak (its mean + 2 deviations of the count model), so that one incident moves neither the
 * slot's mean nor its spread materially. A recurring peak (its slot was a peak RECURRING_WEEKS
 * weeks in a row before) enters in full, so that a spike that recurs every week at the same time
 * becomes normal after a few weeks.
 */
export function baselineSampleOfPeak(count: number, baseline: { mean: number }, dispersion: number, recurring: boolean): number {
  return recurring ? count : Math.min(count, ordinaryCeiling(baseline.mean, dispersion));
}

export type NamespaceSeries = {
  namespace: string;
  /** Windows to judge, chronological: every covered window (measured zeros included); gaps are absent. */
  windows: readonly WindowCount[];
  /** Windows before the first one (at least 24 hours' worth when available), chronological. */
  history: readonly WindowCount[];
  /** Peaks among the history windows: start → start of their plateau. */
  historyPeaks: ReadonlyMap<number, number>;
  /** Starts of the peak windows of the RECURRING_WEEKS weeks (and an hour) before the first window: what tells a recurring peak. */
  earlierPeaks?: ReadonlySet<number>;
  /**
   * Errors added to what a window contributes to its slot: the shifts of the accepted new normals
   * (new-normal.ts) whose start is after the window, so that a window read late enters like every
   * other sample from before the start. 0 when absent.
   */
  contributionShift?: (start: number, keys: SlotKeys) => number;
};

/** The namespace's over-dispersion φ, from all of its slots (count-model.ts). */
export function namespaceDispersion(baseline: BaselineTable, namespace: string, windowsPerHour: number): number {
  return dispersionOf(namespaceSlotKeys(namespace, windowsPerHour).map((key) => baseline.get(key)));
}

/** The required ratio of a judged baseline: a young namespace's recent level needs the strictest, max_ratio_multiplier. */
function requiredRatioOf(base: { mean: number; stddev: number; source: BaselineSource }, settings: PeakDetectionSettings): number {
  return base.source === "recent" ? settings.max_ratio_multiplier : requiredRatioFor(base.mean, base.stddev, settings);
}

/** The count from which a window is a peak by every check but the same-day one: what a chart draws as the threshold. */
export function peakThreshold(
  base: { mean: number; stddev: number; samples: number; source: BaselineSource },
  average24h: number,
  dispersion: number,
  settings: PeakDetectionSettings,
): number {
  const requiredRatio = requiredRatioOf(base, settings);
  return Math.max(
    settings.min_absolute_value,
    requiredRatio * base.mean,
    settings.dynamic_min_multiplier * average24h,
    upperCount(base.mean, dispersion, base.samples, settings.tail_probability),
  );
}

/**
 * Judges a namespace's windows in order and adds each to the baseline (mutating `baseline`):
 * a window is judged against the baseline before its own count is added. With `detect` false
 * (the INIT phase) windows only feed the baseline and no decision is returned.
 *
 * A window is a peak when its count reaches all of:
 * - min_absolute_value;
 * - dynamic_min_multiplier × the namespace's average over the 24 hours before it;
 * - the required ratio × its baseline mean (the seasonal view; see requiredRatioFor);
 * - the spread threshold: the count an ordinary window exceeds with probability
 *   tail_probability under the namespace's count model (count-model.ts);
 * - for a new peak (no reference window is a peak), same_day_min_ratio × the mean of the
 *   previous same_day_window_count windows (the same-day view), when there are any.
 * The baseline is the slot's, pooled for a young slot, or, for a namespace whose slots are too
 * young to pool, its recent level (the 24-hour average, required ratio max_ratio_multiplier).
 */
export function detectNamespace(
  series: NamespaceSeries,
  baseline: BaselineTable,
  grid: WindowGrid,
  settings: PeakDetectionSettings,
  options: {
    detect: boolean;
    /**
     * The namespace's dispersion tracker over the baseline as `baseline` holds it (changed in
     * place as windows enter their slots); built from the namespace's slots in `baseline` when absent.
     */
    dispersion?: DispersionTracker;
  },
): WindowDecision[] {
  const windowsPerHour = 60 / grid.windowMinutes;
  const timeline: WindowCount[] = [...series.history, ...series.windows];
  const indexOfStart = new Map(timeline.map((window, index) => [window.start, index]));
  const plateauOf = new Map(series.historyPeaks);
  const peakStarts = new Set([...(series.earlierPeaks ?? []), ...series.historyPeaks.keys()]);
  const decisions: WindowDecision[] = [];
  // Each window is judged with the over-dispersion of the slots just before it, whatever the
  // windows of this call: kept up to date as each window enters its slot.
  const dispersion =
    options.dispersion ?? createDispersionTracker(options.detect ? namespaceSlotKeys(series.namespace, windowsPerHour).map((key) => baseline.get(key)) : []);
  const isRecurring = (start: number, keys: SlotKeys) => {
    for (let weeks = 1; weeks <= RECURRING_WEEKS; weeks += 1) {
      const center = start - weeks * WEEK_MS;
      let found = false;
      // An hour either way: a daylight-saving change moves the same local slot by an hour in UTC.
      for (let candidate = center - HOUR_MS; candidate <= center + HOUR_MS && !found; candidate += grid.windowMs) {
        if (!peakStarts.has(candidate)) continue;
        const other = grid.slotOf(candidate);
        found = other.dayOfWeek === keys.dayOfWeek && other.hourOfDay === keys.hourOfDay && other.quarterHour === keys.quarterHour;
      }
      if (!found) return false;
    }
    return true;
  };
  // The 24-hour average and the reference windows go by time, not by position: a gap (a window
  // no source covered) is neither a zero nor a neighbour. daySum and daySquares sum the counts of
  // timeline[dayFrom .. index - 1], the stored windows of the 24 hours before the current one.
  let dayFrom = 0;
  let daySum = 0;
  let daySquares = 0;
  let summedTo = 0;

  for (let index = series.history.length; index < timeline.length; index += 1) {
    const window = timeline[index]!;
    for (; summedTo < index; summedTo += 1) {
      daySum += timeline[summedTo]!.count;
      daySquares += timeline[summedTo]!.count ** 2;
    }
    for (; dayFrom < index && timeline[dayFrom]!.start < window.start - DAY_MS; dayFrom += 1) {
      daySum -= timeline[dayFrom]!.count;
      daySquares -= timeline[dayFrom]!.count ** 2;
    }
    const previousCount = index - dayFrom;
    const average24h = previousCount > 0 ? daySum / previousCount : 0;
    if (window.known) {
      if (window.known.isPeak) {
        plateauOf.set(window.start, window.known.plateauStart ?? window.start);
        peakStarts.add(window.start);
      }
      continue;
    }
    const keys = grid.slotOf(window.start);
    const shift = series.contributionShift?.(window.start, keys) ?? 0;
    if (!options.detect) {
      recordSample(baseline, series.namespace, keys, window.count + shift);
      continue;
    }
    const base = judgedBaseline(effectiveBaseline(baseline, series.namespace, keys, windowsPerHour), { previousCount, average24h, daySquares });
    const namespaceSpread = dispersion.value();
    const referenceWindows: WindowCount[] = [];
    for (let back = 1; back <= settings.same_day_window_count; back += 1) {
      const reference = indexOfStart.get(window.start - back * grid.windowMs);
      if (reference !== undefined && reference < index) referenceWindows.push(timeline[reference]!);
    }
    let plateauStart: number | null = null;
    for (const reference of referenceWindows) {
      const start = plateauOf.get(reference.start);
      if (start !== undefined && (plateauStart === null || start < plateauStart)) plateauStart = start;
    }
    const referenceMean = referenceWindows.length > 0 ? referenceWindows.reduce((sum, reference) => sum + reference.count, 0) / referenceWindows.length : null;
    const ratio = base.mean > 0 ? window.count / base.mean : NO_BASELINE_RATIO;
    const sameDayRatio = referenceMean === null ? null : referenceMean > 0 ? window.count / referenceMean : NO_BASELINE_RATIO;
    const requiredRatio = requiredRatioOf(base, settings);
    const spreadThreshold = upperCount(base.mean, namespaceSpread, base.samples, settings.tail_probability);
    const checks: DecisionChecks = {
      absolute: window.count >= settings.min_absolute_value,
      ratio: ratio >= requiredRatio,
      average24h: window.count >= settings.dynamic_min_multiplier * average24h,
      spread: window.count >= spreadThreshold,
      sameDay: plateauStart !== null || sameDayRatio === null ? null : sameDayRatio >= settings.same_day_min_ratio,
    };
    const isJudged = base.source !== "insufficient";
    const isPeak = isJudged && checks.absolute && checks.ratio && checks.average24h && checks.spread && checks.sameDay !== false;
    if (isPeak) {
      plateauOf.set(window.start, plateauStart ?? window.start);
      peakStarts.add(window.start);
    } else {
      plateauOf.delete(window.start);
      plateauStart = null;
    }
    const baselineValue = (isPeak ? baselineSampleOfPeak(window.count, base, namespaceSpread, isRecurring(window.start, keys)) : window.count) + shift;
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
        sameDayRatio,
        dispersion: namespaceSpread,
        spreadThreshold,
        average24h,
        referenceCounts: referenceWindows.map((reference) => reference.count),
      },
    });
    const key = slotKey(series.namespace, keys);
    const before = baseline.get(key);
    recordSample(baseline, series.namespace, keys, baselineValue);
    dispersion.replace(before, baseline.get(key));
  }
  return decisions;
}

/** The slot's (or pooled) baseline, or for a slot too young to pool, the namespace's recent level when it has MIN_RECENT_WINDOWS of the last 24 hours. */
function judgedBaseline(
  slot: EffectiveBaseline,
  recent: { previousCount: number; average24h: number; daySquares: number },
): { mean: number; stddev: number; samples: number; source: BaselineSource } {
  if (slot.source !== "insufficient") return slot;
  if (recent.previousCount < MIN_RECENT_WINDOWS) return { ...slot, source: "insufficient" };
  const { previousCount, average24h, daySquares } = recent;
  const variance = Math.max(0, (daySquares - previousCount * average24h * average24h) / (previousCount - 1));
  return { mean: average24h, stddev: Math.sqrt(variance), samples: previousCount, source: "recent" };
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
