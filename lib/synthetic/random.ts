/**
 * A seeded pseudo-random source for deterministic data (lib/pipeline never calls Math.random).
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counter, 128-bit state, passes
 * PractRand), seeded by expanding a 32-bit seed with splitmix32. The same seed gives the same
 * sequence on every platform: all arithmetic is 32-bit integer arithmetic.
 */

export type Random = {
  /** Uniform in [0, 1), 32 bits of precision. */
  next: () => number;
  /** Uniform in [min, max). */
  uniform: (min: number, max: number) => number;
  /** Uniform integer in [min, max], both inclusive. */
  integer: (min: number, max: number) => number;
  /** True with probability p. */
  chance: (p: number) => boolean;
  /** One element, uniformly; throws on an empty list. */
  pick: <T>(items: readonly T[]) => T;
  /** One element with probability proportional to its weight; throws when no weight is positive. */
  weightedPick: <T>(items: readonly T[], weightOf: (item: T) => number) => T;
  /** Normal (Box–Muller). */
  normal: (mean?: number, stddev?: number) => number;
  /** Log-uniform in [min, max): every order of magnitude equally likely. */
  logUniform: (min: number, max: number) => number;
  /** Gamma with the given shape and scale (mean shape × scale), Marsaglia–Tsang. */
  gamma: (shape: number, scale: number) => number;
  /** Poisson: Knuth's multiplication method below λ = 30, a rounded normal approximation above. */
  poisson: (lambda: number) => number;
  /**
   * Negative binomial as a gamma–Poisson mixture with mean `mean` and dispersion `shape`:
   * variance = mean + mean² / shape (smaller shape, noisier counts).
   */
  negativeBinomial: (mean: number, shape: number) => number;
  /** `length` lowercase hexadecimal digits. */
  hex: (length: number) => string;
  /** A new, independent stream derived from this one's seed and a label (does not advance this one). */
  fork: (label: string | number) => Random;
};

const POISSON_KNUTH_LIMIT = 30;

/** 32-bit FNV-1a of a string, finished with murmur3's avalanche step. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return fmix32(hash);
}

function fmix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A 32-bit seed from any parts (numbers and strings), e.g. `seedOf(seed, "day", "2026-01-15")`. */
export function seedOf(...parts: readonly (string | number)[]): number {
  return hashString(parts.map(String).join("\u001f"));
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const HEX_DIGITS = "0123456789abcdef";

/** A random source seeded with a number (any integer; only its low 32 bits after hashing matter) or a string. */
export function createRandom(seed: number | string): Random {
  const seed32 = typeof seed === "string" ? hashString(seed) : seedOf("n", seed);
  const expand = splitmix32(seed32);
  let a = expand();
  let b = expand();
  let c = expand();
  let d = expand();
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up: the first outputs of sfc32 are correlated with the seed.
  for (let round = 0; round < 12; round += 1) nextUint32();

  const next = () => nextUint32() / 4_294_967_296;
  let spareNormal: number | null = null;

  const standardNormal = (): number => {
    if (spareNormal !== null) {
      const value = spareNormal;
      spareNormal = null;
      return value;
    }
    let u = next();
    while (u === 0) u = next();
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };

  const gamma = (shape: number, scale: number): number => {
    if (!(shape > 0) || !(scale > 0)) throw new RangeError(`gamma needs a positive shape and scale, got ${shape}, ${scale}`);
    if (shape < 1) {
      // Boost: Gamma(k) = Gamma(k + 1) · U^(1/k).
      let u = next();
      while (u === 0) u = next();
      return gamma(shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    const d3 = shape - 1 / 3;
    const c3 = 1 / Math.sqrt(9 * d3);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = standardNormal();
        v = 1 + c3 * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * x * x * x * x) return d3 * v * scale;
      if (Math.log(u) < 0.5 * x * x + d3 * (1 - v + Math.log(v))) return d3 * v * scale;
    }
  };

  const poisson = (lambda: number): number => {
    if (!(lambda > 0)) return 0;
    if (lambda < POISSON_KNUTH_LIMIT) {
      const limit = Math.exp(-lambda);
      let count = 0;
      let product = next();
      while (product > limit) {
        count += 1;
        product *= next();
      }
      return count;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * standardNormal()));
  };

  const random: Random = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    integer: (min, max) => {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new RangeError(`integer needs integer bounds min ≤ max, got ${min}, ${max}`);
      return min + Math.floor(next() * (max - min + 1));
    },
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[Math.floor(next() * items.length)] as T;
    },
    weightedPick: <T>(items: readonly T[], weightOf: (item: T) => number): T => {
      let total = 0;
      for (const item of items) total += Math.max(0, weightOf(item));
      if (!(total > 0)) throw new RangeError("weightedPick needs at least one positive weight");
      let target = next() * total;
      let last: T | undefined;
      for (const item of items) {
        const weight = Math.max(0, weightOf(item));
        if (weight <= 0) continue;
        last = item;
        if (target < weight) return item;
        target -= weight;
      }
      return last as T;
    },
    normal: (mean = 0, stddev = 1) => mean + stddev * standardNormal(),
    logUniform: (min, max) => {
      if (!(min > 0) || !(max >= min)) throw new RangeError(`logUniform needs 0 < min ≤ max, got ${min}, ${max}`);
      return min * Math.exp(Math.log(max / min) * next());
    },
    gamma,
    poisson,
    negativeBinomial: (mean, shape) => (mean > 0 ? poisson(gamma(shape, mean / shape)) : 0),
    hex: (length) => {
      let text = "";
      while (text.length < length) {
        let word = nextUint32();
        for (let digit = 0; digit < 8 && text.length < length; digit += 1) {
          text += HEX_DIGITS[word & 15];
          word >>>= 4;
        }
      }
      return text;
    },
    fork: (label) => createRandom(seedOf("fork", seed32, label)),
  };
  return random;
}
