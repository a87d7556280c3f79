import { describe, expect, it } from "vitest";
import { sparklineColumns, sparklinePoints, type SparklinePoint } from "./contract";

const BUCKET = 30 * 60_000;
const START = Date.UTC(2026, 11, 1, 12);

describe("sparkline columns", () => {
  it("gives back the points they were made of, the missing values included", () => {
    const points: SparklinePoint[] = [
      { start: START, count: null, mean: 1.5, low: 0.5, high: 2.5 },
      { start: START + BUCKET, count: 12, mean: null, low: null, high: null },
      { start: START + 2 * BUCKET, count: 0, mean: 0, low: 0, high: 0.25 },
    ];
    const columns = sparklineColumns(points, START, BUCKET);
    expect(columns).toEqual({ start: START, bucketMs: BUCKET, count: [null, 12, 0], mean: [1.5, null, 0], low: [0.5, null, 0], high: [2.5, null, 0.25] });
    expect(sparklinePoints(columns)).toEqual(points);
  });

  it("refuses points that are not one bucket apart from the start", () => {
    const points: SparklinePoint[] = [
      { start: START, count: 1, mean: null, low: null, high: null },
      { start: START + 2 * BUCKET, count: 2, mean: null, low: null, high: null },
    ];
    expect(() => sparklineColumns(points, START, BUCKET)).toThrow(/point 1 starts at/);
    expect(() => sparklineColumns(points.slice(0, 1), START - BUCKET, BUCKET)).toThrow(/point 0/);
  });

  it("draws nothing from empty columns", () => {
    expect(sparklinePoints({ start: START, bucketMs: BUCKET, count: [], mean: [], low: [], high: [] })).toEqual([]);
  });
});
