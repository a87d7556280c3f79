import { describe, expect, it } from "vitest";
import { formatLocalDay, formatLocalTime, groupByLocalDay, localDayOf, localDaysToRange } from "./timeline";

const PRAGUE = "Europe/Prague";

describe("groupByLocalDay", () => {
  it("groups by the local day, not the UTC one, keeping the order", () => {
    const peaks = [
      { id: 4, timestamp: "2026-11-25T09:30:00.000Z" },
      // 23:30 UTC on the 24th is 00:30 on the 25th in Prague (UTC+1 in winter).
      { id: 3, timestamp: "2026-11-24T23:30:00.000Z" },
      { id: 2, timestamp: "2026-11-24T22:45:00.000Z" },
      { id: 1, timestamp: "2026-11-24T12:15:00.000Z" },
    ];
    expect(groupByLocalDay(peaks, PRAGUE).map((group) => [group.day, group.peaks.map((peak) => peak.id)])).toEqual([
      ["2026-11-25", [4, 3]],
      ["2026-11-24", [2, 1]],
    ]);
    expect(groupByLocalDay(peaks, "UTC").map((group) => group.peaks.length)).toEqual([1, 3]);
  });

  it("gives no group for no peaks, and one group per day even when days interleave", () => {
    expect(groupByLocalDay([], PRAGUE)).toEqual([]);
    const interleaved = [{ timestamp: "2026-11-25T10:00:00.000Z" }, { timestamp: "2026-11-24T10:00:00.000Z" }, { timestamp: "2026-11-25T09:00:00.000Z" }];
    expect(groupByLocalDay(interleaved, PRAGUE).map((group) => [group.day, group.peaks.length])).toEqual([
      ["2026-11-25", 2],
      ["2026-11-24", 1],
    ]);
  });
});

describe("local days and times", () => {
  it("formats the local day and time in the timezone", () => {
    expect(localDayOf("2026-11-24T23:30:00.000Z", PRAGUE)).toBe("2026-11-25");
    expect(formatLocalTime("2026-11-24T23:30:00.000Z", PRAGUE)).toBe("00:30");
    expect(formatLocalTime("2026-07-01T12:15:00.000Z", PRAGUE)).toBe("14:15");
    expect(formatLocalDay("2026-11-24")).toBe("Tuesday 24 November 2026");
  });

  it("turns local days into the API's instants: from the first midnight to the one after the last day", () => {
    expect(localDaysToRange({ from: "2026-11-24", to: "2026-11-25" }, PRAGUE)).toEqual({ from: "2026-11-23T23:00:00.000Z", to: "2026-11-25T23:00:00.000Z" });
    expect(localDaysToRange({ to: "2026-07-01" }, PRAGUE)).toEqual({ to: "2026-07-01T22:00:00.000Z" });
    expect(localDaysToRange({}, PRAGUE)).toEqual({});
  });

  it("gives a DST day its 23 or 25 hours", () => {
    const spring = localDaysToRange({ from: "2026-03-29", to: "2026-03-29" }, PRAGUE);
    expect(Date.parse(spring.to!) - Date.parse(spring.from!)).toBe(23 * 3_600_000);
    const autumn = localDaysToRange({ from: "2026-10-25", to: "2026-10-25" }, PRAGUE);
    expect(Date.parse(autumn.to!) - Date.parse(autumn.from!)).toBe(25 * 3_600_000);
  });
});
