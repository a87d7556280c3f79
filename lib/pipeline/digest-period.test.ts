import { describe, expect, it } from "vitest";
import { digestPeriodMinutes, digestPeriodOf, isDigestDue, isIsoDate, localInstantOf, newestDueDigestDate, shiftIsoDate } from "./digest-period";
import { createWindowGrid } from "./time";

const prague = createWindowGrid("Europe/Prague", 15);
const utc = createWindowGrid("UTC", 15);
const iso = (ms: number) => new Date(ms).toISOString();

describe("isIsoDate and shiftIsoDate", () => {
  it("takes real calendar dates only", () => {
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("2026-1-01")).toBe(false);
    expect(isIsoDate("yesterday")).toBe(false);
  });

  it("moves across months and years", () => {
    expect(shiftIsoDate("2026-03-01", -1)).toBe("2026-02-28");
    expect(shiftIsoDate("2026-12-31", 1)).toBe("2027-01-01");
  });
});

describe("localInstantOf", () => {
  it("reads a winter and a summer time with their offsets", () => {
    expect(iso(localInstantOf("2026-01-15", "08:00", prague))).toBe("2026-01-15T07:00:00.000Z");
    expect(iso(localInstantOf("2026-07-15", "08:00", prague))).toBe("2026-07-15T06:00:00.000Z");
  });

  it("moves a time the spring change skips on by the hour skipped", () => {
    // 2026-03-29 02:00 CET → 03:00 CEST: 02:30 does not exist.
    expect(iso(localInstantOf("2026-03-29", "02:30", prague))).toBe("2026-03-29T01:30:00.000Z");
    expect(iso(localInstantOf("2026-03-29", "03:00", prague))).toBe("2026-03-29T01:00:00.000Z");
  });

  it("takes the first of a time the autumn change repeats", () => {
    // 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens at 00:30Z and again at 01:30Z.
    expect(iso(localInstantOf("2026-10-25", "02:30", prague))).toBe("2026-10-25T00:30:00.000Z");
  });
});

describe("digestPeriodOf", () => {
  it("covers the 24 hours before local_time on an ordinary day", () => {
    const period = digestPeriodOf("2026-01-15", "08:00", prague);
    expect([iso(period.fromMs), iso(period.toMs)]).toEqual(["2026-01-14T07:00:00.000Z", "2026-01-15T07:00:00.000Z"]);
    expect(digestPeriodMinutes(period)).toBe(1440);
  });

  it("lasts 23 hours across the spring change and 25 across the autumn one, ending at local_time both times", () => {
    const spring = digestPeriodOf("2026-03-29", "08:00", prague);
    expect([iso(spring.fromMs), iso(spring.toMs)]).toEqual(["2026-03-28T07:00:00.000Z", "2026-03-29T06:00:00.000Z"]);
    expect(digestPeriodMinutes(spring)).toBe(1380);
    const autumn = digestPeriodOf("2026-10-25", "08:00", prague);
    expect([iso(autumn.fromMs), iso(autumn.toMs)]).toEqual(["2026-10-24T06:00:00.000Z", "2026-10-25T07:00:00.000Z"]);
    expect(digestPeriodMinutes(autumn)).toBe(1500);
  });

  it("tiles time: each period starts where the one of the day before ends, through both changes", () => {
    let date = "2026-03-20";
    let previous = digestPeriodOf(date, "08:00", prague);
    for (let day = 0; day < 240; day += 1) {
      date = shiftIsoDate(date, 1);
      const period = digestPeriodOf(date, "08:00", prague);
      expect(period.fromMs).toBe(previous.toMs);
      previous = period;
    }
  });

  it("covers a day before a midnight local_time", () => {
    const period = digestPeriodOf("2026-01-01", "00:00", utc);
    expect([iso(period.fromMs), iso(period.toMs)]).toEqual(["2025-12-31T00:00:00.000Z", "2026-01-01T00:00:00.000Z"]);
  });
});

describe("newestDueDigestDate and isDigestDue", () => {
  it("is yesterday's date before local_time and today's from it on (the instant itself included)", () => {
    expect(newestDueDigestDate(Date.parse("2026-01-15T06:59:59Z"), "08:00", prague)).toBe("2026-01-14");
    expect(newestDueDigestDate(Date.parse("2026-01-15T07:00:00Z"), "08:00", prague)).toBe("2026-01-15");
    expect(newestDueDigestDate(Date.parse("2026-01-15T22:30:00Z"), "08:00", prague)).toBe("2026-01-15");
    // 00:30 local on the 16th: the 16th's digest is not due until 08:00.
    expect(newestDueDigestDate(Date.parse("2026-01-15T23:30:00Z"), "08:00", prague)).toBe("2026-01-15");
  });

  it("says a date whose local_time is still ahead is not due", () => {
    const now = Date.parse("2026-01-15T10:00:00Z");
    expect(isDigestDue("2026-01-15", "08:00", now, prague)).toBe(true);
    expect(isDigestDue("2026-01-16", "08:00", now, prague)).toBe(false);
  });
});
