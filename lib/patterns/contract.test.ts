import { describe, expect, it } from "vitest";
import { addDays, classifyTrend, fillDailySeries, listPatternsSchema, TREND_MIN_CHANGE, trendWindow } from "./contract";

describe("trendWindow", () => {
  it("ends with the UTC day of now and starts days - 1 before it", () => {
    expect(trendWindow(new Date("2026-03-14T23:59:00Z"), 14)).toEqual({ days: 14, from: "2026-03-01", to: "2026-03-14", previousFrom: "2026-02-15" });
  });

  it("is today alone for one day", () => {
    expect(trendWindow(new Date("2026-01-01T00:00:00Z"), 1)).toEqual({ days: 1, from: "2026-01-01", to: "2026-01-01", previousFrom: "2025-12-31" });
  });

  it("uses the UTC day, not the local one, late in the evening west of UTC", () => {
    expect(trendWindow(new Date("2026-06-30T22:00:00-05:00"), 2).to).toBe("2026-07-01");
  });
});

describe("addDays", () => {
  it("crosses month, year and leap day boundaries", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("ignores daylight saving changes (UTC days are 24 hours)", () => {
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
  });
});

describe("fillDailySeries", () => {
  it("gives one number per day, oldest first, zeros where nothing was counted", () => {
    const counts = new Map([
      ["2026-05-02", 7],
      ["2026-05-04", 3],
    ]);
    expect(fillDailySeries("2026-05-01", 5, counts)).toEqual([0, 7, 0, 3, 0]);
  });

  it("ignores counts outside the days asked for", () => {
    expect(
      fillDailySeries(
        "2026-05-01",
        2,
        new Map([
          ["2026-04-30", 9],
          ["2026-05-03", 9],
        ]),
      ),
    ).toEqual([0, 0]);
  });

  it("is all zeros without counts", () => {
    expect(fillDailySeries("2026-05-01", 3, new Map())).toEqual([0, 0, 0]);
  });
});

describe("classifyTrend", () => {
  it("calls a pattern first seen in the window new, whatever its counts", () => {
    expect(classifyTrend(500, 0, true)).toEqual({ direction: "new", current: 500, previous: 0, ratio: null, hasHistory: true });
  });

  it("calls nothing new or rising while patterns were tracked only within the window", () => {
    expect(classifyTrend(500, 0, true, false)).toEqual({ direction: "steady", current: 500, previous: 0, ratio: null, hasHistory: false });
    expect(classifyTrend(50, 0, false, false).direction).toBe("steady");
  });

  it("calls a large increase rising, with its ratio", () => {
    expect(classifyTrend(340, 120, false)).toEqual({ direction: "rising", current: 340, previous: 120, ratio: 340 / 120, hasHistory: true });
  });

  it("calls a pattern back after a silent window rising", () => {
    expect(classifyTrend(50, 0, false).direction).toBe("rising");
  });

  it("calls a large decrease falling, down to silence", () => {
    expect(classifyTrend(40, 200, false).direction).toBe("falling");
    expect(classifyTrend(0, 200, false)).toEqual({ direction: "falling", current: 0, previous: 200, ratio: 0, hasHistory: true });
  });

  it("keeps small changes steady, however large their factor", () => {
    expect(classifyTrend(3, 1, false).direction).toBe("steady");
    expect(classifyTrend(TREND_MIN_CHANGE - 1, 0, false).direction).toBe("steady");
    expect(classifyTrend(0, TREND_MIN_CHANGE - 1, false).direction).toBe("steady");
  });

  it("keeps large counts that moved by less than the factor steady", () => {
    expect(classifyTrend(1400, 1000, false).direction).toBe("steady");
    expect(classifyTrend(700, 1000, false).direction).toBe("steady");
  });

  it("is steady at exactly nothing in both windows", () => {
    expect(classifyTrend(0, 0, false)).toEqual({ direction: "steady", current: 0, previous: 0, ratio: null, hasHistory: true });
  });
});

describe("listPatternsSchema", () => {
  it("reads a query string with defaults, treating blank filters as absent", () => {
    expect(listPatternsSchema.parse({ q: "  ", namespace: "", days: "30", limit: "20" })).toEqual({
      q: undefined,
      namespace: undefined,
      errorType: undefined,
      sort: "last_seen",
      days: 30,
      limit: 20,
      offset: 0,
    });
  });

  it("refuses a trend window past 90 days and pages over 200", () => {
    expect(listPatternsSchema.safeParse({ days: 91 }).success).toBe(false);
    expect(listPatternsSchema.safeParse({ limit: 201 }).success).toBe(false);
    expect(listPatternsSchema.safeParse({ sort: "name" }).success).toBe(false);
  });
});
