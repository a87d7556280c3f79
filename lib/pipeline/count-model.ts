import type { RunningStats } from "./running-stats";

/**
 * The count model behind the spread check: error counts of a slot are taken as negative
 * binomial, variance = μ + φ·μ², where φ (the over-dispersion, 1 / shape) is a property of the
 * namespace estimated from all of its slots. Poisson streams have φ ≈ 0; retries, batch jobs
 * and bursts give φ of 0.2–1 and an upper tail that a ratio alone does not respect.
 */

/** Largest over-dispersion the estimate returns (shape 0.5): beyond it the few samples say more about outliers than about the namespace. */
export const MAX_DISPERSION = 2;

/** Slots the median estimate needs; with fewer, the pooled moments of all slots are used. */
export const MIN_DISPERSION_SLOTS = 24;
/** A slot takes part in the median estimate from this mean on: below it Poisson noise swamps the spread beyond it. */
const MIN_DISPERSION_MEAN = 5;

/**
 * φ of a namespace: the median over its slots (three samples or more, mean of at least 5) of
 * (s² − μ) / μ², with each slot's sample variance s² divided by the median of its chi-square
 * distribution ((1 − 2 / 9k)³ for k degrees of freedom, Wilson–Hilferty) so that the median is
 * not biased low. The median, not the pooled moments, because a slot whose samples straddle a
 * level change (a release, an accepted new normal, a recurring spike being learnt) has a huge
 * variance that says nothing about the namespace's noise; the pooled moments
 * Σ (m2 − (n−1)·μ) / Σ (n−1)·μ² are used only for a namespace with fewer than
 * MIN_DISPERSION_SLOTS such slots. Both are 0 for a Poisson-like (or empty) namespace.
 */
export function dispersionOf(slots: Iterable<RunningStats | undefined>): number {
  return createDispersionTracker(slots).value();
}

/** One slot's part in the estimate: its share of the pooled sums, and its (s² − μ) / μ² when it takes part in the median. */
function slotPart(slot: RunningStats | undefined): { excess: number; scale: number; ratio: number | null } | null {
  if (!slot || slot.samples < 2 || slot.mean <= 0) return null;
  const freedom = slot.samples - 1;
  const ratio =
    slot.samples >= 3 && slot.mean >= MIN_DISPERSION_MEAN ? (slot.m2 / freedom / (1 - 2 / (9 * freedom)) ** 3 - slot.mean) / (slot.mean * slot.mean) : null;
  return { excess: slot.m2 - freedom * slot.mean, scale: freedom * slot.mean * slot.mean, ratio };
}

/** The index of the first element of a sorted list that is not below `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export type DispersionTracker = {
  /** A slot changed from `before` to `after` (a window was added to it or taken out). */
  replace: (before: RunningStats | undefined, after: RunningStats | undefined) => void;
  /** φ of the slots as they are now (dispersionOf's rule). */
  value: () => number;
  /** What the tracker holds, to be stored and taken up again by trackerFromState. */
  state: () => DispersionState;
};

/** Changes whenever slotPart's rule changes: a state of another version is computed again from the slots. */
export const DISPERSION_STATE_VERSION = 1;

/**
 * A tracker's content: the slots' (s² − μ) / μ² ratios, sorted, and the pooled sums as exact
 * partials (see addExact). A function of the set of slots alone, in whatever order windows
 * entered and left them, so a stored state taken up again judges exactly as the slots would.
 */
export type DispersionState = { version: number; ratios: number[]; excess: number[]; scale: number[] };

/**
 * Adds `value` to a sum kept exactly as non-overlapping partials in increasing magnitude
 * (Shewchuk's expansion, as Python's math.fsum): adding a value and later its negation leaves
 * the sum exactly as it was, whatever came between.
 */
export function addExact(partials: number[], value: number): void {
  let x = value;
  let kept = 0;
  for (let index = 0; index < partials.length; index += 1) {
    let y = partials[index]!;
    if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
    const high = x + y;
    const low = y - (high - x);
    if (low !== 0) partials[kept++] = low;
    x = high;
  }
  partials.length = kept;
  partials.push(x);
}

/** The sum of exact partials, correctly rounded (math.fsum's last step, half-even ties included). */
export function exactSum(partials: readonly number[]): number {
  let index = partials.length;
  if (index === 0) return 0;
  let high = partials[--index]!;
  let low = 0;
  while (index > 0) {
    const x = high;
    const y = partials[--index]!;
    high = x + y;
    low = y - (high - x);
    if (low !== 0) break;
  }
  if (index > 0 && ((low < 0 && partials[index - 1]! < 0) || (low > 0 && partials[index - 1]! > 0))) {
    const y = low * 2;
    const x = high + y;
    if (y === x - high) high = x;
  }
  return high;
}

/**
 * dispersionOf kept up to date as windows enter their slots, in O(slots) per change, so that each
 * window is judged with the φ of the baseline just before it, however the windows are split into
 * runs: a correction judging windows again gives exactly what a clean ingestion gave.
 */
export function createDispersionTracker(slots: Iterable<RunningStats | undefined> = []): DispersionTracker {
  const state: DispersionState = { version: DISPERSION_STATE_VERSION, ratios: [], excess: [], scale: [] };
  for (const slot of slots) {
    const part = slotPart(slot);
    if (!part) continue;
    addExact(state.excess, part.excess);
    addExact(state.scale, part.scale);
    if (part.ratio !== null) state.ratios.push(part.ratio);
  }
  state.ratios.sort((left, right) => left - right);
  return trackerOver(state);
}

/** A tracker taken up from a stored state; null when the state is not one this version writes. */
export function trackerFromState(stored: unknown): DispersionTracker | null {
  if (typeof stored !== "object" || stored === null) return null;
  const { version, ratios, excess, scale } = stored as Record<string, unknown>;
  if (version !== DISPERSION_STATE_VERSION || !isFiniteList(ratios) || !isFiniteList(excess) || !isFiniteList(scale)) return null;
  for (let index = 1; index < ratios.length; index += 1) if (ratios[index - 1]! > ratios[index]!) return null;
  return trackerOver({ version, ratios: [...ratios], excess: [...excess], scale: [...scale] });
}

function isFiniteList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === "number" && Number.isFinite(item));
}

function trackerOver(state: DispersionState): DispersionTracker {
  const { ratios, excess, scale } = state;
  const remove = (slot: RunningStats | undefined) => {
    const part = slotPart(slot);
    if (!part) return;
    addExact(excess, -part.excess);
    addExact(scale, -part.scale);
    if (part.ratio !== null) ratios.splice(lowerBound(ratios, part.ratio), 1);
  };
  const add = (slot: RunningStats | undefined) => {
    const part = slotPart(slot);
    if (!part) return;
    addExact(excess, part.excess);
    addExact(scale, part.scale);
    if (part.ratio !== null) ratios.splice(lowerBound(ratios, part.ratio), 0, part.ratio);
  };
  return {
    replace: (before, after) => {
      remove(before);
      add(after);
    },
    value: () => {
      if (ratios.length >= MIN_DISPERSION_SLOTS) {
        const middle = ratios.length >> 1;
        const median = ratios.length % 2 === 1 ? ratios[middle]! : (ratios[middle - 1]! + ratios[middle]!) / 2;
        return Math.min(MAX_DISPERSION, Math.max(0, median));
      }
      const pooledScale = exactSum(scale);
      return pooledScale > 0 ? Math.min(MAX_DISPERSION, Math.max(0, exactSum(excess) / pooledScale)) : 0;
    },
    state: () => ({ version: state.version, ratios: [...ratios], excess: [...excess], scale: [...scale] }),
  };
}

/** Variance of the next count of a slot with mean `mean` and `samples` samples: the model's variance, widened by the uncertainty of the mean itself. */
export function predictiveVariance(mean: number, dispersion: number, samples: number): number {
  const variance = mean + dispersion * mean * mean;
  return samples > 0 ? variance * (1 + 1 / samples) : variance;
}

/**
 * The count that a normal window exceeds with probability `tail`: the Wilson–Hilferty quantile
 * of the gamma distribution with the model's mean and predictive variance (the negative
 * binomial's continuous twin; errs high for tiny means, where min_absolute_value decides anyway).
 */
export function upperCount(mean: number, dispersion: number, samples: number, tail: number): number {
  if (mean <= 0) return 0;
  const variance = predictiveVariance(mean, dispersion, samples);
  const shape = (mean * mean) / variance;
  const z = normalQuantile(1 - tail);
  const cube = 1 - 1 / (9 * shape) + z * Math.sqrt(1 / (9 * shape));
  return mean * Math.max(0, cube) ** 3;
}

/** A robust upper bound of a slot's ordinary counts (mean + 2 model deviations): what a peak window may add to its baseline. */
export function ordinaryCeiling(mean: number, dispersion: number): number {
  return mean + 2 * Math.sqrt(mean + dispersion * mean * mean);
}

/**
 * Inverse of the standard normal distribution function (P. J. Acklam's rational approximation,
 * relative error below 1.2e-9 on (0, 1)).
 */
export function normalQuantile(probability: number): number {
  if (!(probability > 0 && probability < 1)) throw new RangeError(`probability must be in (0, 1), got ${probability}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (probability < low) {
    const q = Math.sqrt(-2 * Math.log(probability));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (probability > 1 - low) return -normalQuantile(1 - probability);
  const q = probability - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
