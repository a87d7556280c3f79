/**
 * Welford's running mean and variance. `m2` is the sum of squared deviations from the mean;
 * the standard deviation is the sample one, sqrt(m2 / (samples − 1)), as in the system this
 * replaces: a slot has few samples (one a week), and the population deviation understates its
 * spread by 18 % at three samples.
 */
export type RunningStats = { readonly samples: number; readonly mean: number; readonly m2: number };

export const emptyStats: RunningStats = Object.freeze({ samples: 0, mean: 0, m2: 0 });

/** The stats with one more sample. */
export function addSample(stats: RunningStats, value: number): RunningStats {
  const samples = stats.samples + 1;
  const delta = value - stats.mean;
  const mean = stats.mean + delta / samples;
  return { samples, mean, m2: stats.m2 + delta * (value - mean) };
}

/** The stats of two disjoint sample sets together (Chan et al.). */
export function combineStats(left: RunningStats, right: RunningStats): RunningStats {
  if (left.samples === 0) return right;
  if (right.samples === 0) return left;
  const samples = left.samples + right.samples;
  const delta = right.mean - left.mean;
  return {
    samples,
    mean: left.mean + (delta * right.samples) / samples,
    m2: left.m2 + right.m2 + (delta * delta * left.samples * right.samples) / samples,
  };
}

export function standardDeviation(stats: RunningStats): number {
  return stats.samples < 2 ? 0 : Math.sqrt(Math.max(0, stats.m2) / (stats.samples - 1));
}

/** Stats of a list of values, folded in order. */
export function statsOf(values: Iterable<number>): RunningStats {
  let stats = emptyStats;
  for (const value of values) stats = addSample(stats, value);
  return stats;
}

/**
 * The stats without one sample that was added before (Welford run backwards). Removing every
 * sample gives the empty stats; m2 is kept from going below 0 by rounding.
 */
export function removeSample(stats: RunningStats, value: number): RunningStats {
  if (stats.samples <= 1) return emptyStats;
  const samples = stats.samples - 1;
  const mean = (stats.mean * stats.samples - value) / samples;
  return { samples, mean, m2: Math.max(0, stats.m2 - (value - mean) * (value - stats.mean)) };
}
