import { describe, expect, it } from "vitest";
import { addSample, combineStats, emptyStats, standardDeviation, statsOf } from "./running-stats";

describe("running stats", () => {
  it("match the textbook mean and population standard deviation", () => {
    const stats = statsOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(stats.samples).toBe(8);
    expect(stats.mean).toBe(5);
    expect(standardDeviation(stats)).toBe(2);
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
