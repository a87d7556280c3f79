import { describe, expect, it } from "vitest";
import { recordSample, type BaselineTable } from "./baseline";
import { buildChartSeries, type ChartSeriesInput } from "./chart-series";
import { requiredRatioFor, type PeakDetectionSettings } from "./detect";
import { createWindowGrid } from "./time";

const settings: PeakDetectionSettings = {
  min_ratio_multiplier: 3,
  max_ratio_multiplier: 5,
  dynamic_min_multiplier: 2.5,
  min_absolute_value: 100,
  same_day_window_count: 3,
  same_day_min_ratio: 0,
  tail_probability: 1e-5,
};
const grid = createWindowGrid("UTC", 15);
const WINDOW = 15 * 60_000;
const DAY = 86_400_000;
// Monday 5 January 2026, 00:00 UTC.
const MONDAY = Date.parse("2026-01-05T00:00:00Z");

/** A baseline where every slot of the namespace has 5 samples: 10, 20, 30, 20, 20 (mean 20). */
function steadyBaseline(namespace: string): BaselineTable {
  const table: BaselineTable = new Map();
  for (const start of grid.windowsBetween(MONDAY, MONDAY + 7 * DAY)) {
    for (const value of [10, 20, 30, 20, 20]) recordSample(table, namespace, grid.slotOf(start), value);
  }
  return table;
}

function input(overrides: Partial<ChartSeriesInput>): ChartSeriesInput {
  return {
    namespace: "shop",
    windows: [],
    fromMs: MONDAY + 7 * DAY,
    toMs: MONDAY + 8 * DAY,
    baseline: steadyBaseline("shop"),
    grid,
    settings,
    maxPoints: 1000,
    ...overrides,
  };
}

describe("buildChartSeries", () => {
  it("gives one point per window with the slot's baseline, band and the detection threshold", () => {
    const from = MONDAY + 7 * DAY;
    const windows = grid.windowsBetween(from - DAY, from + DAY).map((start) => ({ start, count: 40 }));
    const series = buildChartSeries(input({ windows }));
    expect(series.bucketMs).toBe(WINDOW);
    expect(series.points).toHaveLength(96);
    const first = series.points[0]!;
    // The sample deviation: Σ(x − 20)² = 200 over 4 degrees of freedom.
    const stddev = Math.sqrt(200 / 4);
    expect(first).toMatchObject({ start: from, windowStart: from, count: 40, mean: 20 });
    expect(first.low).toBeCloseTo(20 - stddev);
    expect(first.high).toBeCloseTo(20 + stddev);
    // max(min_absolute_value 100, required ratio × 20, 2.5 × the 24-hour average 40) = 100.
    expect(first.threshold).toBe(Math.max(100, requiredRatioFor(20, stddev, settings) * 20, 2.5 * 40));
  });

  it("raises the threshold with the 24-hour average of the stored windows before each window", () => {
    const from = MONDAY + 7 * DAY;
    const windows = grid.windowsBetween(from - DAY, from + DAY).map((start) => ({ start, count: start < from ? 80 : 0 }));
    const series = buildChartSeries(input({ windows }));
    expect(series.points[0]!.threshold).toBe(200);
    // A day later every window of the average is a 0 of the range itself.
    expect(series.points[95]!.threshold).toBeLessThan(200);
  });

  it("marks windows that are not stored as gaps, not zeros", () => {
    const from = MONDAY + 7 * DAY;
    const series = buildChartSeries(input({ windows: [{ start: from + WINDOW, count: 7 }] }));
    expect(series.points[0]!.count).toBeNull();
    expect(series.points[1]!.count).toBe(7);
  });

  it("keeps each bucket's busiest window with that window's own lines when downsampling", () => {
    const from = MONDAY + 7 * DAY;
    const spike = from + 37 * WINDOW;
    const windows = grid.windowsBetween(from, from + DAY).map((start) => ({ start, count: start === spike ? 900 : 5 }));
    const series = buildChartSeries(input({ windows, maxPoints: 10 }));
    expect(series.points).toHaveLength(10);
    expect(series.bucketMs).toBe(10 * WINDOW);
    const bucket = series.points.find((point) => point.count === 900)!;
    expect(bucket.start).toBe(from + 30 * WINDOW);
    expect(bucket.windowStart).toBe(spike);
    expect(series.points.filter((point) => point.count === 900)).toHaveLength(1);
  });

  it("rounds the lines to hundredths and the threshold up to hundredths", () => {
    const table: BaselineTable = new Map();
    const from = MONDAY + 7 * DAY;
    // One slot with samples 10, 11, 11, 12, 13: mean 11.4, sample stddev √1.3 ≈ 1.1402.
    for (const value of [10, 11, 11, 12, 13]) recordSample(table, "shop", grid.slotOf(from), value);
    const windows = [{ start: from - WINDOW, count: 1 }];
    const precise = { ...settings, min_absolute_value: 100.0012 };
    const [point] = buildChartSeries(input({ baseline: table, windows, settings: precise, toMs: from + WINDOW })).points;
    expect(point).toMatchObject({ mean: 11.4, low: 10.26, high: 12.54, threshold: 100.01 });
  });

  it("draws the young namespace's threshold from its recent level once it has two hours of history, as detection judges it", () => {
    const from = MONDAY + 7 * DAY;
    const windows = grid.windowsBetween(from - 3 * 3_600_000, from + WINDOW).map((start) => ({ start, count: 40 }));
    const [point] = buildChartSeries(input({ baseline: new Map(), windows, toMs: from + WINDOW })).points;
    // max(min_absolute_value, max_ratio_multiplier 5 × the recent level 40, 2.5 × 40).
    expect(point).toMatchObject({ count: 40, mean: null, threshold: 200 });
  });

  it("draws no threshold and no baseline where the namespace has no history", () => {
    const series = buildChartSeries(input({ baseline: new Map(), windows: [{ start: MONDAY + 7 * DAY, count: 3 }] }));
    expect(series.points[0]).toMatchObject({ count: 3, mean: null, low: null, high: null, threshold: null });
    expect(series.expected).toBeNull();
  });

  it("totals the stored windows of the range and what the baseline expects for those same windows", () => {
    const from = MONDAY + 7 * DAY;
    // A window of the day before is history for the threshold, not part of the range's totals.
    const windows = [
      { start: from - WINDOW, count: 1000 },
      { start: from, count: 30 },
      { start: from + 5 * WINDOW, count: 0 },
    ];
    const series = buildChartSeries(input({ windows, maxPoints: 10 }));
    expect(series.errors).toBe(30);
    expect(series.windows).toBe(2);
    // Two stored windows with a mean of 20 each; the 94 windows not stored expect nothing.
    expect(series.expected).toBeCloseTo(2 * 20);
  });
});
