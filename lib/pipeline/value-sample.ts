/**
 * Why messages were grouped: a bounded sample of the values seen at each wildcard of a pattern's
 * template, with counts, so that an analyst sees when one host or one customer is behind a spike.
 *
 * Memory is bounded whatever the traffic:
 * - per (window, pattern), at most MAX_SAMPLED_HEADLINES headlines are kept while the window is
 *   investigated, a uniform sample of the pattern's messages in the window (pickSample). Values are read from them only at store time, with the final
 *   template, since a template may gain wildcards or trailing details while a period is read;
 * - per wildcard, a Misra–Gries summary keeps at most VALUE_SKETCH_CAPACITY values. Counts are
 *   lower bounds: a value's true count exceeds the kept one by at most others ÷ (capacity + 1),
 *   and a value holding more than 1 ÷ (capacity + 1) of the errors is always kept. What is not
 *   kept is in `others`, so kept counts plus others always equal the total. Summaries merge
 *   (counts add, then the same reduction), so windows and runs fold into one per pattern.
 *
 * Counts are estimated errors (a sampled headline stands for its share of the pattern's count in
 * the window, scaled like the pattern counts), hence fractional; pages round them.
 */
import { wildcardValues } from "./pattern-values";
import { WILDCARD } from "./patterns";

/** Values kept per wildcard; a page shows the first few. */
export const VALUE_SKETCH_CAPACITY = 16;
/**
 * Headlines kept per (window, pattern) to read values from. A period's investigations are held
 * until they are stored, so this bounds what tracking keeps beyond the counts: at most this many
 * headlines per pattern and window, never more than the documents read. 100 puts a share within
 * about ±10 points of the window's (95 %), and windows add up.
 */
export const MAX_SAMPLED_HEADLINES = 100;

export type ValueCount = { value: string; count: number };
/** The values of one wildcard: the kept ones, most first (then by value), and the count of all others. */
export type ValueSketch = { values: ValueCount[]; others: number };
/** The values at each wildcard of `template`, in order; `total` is the errors they stand for. */
export type WildcardSample = { template: string; total: number; positions: ValueSketch[] };
/** Headlines of one pattern in one window, each standing for `weight` errors. */
export type HeadlineGroup = { headlines: readonly string[]; weight: number };

/**
 * At most `max` of `items`, in their order, chosen by a shuffle seeded with the list's length:
 * the same input gives the same sample (the core draws no random numbers), and unlike a fixed
 * stride it cannot fall in step with messages that repeat every few lines.
 */
export function pickSample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  if (max <= 0) return [];
  const indices = Array.from(items, (_, index) => index);
  const next = mulberry32(items.length);
  for (let index = 0; index < max; index += 1) {
    const other = index + Math.floor(next() * (indices.length - index));
    [indices[index], indices[other]] = [indices[other]!, indices[index]!];
  }
  return indices
    .slice(0, max)
    .sort((left, right) => left - right)
    .map((index) => items[index]!);
}

/** A small seeded generator of numbers in [0, 1) (mulberry32). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function byCountThenValue(left: ValueCount, right: ValueCount): number {
  return right.count - left.count || (left.value < right.value ? -1 : left.value > right.value ? 1 : 0);
}

/**
 * The Misra–Gries reduction of exact counts to at most `capacity` values: when more are held,
 * the (capacity + 1)-th largest count is taken from every value, values left at zero or less are
 * dropped, and all that was taken goes to `others`.
 */
export function reduceCounts(counts: ReadonlyMap<string, number>, others: number, capacity = VALUE_SKETCH_CAPACITY): ValueSketch {
  const values = [...counts].map(([value, count]) => ({ value, count })).sort(byCountThenValue);
  if (values.length <= capacity) return { values, others };
  const cut = values[capacity]!.count;
  let taken = 0;
  const kept: ValueCount[] = [];
  for (const entry of values) {
    taken += Math.min(entry.count, cut);
    if (entry.count > cut) kept.push({ value: entry.value, count: entry.count - cut });
  }
  return { values: kept, others: others + taken };
}

/** Several summaries of one wildcard as one (counts added, then reduced). */
export function mergeSketches(sketches: readonly ValueSketch[], capacity = VALUE_SKETCH_CAPACITY): ValueSketch {
  const counts = new Map<string, number>();
  let others = 0;
  for (const sketch of sketches) {
    others += sketch.others;
    for (const { value, count } of sketch.values) counts.set(value, (counts.get(value) ?? 0) + count);
  }
  return reduceCounts(counts, others, capacity);
}

/** How many wildcards a template has. */
export function countWildcards(template: string): number {
  return template.split(WILDCARD).length - 1;
}

/**
 * The values at each wildcard of `template` in the sampled headlines. A headline that does not
 * fit the template (it lacks details the template gained since) is left out of the total.
 */
export function sampleWildcardValues(template: string, groups: readonly HeadlineGroup[], capacity = VALUE_SKETCH_CAPACITY): WildcardSample {
  const wildcards = countWildcards(template);
  const counts = Array.from({ length: wildcards }, () => new Map<string, number>());
  let total = 0;
  for (const { headlines, weight } of groups) {
    for (const headline of headlines) {
      const values = wildcardValues(template, headline);
      if (values === null || values.length !== wildcards) continue;
      total += weight;
      values.forEach((value, index) => counts[index]!.set(value, (counts[index]!.get(value) ?? 0) + weight));
    }
  }
  return { template, total, positions: counts.map((position) => reduceCounts(position, 0, capacity)) };
}

/** The sample with at most `count` values per wildcard, the rest added to its others (what a peak keeps of its window). */
export function keepTopValues(sample: WildcardSample, count: number): WildcardSample {
  return {
    ...sample,
    positions: sample.positions.map((position) => ({
      values: position.values.slice(0, count),
      others: position.others + position.values.slice(count).reduce((sum, entry) => sum + entry.count, 0),
    })),
  };
}

/**
 * A sample taken under an older template, re-keyed to the current one; null when its positions
 * cannot be placed. The older template is read as a message of the new one: a new wildcard that
 * stands for exactly one old wildcard takes its values; one that stands for literal text of the
 * old template (two siblings merged there) had that text in every error; one that stands for a
 * mix of both cannot be told apart, and neither can a template the old one does not fit.
 */
export function rekeyWildcardSample(sample: WildcardSample, template: string): WildcardSample | null {
  if (sample.template === template) return sample;
  if (sample.positions.length !== countWildcards(sample.template)) return null;
  const read = wildcardValues(template, sample.template);
  if (read === null) return null;
  const positions: ValueSketch[] = [];
  let old = 0;
  for (const text of read) {
    const inside = countWildcards(text);
    if (inside === 0) {
      positions.push({ values: sample.total > 0 ? [{ value: text, count: sample.total }] : [], others: 0 });
      continue;
    }
    if (text !== WILDCARD) return null;
    positions.push(sample.positions[old]!);
    old += 1;
  }
  // Every old wildcard must have found its place, or a value would sit under the wrong one.
  if (old !== sample.positions.length) return null;
  return { template, total: sample.total, positions };
}

/**
 * The stored sample and a new one as one, under the new one's template. A stored sample that
 * cannot be re-keyed to it is dropped: values are never shown under the wrong wildcard.
 */
export function mergeWildcardSamples(stored: WildcardSample | null, added: WildcardSample, capacity = VALUE_SKETCH_CAPACITY): WildcardSample {
  const base = stored === null ? null : rekeyWildcardSample(stored, added.template);
  if (base === null) return added;
  return {
    template: added.template,
    total: base.total + added.total,
    positions: added.positions.map((position, index) => mergeSketches([base.positions[index]!, position], capacity)),
  };
}
