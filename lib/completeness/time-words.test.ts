import { describe, expect, it } from "vitest";
import { formatInstantNear, formatRangeNear, formatSpan } from "./time-words";

const MINUTE = 60_000;

describe("formatSpan", () => {
  it("writes minutes under an hour", () => {
    expect(formatSpan(0)).toBe("0 min");
    expect(formatSpan(52 * MINUTE)).toBe("52 min");
    expect(formatSpan(59 * MINUTE + 29_000)).toBe("59 min");
  });

  it("writes hours with their minutes under ten hours, whole hours up to two days, days and hours beyond", () => {
    expect(formatSpan(60 * MINUTE)).toBe("1 h");
    expect(formatSpan(80 * MINUTE)).toBe("1 h 20 min");
    expect(formatSpan(10 * 60 * MINUTE + 20 * MINUTE)).toBe("10 h");
    expect(formatSpan(26 * 60 * MINUTE)).toBe("26 h");
    expect(formatSpan(3 * 24 * 60 * MINUTE)).toBe("3 days");
    expect(formatSpan((2 * 24 + 18) * 60 * MINUTE)).toBe("2 days 18 h");
    // 47 h 40 min rounds to 48 h: two days, not "48 h".
    expect(formatSpan((47 * 60 + 40) * MINUTE)).toBe("2 days");
  });

  it("never writes a negative length (a clock slightly behind the data)", () => {
    expect(formatSpan(-5 * MINUTE)).toBe("0 min");
  });
});

describe("formatInstantNear", () => {
  // 10:42 in Prague (UTC+1 in February).
  const now = Date.parse("2027-02-01T09:50:00Z");

  it("gives the local time of day on the same local day", () => {
    expect(formatInstantNear(Date.parse("2027-02-01T09:42:00Z"), now, "Europe/Prague")).toBe("10:42");
    expect(formatInstantNear(Date.parse("2027-02-01T09:42:00Z"), now, "UTC")).toBe("09:42");
  });

  it("adds the date on another local day of the year, and the year beyond it", () => {
    // 23:30 UTC on 31 January is 00:30 on 1 February in Prague: the same day there.
    expect(formatInstantNear(Date.parse("2027-01-31T23:30:00Z"), now, "Europe/Prague")).toBe("00:30");
    expect(formatInstantNear(Date.parse("2027-01-31T23:30:00Z"), now, "UTC")).toBe("31 Jan, 23:30");
    expect(formatInstantNear(Date.parse("2026-12-31T10:00:00Z"), now, "UTC")).toBe("31 Dec 2026, 10:00");
  });
});

describe("formatRangeNear", () => {
  const now = Date.parse("2027-02-01T12:00:00Z");

  it("writes a range within one day with one date, and one across days with both", () => {
    expect(formatRangeNear(Date.parse("2027-02-01T02:00:00Z"), Date.parse("2027-02-01T04:15:00Z"), now, "UTC")).toBe("02:00–04:15");
    expect(formatRangeNear(Date.parse("2027-01-30T23:00:00Z"), Date.parse("2027-01-31T01:00:00Z"), now, "UTC")).toBe("30 Jan, 23:00 – 31 Jan, 01:00");
  });

  it("ends a range at midnight on its first day (the end is exclusive)", () => {
    expect(formatRangeNear(Date.parse("2027-01-31T22:00:00Z"), Date.parse("2027-02-01T00:00:00Z"), now, "UTC")).toBe("31 Jan, 22:00–00:00");
  });
});
