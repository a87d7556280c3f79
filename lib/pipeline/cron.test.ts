import { describe, expect, it } from "vitest";
import { cronProblem, nextFireTime, parseCron } from "./cron";

const at = (iso: string) => Date.parse(iso);
const next = (expression: string, afterIso: string) => {
  const fire = nextFireTime(parseCron(expression), at(afterIso));
  return fire === null ? null : new Date(fire).toISOString();
};

describe("nextFireTime", () => {
  it("fires the pipeline two minutes after each quarter hour, strictly after the given instant", () => {
    expect(next("2,17,32,47 * * * *", "2026-03-10T10:00:00Z")).toBe("2026-03-10T10:02:00.000Z");
    expect(next("2,17,32,47 * * * *", "2026-03-10T10:02:00Z")).toBe("2026-03-10T10:17:00.000Z");
    expect(next("2,17,32,47 * * * *", "2026-03-10T10:01:59.999Z")).toBe("2026-03-10T10:02:00.000Z");
    expect(next("2,17,32,47 * * * *", "2026-03-10T23:50:00Z")).toBe("2026-03-11T00:02:00.000Z");
  });

  it("fires the enrichment hourly at minute 9 and maintenance daily at 03:23 UTC, across month and year ends", () => {
    expect(next("9 * * * *", "2026-03-10T10:09:30Z")).toBe("2026-03-10T11:09:00.000Z");
    expect(next("23 3 * * *", "2026-03-10T03:23:00Z")).toBe("2026-03-11T03:23:00.000Z");
    expect(next("23 3 * * *", "2026-12-31T04:00:00Z")).toBe("2027-01-01T03:23:00.000Z");
  });

  it("reads times in UTC whatever the local daylight-saving change", () => {
    // Europe's clocks went forward on 29 March 2026 at 01:00 UTC; UTC has no gap.
    expect(next("30 1 * * *", "2026-03-29T00:00:00Z")).toBe("2026-03-29T01:30:00.000Z");
  });

  it("supports ranges, steps, names and Sunday as 0 or 7", () => {
    expect(next("*/20 8-9 * * *", "2026-03-10T09:40:00Z")).toBe("2026-03-11T08:00:00.000Z");
    expect(next("5/30 * * * *", "2026-03-10T10:06:00Z")).toBe("2026-03-10T10:35:00.000Z");
    // 10 March 2026 is a Tuesday.
    expect(next("0 12 * * sun", "2026-03-10T00:00:00Z")).toBe("2026-03-15T12:00:00.000Z");
    expect(next("0 12 * * 7", "2026-03-10T00:00:00Z")).toBe("2026-03-15T12:00:00.000Z");
    expect(next("0 0 1 jan-feb *", "2026-03-10T00:00:00Z")).toBe("2027-01-01T00:00:00.000Z");
  });

  it("fires on either day field when both are restricted, as cron does", () => {
    // The 13th or any Friday: Friday 13 March 2026, then Friday the 20th.
    expect(next("0 0 13 * 5", "2026-03-10T00:00:00Z")).toBe("2026-03-13T00:00:00.000Z");
    expect(next("0 0 13 * 5", "2026-03-13T00:00:00Z")).toBe("2026-03-20T00:00:00.000Z");
    expect(next("0 0 1 * mon", "2026-03-10T00:00:00Z")).toBe("2026-03-16T00:00:00.000Z");
  });

  it("finds the next leap day", () => {
    expect(next("0 0 29 2 *", "2026-03-10T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
  });
});

describe("parseCron", () => {
  it.each([
    ["* * * *", "must have 5 fields"],
    ["", "must have 5 fields"],
    ["60 * * * *", "minute: 60 is outside 0-59"],
    ["* 24 * * *", "hour: 24 is outside 0-23"],
    ["* * 0 * *", "day of month: 0 is outside 1-31"],
    ["* * * 13 *", "month: 13 is outside 1-12"],
    ["* * * * 8", "day of week: 8 is outside 0-7"],
    ["*/0 * * * *", 'minute: the step of "*/0" must be at least 1'],
    ["10-5 * * * *", 'minute: the range "10-5" runs backwards'],
    ["x * * * *", 'minute: "x" is not a number'],
    ["1,,2 * * * *", "is not a value, a range or a step"],
    ["0 0 30 2 *", "never fires"],
  ])("refuses %j: %s", (expression, reason) => {
    expect(cronProblem(expression)).toContain(reason);
    expect(() => parseCron(expression)).toThrow(reason);
  });
});
