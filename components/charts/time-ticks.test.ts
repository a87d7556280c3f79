import { describe, expect, it } from "vitest";
import { ticksForWidth, timeTicks } from "./time-ticks";

const PRAGUE = "Europe/Prague";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const labels = (from: string, to: string, timeZone: string, maxTicks: number) => timeTicks(at(from), at(to), timeZone, maxTicks).map((tick) => tick.label);

describe("timeTicks", () => {
  it("reads times of day within one day, in the timezone", () => {
    // 06:00–18:00 in Prague (UTC+1 in November).
    expect(labels("2026-11-26T05:00:00Z", "2026-11-26T17:00:00Z", PRAGUE, 7)).toEqual(["06:00", "08:00", "10:00", "12:00", "14:00", "16:00", "18:00"]);
  });

  it("puts ticks on round local times, not on odd instants of the range", () => {
    const ticks = timeTicks(at("2026-11-26T05:07:13Z"), at("2026-11-26T11:52:00Z"), PRAGUE, 7);
    expect(ticks.map((tick) => tick.label)).toEqual(["07:00", "08:00", "09:00", "10:00", "11:00", "12:00"]);
    expect(ticks[0]!.value).toBe(at("2026-11-26T06:00:00Z"));
  });

  it("is UTC only where the configured zone is UTC", () => {
    expect(labels("2026-11-26T05:00:00Z", "2026-11-26T08:00:00Z", "UTC", 4)).toEqual(["05:00", "06:00", "07:00", "08:00"]);
  });

  it("names the day at midnight over a few days, with the day on a first tick that is not at midnight", () => {
    expect(labels("2026-11-25T17:00:00Z", "2026-11-27T17:00:00Z", PRAGUE, 9)).toEqual([
      "25 Nov 18:00",
      "Thu 26 Nov",
      "06:00",
      "12:00",
      "18:00",
      "Fri 27 Nov",
      "06:00",
      "12:00",
      "18:00",
    ]);
  });

  it("reads whole days as days over a week", () => {
    expect(labels("2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z", PRAGUE, 8)).toEqual([
      "Tue 24 Nov",
      "Wed 25 Nov",
      "Thu 26 Nov",
      "Fri 27 Nov",
      "Sat 28 Nov",
      "Sun 29 Nov",
      "Mon 30 Nov",
    ]);
  });

  it("takes longer steps on a narrow axis: every other day over a week on a phone", () => {
    expect(labels("2026-11-25T15:19:00Z", "2026-12-02T15:19:00Z", PRAGUE, 3)).toEqual(["Fri 27 Nov", "Sun 29 Nov", "Tue 1 Dec"]);
  });

  it("reads dates only over weeks and months", () => {
    // 90 days: a tick every other Monday.
    const ticks = labels("2026-09-03T10:00:00Z", "2026-12-02T10:00:00Z", PRAGUE, 8);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks).toEqual(["7 Sept", "21 Sept", "5 Oct", "19 Oct", "2 Nov", "16 Nov", "30 Nov"]);
    // Too little room for that: the first of each month.
    expect(labels("2026-09-03T10:00:00Z", "2026-12-02T10:00:00Z", PRAGUE, 3)).toEqual(["1 Oct", "1 Nov", "1 Dec"]);
  });

  it("adds the year when the ticks span two", () => {
    expect(labels("2026-12-01T00:00:00Z", "2027-02-15T00:00:00Z", PRAGUE, 3)).toEqual(["1 Jan", "1 Feb"]);
    expect(labels("2026-11-20T00:00:00Z", "2027-02-15T00:00:00Z", PRAGUE, 4)).toEqual(["1 Dec 2026", "1 Jan 2027", "1 Feb"]);
  });

  it("keeps hourly ticks on local hours across the spring change (Prague skips 02:00 on 29 Mar 2026)", () => {
    // 00:00–06:00 local: 00:00 is UTC+1, 03:00 onwards UTC+2.
    const ticks = timeTicks(at("2026-03-28T23:00:00Z"), at("2026-03-29T04:00:00Z"), PRAGUE, 6);
    expect(ticks.map((tick) => tick.label)).toEqual(["00:00", "01:00", "03:00", "04:00", "05:00", "06:00"]);
    expect(ticks.map((tick) => tick.value)).toEqual([0, 1, 2, 3, 4, 5].map((hours) => at("2026-03-28T23:00:00Z") + hours * HOUR));
  });

  it("puts the midnight tick at local midnight on either side of the autumn change (25 Oct 2026)", () => {
    const ticks = timeTicks(at("2026-10-23T22:00:00Z"), at("2026-10-26T23:00:00Z"), PRAGUE, 4);
    // Midnight is 22:00 UTC before the change (UTC+2) and 23:00 UTC after it (UTC+1).
    expect(ticks.map((tick) => [tick.label, new Date(tick.value).toISOString()])).toEqual([
      ["Sat 24 Oct", "2026-10-23T22:00:00.000Z"],
      ["Sun 25 Oct", "2026-10-24T22:00:00.000Z"],
      ["Mon 26 Oct", "2026-10-25T23:00:00.000Z"],
      ["Tue 27 Oct", "2026-10-26T23:00:00.000Z"],
    ]);
  });

  it("repeats no tick in the hour the autumn change repeats", () => {
    const ticks = timeTicks(at("2026-10-24T22:00:00Z"), at("2026-10-25T04:00:00Z"), PRAGUE, 12);
    const values = ticks.map((tick) => tick.value);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(ticks[0]!.label).toBe("00:00");
    expect(ticks.at(-1)!.label).toBe("05:00");
  });

  it("keeps half-hour offsets on the zone's own hours", () => {
    expect(labels("2026-11-25T12:00:00Z", "2026-11-26T12:00:00Z", "Asia/Kolkata", 8)).toEqual([
      "25 Nov 18:00",
      "21:00",
      "Thu 26 Nov",
      "03:00",
      "06:00",
      "09:00",
      "12:00",
      "15:00",
    ]);
  });

  it("has no ticks for an empty range, and at least two for a narrow axis", () => {
    expect(timeTicks(5, 5, PRAGUE, 5)).toEqual([]);
    expect(ticksForWidth(100)).toBe(2);
    expect(ticksForWidth(720)).toBe(9);
    expect(timeTicks(at("2026-11-26T00:00:00Z"), at("2026-11-26T00:00:00Z") + DAY, PRAGUE, 1).length).toBeGreaterThan(0);
  });
});
