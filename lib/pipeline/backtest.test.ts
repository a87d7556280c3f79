import { describe, expect, it } from "vitest";
import { runBacktest, type BacktestInput, type BacktestWindow } from "./backtest";
import type { PeakDetectionSettings } from "./detect";
import { createWindowGrid } from "./time";

const grid = createWindowGrid("UTC", 15);
const WINDOW = 15 * 60_000;
const DAY = 86_400_000;
// Monday 5 January 2026, 00:00 UTC.
const MONDAY = Date.parse("2026-01-05T00:00:00Z");
const current: PeakDetectionSettings = {
  min_ratio_multiplier: 3,
  max_ratio_multiplier: 5,
  dynamic_min_multiplier: 2.5,
  min_absolute_value: 100,
  same_day_window_count: 3,
  same_day_min_ratio: 0,
  tail_probability: 1e-5,
};

// Five weeks of a steady 20 errors per window (alternating 18/22), then the last week judged.
const fromMs = MONDAY + 35 * DAY;
const toMs = fromMs + 7 * DAY;
const moderateSpike = fromMs + 2 * DAY + 40 * WINDOW; // 90 errors: 5× its slot's baseline of 18, under 100
const bigSpike = fromMs + 4 * DAY + 10 * WINDOW; // 300 errors

function windows(): BacktestWindow[] {
  return grid.windowsBetween(MONDAY, toMs).map((start, index) => ({
    start,
    count: start === moderateSpike ? 90 : start === bigSpike ? 300 : index % 2 === 0 ? 18 : 22,
  }));
}

function backtest(proposed: PeakDetectionSettings, extra: Partial<BacktestInput> = {}) {
  return runBacktest({ windows: new Map([["shop", windows()]]), fromMs, toMs, grid, current, proposed, seriesFor: new Set(), maxPoints: 100, ...extra });
}

describe("runBacktest", () => {
  it("finds the same peaks for the same thresholds", () => {
    const result = backtest(current);
    expect(result.totals).toEqual({ current: 1, proposed: 1, added: 0, removed: 0 });
    expect(result.namespaces[0]!.kept.map((peak) => peak.start)).toEqual([bigSpike]);
  });

  it("lists the windows a lower minimum adds, with their counts", () => {
    const result = backtest({ ...current, min_absolute_value: 50 });
    const shop = result.namespaces[0]!;
    expect(shop.added).toEqual([{ start: moderateSpike, count: 90, severity: "medium", isContinuation: false }]);
    expect(shop.removed).toEqual([]);
    expect(result.totals).toEqual({ current: 1, proposed: 2, added: 1, removed: 0 });
  });

  it("lists the peaks stricter thresholds remove", () => {
    const result = backtest({ ...current, min_absolute_value: 400 });
    expect(result.namespaces[0]!.removed.map((peak) => peak.start)).toEqual([bigSpike]);
    expect(result.totals.proposed).toBe(0);
  });

  it("judges only the range: warm-up windows are never reported", () => {
    const result = backtest({ ...current, min_absolute_value: 0, min_ratio_multiplier: 1, max_ratio_multiplier: 1, dynamic_min_multiplier: 0 });
    for (const peak of [...result.namespaces[0]!.added, ...result.namespaces[0]!.kept]) {
      expect(peak.start).toBeGreaterThanOrEqual(fromMs);
      expect(peak.start).toBeLessThan(toMs);
    }
  });

  it("returns a downsampled series with both thresholds for the namespaces asked for", () => {
    const result = backtest({ ...current, min_absolute_value: 50 }, { seriesFor: new Set(["shop"]), maxPoints: 100 });
    const series = result.series.get("shop")!;
    expect(series.points.length).toBeLessThanOrEqual(100);
    expect(series.bucketMs).toBe(Math.ceil((7 * 96) / 100) * WINDOW);
    const spike = series.points.find((point) => point.windowStart === moderateSpike)!;
    expect(spike.count).toBe(90);
    expect(spike.currentThreshold).toBe(100);
    expect(spike.proposedThreshold).toBeLessThan(90);
  });
});
