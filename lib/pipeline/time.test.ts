import { describe, expect, it } from "vitest";
import { createWindowGrid } from "./time";

const prague = createWindowGrid("Europe/Prague", 15);
const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe("createWindowGrid", () => {
  it("aligns an instant to the start of its quarter hour", () => {
    expect(iso(prague.windowStartOf(at("2026-01-15T10:07:59.999Z")))).toBe("2026-01-15T10:00:00.000Z");
    expect(iso(prague.windowStartOf(at("2026-01-15T10:15:00.000Z")))).toBe("2026-01-15T10:15:00.000Z");
  });

  it("gives local keys: Monday is 0, hours in local time", () => {
    // Thursday 15 January 2026, 10:45 UTC = 11:45 in Prague (CET, UTC+1).
    expect(prague.slotOf(at("2026-01-15T10:45:00Z"))).toEqual({ dayOfWeek: 3, hourOfDay: 11, quarterHour: 3 });
    // Sunday 23:00 UTC in winter is already Monday 00:00 in Prague.
    expect(prague.slotOf(at("2026-01-18T23:00:00Z"))).toEqual({ dayOfWeek: 0, hourOfDay: 0, quarterHour: 0 });
  });

  it("gives the local weekday and hour the timezone database gives, far east and west of UTC and across the date line", () => {
    const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for (const timeZone of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York", "Asia/Kolkata", "UTC"]) {
      const grid = createWindowGrid(timeZone, 15);
      const format = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", hourCycle: "h23" });
      // Every 7 h 45 min over two years: every weekday at many hours, both sides of DST changes.
      for (let instant = at("2025-01-01T00:00:00Z"); instant < at("2027-01-01T00:00:00Z"); instant += 465 * 60_000) {
        const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
        const slot = grid.slotOf(instant);
        expect(weekdays[slot.dayOfWeek], `${timeZone} ${iso(instant)}`).toBe(parts.weekday);
        expect(slot.hourOfDay, `${timeZone} ${iso(instant)}`).toBe(Number(parts.hour));
      }
    }
  });

  it("has 92 windows on the 23-hour spring-forward day and skips the local 02:00 hour", () => {
    const { startMs, endMs } = prague.localDayRange("2026-03-29");
    expect(iso(startMs)).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(endMs)).toBe("2026-03-29T22:00:00.000Z");
    const windows = prague.windowsBetween(startMs, endMs);
    expect(windows).toHaveLength(92);
    expect(windows.map((start) => prague.slotOf(start).hourOfDay)).not.toContain(2);
  });

  it("has 100 windows on the 25-hour fall-back day, the repeated hour twice with the same keys", () => {
    const { startMs, endMs } = prague.localDayRange("2026-10-25");
    const windows = prague.windowsBetween(startMs, endMs);
    expect(windows).toHaveLength(100);
    const twoOClock = windows.filter((start) => prague.slotOf(start).hourOfDay === 2);
    expect(twoOClock).toHaveLength(8);
    expect(prague.slotOf(twoOClock[0]!)).toEqual(prague.slotOf(twoOClock[4]!));
    expect(twoOClock[4]! - twoOClock[0]!).toBe(3_600_000);
  });

  it("has 96 windows on an ordinary day", () => {
    const { startMs, endMs } = prague.localDayRange("2026-01-15");
    expect(prague.windowsBetween(startMs, endMs)).toHaveLength(96);
  });

  it("aligns hour-long windows to local hours in a half-hour-offset zone", () => {
    const india = createWindowGrid("Asia/Kolkata", 60);
    // 10:00 UTC = 15:30 IST: the window started at 15:00 IST = 09:30 UTC.
    expect(iso(india.windowStartOf(at("2026-01-15T10:00:00Z")))).toBe("2026-01-15T09:30:00.000Z");
    expect(india.slotOf(at("2026-01-15T09:30:00Z"))).toEqual({ dayOfWeek: 3, hourOfDay: 15, quarterHour: 0 });
  });

  it("starts the list of windows at the first aligned window at or after the start", () => {
    const windows = prague.windowsBetween(at("2026-01-15T10:05:00Z"), at("2026-01-15T11:00:00Z"));
    expect(windows.map(iso)).toEqual(["2026-01-15T10:15:00.000Z", "2026-01-15T10:30:00.000Z", "2026-01-15T10:45:00.000Z"]);
  });

  it("tells the local date of an instant", () => {
    expect(prague.localDateOf(at("2026-01-15T23:30:00Z"))).toBe("2026-01-16");
  });

  it("rejects an unknown timezone, a window length that does not divide 60 and a malformed date", () => {
    expect(() => createWindowGrid("Mars/Olympus", 15)).toThrow(RangeError);
    expect(() => createWindowGrid("UTC", 7)).toThrow("window length must divide 60 minutes, got 7");
    expect(() => prague.localDayRange("15.1.2026")).toThrow('expected a date as YYYY-MM-DD, got "15.1.2026"');
  });
});
