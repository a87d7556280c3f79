import { describe, expect, it } from "vitest";
import { addSample, combineStats, emptyStats, removeSample, standardDeviation, statsOf } from "./running-stats";

describe("running stats", () => {
  it("match the textbook mean and sample standard deviation", () => {
    const stats = statsOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(stats.samples).toBe(8);
    expect(stats.mean).toBe(5);
    // Σ(x − 5)² = 32 over 8 − 1 degrees of freedom.
    expect(standardDeviation(stats)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(standardDeviation(statsOf([7]))).toBe(0);
  });

  it("are identical whether added one by one or recomputed from the same values in the same order", () => {
    const values = Array.from({ length: 500 }, (_, index) => ((index * 7919) % 613) / 3);
    let incremental = emptyStats;
    for (const value of values) incremental = addSample(incremental, value);
    expect(incremental).toEqual(statsOf(values));
  });

  it("combine two sample sets into the stats of their union", () => {
    const left = [12, 15, 11, 30, 0];
    const right = [7, 7, 9, 120];
    const combined = combineStats(statsOf(left), statsOf(right));
    const direct = statsOf([...left, ...right]);
    expect(combined.samples).toBe(direct.samples);
    expect(combined.mean).toBeCloseTo(direct.mean, 12);
    expect(combined.m2).toBeCloseTo(direct.m2, 9);
  });

  it("treat the empty set as neutral", () => {
    const stats = statsOf([3, 4]);
    expect(combineStats(emptyStats, stats)).toBe(stats);
    expect(combineStats(stats, emptyStats)).toBe(stats);
    expect(standardDeviation(emptyStats)).toBe(0);
  });
});

describe("removeSample", () => {
  it("takes back a sample added in any position, as if it had never been added", () => {
    const values = [3, 17, 4, 250, 9, 0, 12];
    const without = [3, 17, 4, 9, 0, 12];
    const removed = removeSample(statsOf(values), 250);
    const clean = statsOf(without);
    expect(removed.samples).toBe(clean.samples);
    expect(removed.mean).toBeCloseTo(clean.mean, 10);
    expect(removed.m2).toBeCloseTo(clean.m2, 6);
  });

  it("gives the empty stats when the last sample goes", () => {
    expect(removeSample(statsOf([42]), 42)).toEqual(emptyStats);
  });

  it("never leaves a negative m2 after rounding", () => {
    const stats = statsOf([5, 5, 5]);
    expect(removeSample(stats, 5).m2).toBeGreaterThanOrEqual(0);
  });
});
