import { describe, expect, it } from "vitest";
import { describeSeriesGap, summarizeSeriesGaps } from "./series-gaps";

const WINDOW = 15 * 60_000;
const at = (iso: string) => Date.parse(iso);

describe("describeSeriesGap", () => {
  it("writes a gap within one day with its length and windows", () => {
    expect(describeSeriesGap({ from: at("2026-11-27T02:00:00Z"), to: at("2026-11-27T04:15:00Z"), windows: 9 }, "UTC")).toBe(
      "27 Nov 2026, 02:00–04:15 (2 h 15 min, 9 windows without data)",
    );
  });

  it("writes a gap across days with both dates, and one ending at midnight on its own day", () => {
    expect(describeSeriesGap({ from: at("2026-11-26T23:00:00Z"), to: at("2026-11-27T01:00:00Z"), windows: 8 }, "UTC")).toBe(
      "26 Nov 2026, 23:00 – 27 Nov 2026, 01:00 (2 h, 8 windows without data)",
    );
    expect(describeSeriesGap({ from: at("2026-11-26T23:45:00Z"), to: at("2026-11-27T00:00:00Z"), windows: 1 }, "UTC")).toBe(
      "26 Nov 2026, 23:45–00:00 (15 min, 1 window without data)",
    );
  });

  it("uses the configured timezone", () => {
    expect(describeSeriesGap({ from: at("2026-11-27T02:00:00Z"), to: at("2026-11-27T02:15:00Z"), windows: 1 }, "Europe/Prague")).toBe(
      "27 Nov 2026, 03:00–03:15 (15 min, 1 window without data)",
    );
  });
});

describe("summarizeSeriesGaps", () => {
  it("is null without gaps, and sums their length otherwise", () => {
    expect(summarizeSeriesGaps([])).toBeNull();
    expect(summarizeSeriesGaps([{ from: 0, to: WINDOW, windows: 1 }])).toBe("no data for 15 min in 1 gap");
    expect(
      summarizeSeriesGaps([
        { from: 0, to: 4 * WINDOW, windows: 4 },
        { from: 10 * WINDOW, to: 14 * WINDOW, windows: 4 },
      ]),
    ).toBe("no data for 2 h in 2 gaps");
  });
});
