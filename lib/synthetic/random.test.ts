import { describe, expect, it } from "vitest";
import { createRandom, hashString, seedOf } from "./random";

function sample(count: number, draw: () => number): number[] {
  return Array.from({ length: count }, draw);
}

function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, variance };
}

describe("createRandom", () => {
  it("gives the same sequence for the same seed", () => {
    const first = createRandom(42);
    const second = createRandom(42);
    expect(sample(100, first.next)).toEqual(sample(100, second.next));
  });

  it("gives different sequences for different seeds, including neighbouring ones", () => {
    expect(sample(10, createRandom(1).next)).not.toEqual(sample(10, createRandom(2).next));
    expect(sample(10, createRandom("a").next)).not.toEqual(sample(10, createRandom("b").next));
  });

  it("keeps next() in [0, 1) with a mean near one half", () => {
    const values = sample(20_000, createRandom(7).next);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(meanAndVariance(values).mean).toBeCloseTo(0.5, 1);
  });

  it("draws integers in the inclusive range and reaches both ends", () => {
    const random = createRandom(3);
    const values = sample(5_000, () => random.integer(-2, 2));
    expect(new Set(values)).toEqual(new Set([-2, -1, 0, 1, 2]));
  });

  it("rejects an empty range or non-integer bounds for integer()", () => {
    const random = createRandom(3);
    expect(() => random.integer(5, 4)).toThrow(RangeError);
    expect(() => random.integer(0.5, 4)).toThrow(RangeError);
  });

  it("picks every element of a list and refuses an empty list", () => {
    const random = createRandom(5);
    const picked = new Set(Array.from({ length: 1_000 }, () => random.pick(["a", "b", "c"])));
    expect(picked.size).toBe(3);
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it("picks in proportion to the weights and never picks a zero weight", () => {
    const random = createRandom(6);
    const items = [
      { name: "never", weight: 0 },
      { name: "rare", weight: 1 },
      { name: "often", weight: 9 },
    ];
    const names = Array.from({ length: 10_000 }, () => random.weightedPick(items, (item) => item.weight).name);
    const often = names.filter((name) => name === "often").length / names.length;
    expect(names).not.toContain("never");
    expect(often).toBeGreaterThan(0.87);
    expect(often).toBeLessThan(0.93);
    expect(() => random.weightedPick(items, () => 0)).toThrow(RangeError);
  });

  it("draws normals with the requested mean and standard deviation", () => {
    const random = createRandom(8);
    const { mean, variance } = meanAndVariance(sample(20_000, () => random.normal(10, 3)));
    expect(mean).toBeCloseTo(10, 0);
    expect(Math.sqrt(variance)).toBeGreaterThan(2.85);
    expect(Math.sqrt(variance)).toBeLessThan(3.15);
  });

  it("draws Poisson counts with variance equal to the mean, for small λ (Knuth)", () => {
    const random = createRandom(9);
    const { mean, variance } = meanAndVariance(sample(20_000, () => random.poisson(4)));
    expect(mean).toBeGreaterThan(3.9);
    expect(mean).toBeLessThan(4.1);
    expect(variance).toBeGreaterThan(3.7);
    expect(variance).toBeLessThan(4.3);
  });

  it("draws Poisson counts with variance equal to the mean, for large λ (normal approximation)", () => {
    const random = createRandom(10);
    const values = sample(20_000, () => random.poisson(400));
    const { mean, variance } = meanAndVariance(values);
    expect(values.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
    expect(mean).toBeGreaterThan(398);
    expect(mean).toBeLessThan(402);
    expect(variance).toBeGreaterThan(370);
    expect(variance).toBeLessThan(430);
  });

  it("returns 0 for a Poisson λ of 0 or less", () => {
    const random = createRandom(11);
    expect(random.poisson(0)).toBe(0);
    expect(random.poisson(-3)).toBe(0);
  });

  it("draws gamma values with mean shape × scale, also for a shape below 1", () => {
    const random = createRandom(12);
    expect(meanAndVariance(sample(20_000, () => random.gamma(3, 2))).mean).toBeCloseTo(6, 0);
    expect(meanAndVariance(sample(20_000, () => random.gamma(0.5, 2))).mean).toBeCloseTo(1, 0);
    expect(() => random.gamma(0, 1)).toThrow(RangeError);
  });

  it("draws negative binomial counts that are overdispersed: variance ≈ mean + mean² / shape", () => {
    const random = createRandom(13);
    const { mean, variance } = meanAndVariance(sample(30_000, () => random.negativeBinomial(50, 4)));
    expect(mean).toBeGreaterThan(48);
    expect(mean).toBeLessThan(52);
    // Poisson would give 50; the mixture gives 50 + 2500 / 4 = 675.
    expect(variance).toBeGreaterThan(550);
    expect(variance).toBeLessThan(800);
  });

  it("draws log-uniform values inside the range, half of them below the geometric mean", () => {
    const random = createRandom(14);
    const values = sample(10_000, () => random.logUniform(4, 64));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...values)).toBeLessThan(64);
    const belowMiddle = values.filter((value) => value < 16).length / values.length;
    expect(belowMiddle).toBeGreaterThan(0.47);
    expect(belowMiddle).toBeLessThan(0.53);
  });

  it("writes hex strings of the requested length", () => {
    const random = createRandom(15);
    expect(random.hex(32)).toMatch(/^[0-9a-f]{32}$/);
    expect(random.hex(5)).toMatch(/^[0-9a-f]{5}$/);
    expect(random.hex(32)).not.toBe(random.hex(32));
  });

  it("forks independent, reproducible streams without advancing the parent", () => {
    const parent = createRandom(16);
    const twin = createRandom(16);
    const forkA = parent.fork("a");
    expect(parent.next()).toBe(twin.next());
    expect(sample(5, forkA.next)).toEqual(sample(5, createRandom(16).fork("a").next));
    expect(sample(5, createRandom(16).fork("a").next)).not.toEqual(sample(5, createRandom(16).fork("b").next));
  });
});

describe("seeds", () => {
  it("hash strings to unsigned 32-bit integers, differently for different strings", () => {
    const first = hashString("payments");
    expect(Number.isInteger(first) && first >= 0 && first < 2 ** 32).toBe(true);
    expect(hashString("payments")).toBe(first);
    expect(hashString("payment")).not.toBe(first);
  });

  it("derive a seed from parts, so that part boundaries matter", () => {
    expect(seedOf(1, "day", "2026-01-15")).toBe(seedOf(1, "day", "2026-01-15"));
    expect(seedOf("ab", "c")).not.toBe(seedOf("a", "bc"));
  });
});
