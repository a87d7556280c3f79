import { describe, expect, it } from "vitest";
import { formatAge, formatCount, formatDateTime, formatDuration } from "@/lib/format";

describe("formatDateTime", () => {
  it('returns "—" for null', () => {
    expect(formatDateTime(null, "Europe/Prague")).toBe("—");
  });

  it('returns "—" for an empty string', () => {
    expect(formatDateTime("", "Europe/Prague")).toBe("—");
  });

  it("formats in winter time (UTC+1) before the spring change in Europe/Prague", () => {
    expect(formatDateTime("2026-03-29T00:30:00Z", "Europe/Prague")).toBe("29 Mar 2026, 01:30");
  });

  it("formats in summer time (UTC+2) after the spring change in Europe/Prague", () => {
    expect(formatDateTime("2026-03-29T01:30:00Z", "Europe/Prague")).toBe("29 Mar 2026, 03:30");
  });

  it("shows the repeated hour twice across the autumn change in Europe/Prague", () => {
    expect(formatDateTime("2026-10-25T00:30:00Z", "Europe/Prague")).toBe("25 Oct 2026, 02:30");
    expect(formatDateTime("2026-10-25T01:30:00Z", "Europe/Prague")).toBe("25 Oct 2026, 02:30");
  });

  it("uses the given timezone, not the machine's", () => {
    expect(formatDateTime("2026-03-29T00:30:00Z", "UTC")).toBe("29 Mar 2026, 00:30");
  });

  it("honours an offset in the input", () => {
    expect(formatDateTime("2026-11-28T14:15:00+01:00", "Europe/Prague")).toBe("28 Nov 2026, 14:15");
  });

  it("rolls the date over in the target timezone", () => {
    expect(formatDateTime("2026-12-31T23:30:00Z", "Europe/Prague")).toBe("1 Jan 2027, 00:30");
  });
});

describe("formatAge", () => {
  const now = Date.parse("2026-06-15T12:00:00Z");
  const before = (milliseconds: number) => new Date(now - milliseconds).toISOString();
  const seconds = 1_000;
  const minutes = 60 * seconds;
  const hours = 60 * minutes;

  it('says "just now" for the same instant', () => {
    expect(formatAge(before(0), now)).toBe("just now");
  });

  it('says "just now" for 29 seconds', () => {
    expect(formatAge(before(29 * seconds), now)).toBe("just now");
  });

  it('says "just now" for a time in the future', () => {
    expect(formatAge(before(-5 * minutes), now)).toBe("just now");
  });

  it('says "1 min ago" for 30 seconds (rounded)', () => {
    expect(formatAge(before(30 * seconds), now)).toBe("1 min ago");
  });

  it('says "5 min ago" for 5 minutes', () => {
    expect(formatAge(before(5 * minutes), now)).toBe("5 min ago");
  });

  it('says "59 min ago" for 59 minutes', () => {
    expect(formatAge(before(59 * minutes), now)).toBe("59 min ago");
  });

  it('says "1 h ago" for 60 minutes', () => {
    expect(formatAge(before(60 * minutes), now)).toBe("1 h ago");
  });

  it('says "3 h ago" for 3 hours', () => {
    expect(formatAge(before(3 * hours), now)).toBe("3 h ago");
  });

  it('says "47 h ago" for 47 hours', () => {
    expect(formatAge(before(47 * hours), now)).toBe("47 h ago");
  });

  it('says "2 days ago" for 48 hours', () => {
    expect(formatAge(before(48 * hours), now)).toBe("2 days ago");
  });

  it('says "10 days ago" for 10 days', () => {
    expect(formatAge(before(240 * hours), now)).toBe("10 days ago");
  });
});

describe("formatCount", () => {
  it("groups thousands with commas", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
  });

  it("leaves small numbers alone", () => {
    expect(formatCount(42)).toBe("42");
  });
});

describe("formatDuration", () => {
  it("picks the unit by size and says nothing for null", () => {
    expect([formatDuration(null), formatDuration(640), formatDuration(2_449), formatDuration(119_000), formatDuration(181_000)]).toEqual([
      "",
      "640 ms",
      "2.4 s",
      "119.0 s",
      "3 min",
    ]);
  });
});
