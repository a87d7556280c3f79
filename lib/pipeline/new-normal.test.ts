import { describe, expect, it } from "vitest";
import { recordSample, slotKey, type BaselineTable } from "./baseline";
import { acceptanceShifts, applyShifts, levelOffsetOf, MIN_ACCEPTANCE_WINDOWS } from "./new-normal";
import { createWindowGrid } from "./time";

const grid = createWindowGrid("UTC", 15);
const MONDAY = Date.parse("2026-01-05T00:00:00Z");
const DAY = 86_400_000;

/** Four weeks of a namespace at `level` in every slot (a quieter night: half of it from 00:00 to 06:00). */
function baselineAt(level: number): BaselineTable {
  const table: BaselineTable = new Map();
  for (const start of grid.windowsBetween(MONDAY, MONDAY + 28 * DAY)) {
    const slot = grid.slotOf(start);
    recordSample(table, "shop", slot, slot.hourOfDay < 6 ? level / 2 : level);
  }
  return table;
}

describe("levelOffsetOf", () => {
  it("is the median excess of the windows since the start over their baselines, and needs an hour of them", () => {
    const baseline = baselineAt(20);
    const since = grid
      .windowsBetween(MONDAY + 28 * DAY + 5 * 3_600_000, MONDAY + 28 * DAY + 7 * 3_600_000)
      .map((start) => ({ start, count: (grid.slotOf(start).hourOfDay < 6 ? 10 : 20) + 60 }));
    expect(levelOffsetOf(since, baseline, "shop", grid)).toBeCloseTo(60, 12);
    expect(levelOffsetOf(since.slice(0, MIN_ACCEPTANCE_WINDOWS - 1), baseline, "shop", grid)).toBeNull();
    // The incident that made the change noticed does not pull the level up.
    const withSpike = since.map((window, index) => (index < 2 ? { ...window, count: window.count + 2_000 } : window));
    expect(levelOffsetOf(withSpike, baseline, "shop", grid)).toBeCloseTo(60, 12);
  });
});

describe("acceptanceShifts and applyShifts", () => {
  it("move every slot with samples by the offset, never a mean below 0, and take it back exactly", () => {
    const baseline = baselineAt(20);
    const before = new Map(baseline);
    const shifts = acceptanceShifts(baseline, "shop", -15, 4);
    expect(shifts.size).toBe(672);
    // Night slots (mean 10) go to 0, the others to 5.
    expect(shifts.get(slotKey("shop", { dayOfWeek: 0, hourOfDay: 2, quarterHour: 0 }))).toBe(-10);
    expect(shifts.get(slotKey("shop", { dayOfWeek: 0, hourOfDay: 12, quarterHour: 0 }))).toBe(-15);
    applyShifts(baseline, shifts, 1);
    expect(baseline.get(slotKey("shop", { dayOfWeek: 0, hourOfDay: 2, quarterHour: 0 }))).toMatchObject({ mean: 0, samples: 4 });
    expect(baseline.get(slotKey("shop", { dayOfWeek: 3, hourOfDay: 12, quarterHour: 1 }))).toMatchObject({ mean: 5, samples: 4, m2: 0 });
    applyShifts(baseline, shifts, -1);
    expect(baseline).toEqual(before);
  });

  it("leave other namespaces and empty slots alone", () => {
    const baseline = baselineAt(20);
    recordSample(baseline, "other", grid.slotOf(MONDAY), 7);
    const shifts = acceptanceShifts(baseline, "quiet", 50, 4);
    expect(shifts.size).toBe(0);
    applyShifts(baseline, acceptanceShifts(baseline, "shop", 50, 4), 1);
    expect(baseline.get(slotKey("other", grid.slotOf(MONDAY)))).toMatchObject({ mean: 7, samples: 1 });
  });
});
