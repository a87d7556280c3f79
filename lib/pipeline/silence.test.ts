import { describe, expect, it } from "vitest";
import { recordSample, type BaselineTable } from "./baseline";
import { findSilentNamespaces } from "./silence";
import { createWindowGrid } from "./time";

const grid = createWindowGrid("UTC", 15);
const W = 900_000;
const MONDAY_NOON = Date.parse("2026-01-05T12:00:00Z");

/** A baseline where every slot of the namespace has seen `mean` errors for four weeks. */
function usual(namespace: string, mean: number): BaselineTable {
  const table: BaselineTable = new Map();
  for (let week = 0; week < 4; week += 1) {
    for (let start = MONDAY_NOON - 24 * 3_600_000; start < MONDAY_NOON + 3_600_000; start += W) recordSample(table, namespace, grid.slotOf(start), mean);
  }
  return table;
}

const windowsEndingAtNoon = (counts: number[]) => counts.map((count, index) => ({ start: MONDAY_NOON - (counts.length - index) * W, count }));

describe("findSilentNamespaces", () => {
  it("finds a namespace whose last windows are read and empty where its baselines expect errors", () => {
    const silent = findSilentNamespaces([{ namespace: "payments", windows: windowsEndingAtNoon([40, 38, 0, 0, 0, 0, 0]) }], usual("payments", 40), grid, {
      untilMs: MONDAY_NOON,
      windowCount: 4,
    });
    expect(silent).toEqual([{ namespace: "payments", sinceMs: MONDAY_NOON - 5 * W, expected: 160 }]);
  });

  it("does not call a namespace silent that is usually quiet then", () => {
    expect(
      findSilentNamespaces([{ namespace: "batch", windows: windowsEndingAtNoon([0, 0, 0, 0, 0]) }], usual("batch", 0.5), grid, {
        untilMs: MONDAY_NOON,
        windowCount: 4,
      }),
    ).toEqual([]);
  });

  it("does not call a gap silence: only stored windows count", () => {
    const windows = windowsEndingAtNoon([0, 0, 0, 0, 0]).filter((_, index) => index !== 3);
    expect(findSilentNamespaces([{ namespace: "payments", windows }], usual("payments", 40), grid, { untilMs: MONDAY_NOON, windowCount: 4 })).toEqual([]);
  });

  it("needs the whole run of windows: three quiet windows are not four", () => {
    expect(
      findSilentNamespaces([{ namespace: "payments", windows: windowsEndingAtNoon([40, 0, 0, 0]) }], usual("payments", 40), grid, {
        untilMs: MONDAY_NOON,
        windowCount: 4,
      }),
    ).toEqual([]);
  });

  it("does not judge a namespace without enough history", () => {
    expect(
      findSilentNamespaces([{ namespace: "new", windows: windowsEndingAtNoon([0, 0, 0, 0]) }], new Map(), grid, { untilMs: MONDAY_NOON, windowCount: 4 }),
    ).toEqual([]);
  });
});
