import { describe, expect, it } from "vitest";
import { InvalidInputError } from "@/lib/errors";
import { createWindowGrid } from "@/lib/pipeline/time";
import { parseBoundary, parseRange } from "./dates";

const prague = createWindowGrid("Europe/Prague", 15);
const at = (iso: string) => Date.parse(iso);

/** The error a call throws (or undefined). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectInvalidInput(call: () => unknown, named: string): void {
  const error = thrown(call);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as Error).message).toContain(named);
}

describe("parseBoundary", () => {
  it("takes a date as --from at local midnight in winter (UTC+1)", () => {
    expect(parseBoundary("2026-01-15", prague, "from")).toBe(at("2026-01-14T23:00:00Z"));
  });

  it("takes a date as --from at local midnight in summer (UTC+2)", () => {
    expect(parseBoundary("2026-07-15", prague, "from")).toBe(at("2026-07-14T22:00:00Z"));
  });

  it("takes a date as --to at the end of that day (the next local midnight), so the day is included", () => {
    expect(parseBoundary("2026-01-15", prague, "to")).toBe(at("2026-01-15T23:00:00Z"));
  });

  it("ends the 23-hour spring-forward day 23 hours after it starts", () => {
    const from = parseBoundary("2026-03-29", prague, "from");
    const to = parseBoundary("2026-03-29", prague, "to");
    expect(to - from).toBe(23 * 3_600_000);
    expect(to).toBe(at("2026-03-29T22:00:00Z"));
  });

  it("takes an ISO instant with an offset as is, for either edge", () => {
    expect(parseBoundary("2026-01-15T10:00:00+02:00", prague, "from")).toBe(at("2026-01-15T08:00:00Z"));
    expect(parseBoundary("2026-01-15T10:00:00+02:00", prague, "to")).toBe(at("2026-01-15T08:00:00Z"));
    expect(parseBoundary("2026-01-15T10:00:00Z", prague, "to")).toBe(at("2026-01-15T10:00:00Z"));
    expect(parseBoundary("2026-01-15T10:00:00.500-0130", prague, "from")).toBe(at("2026-01-15T11:30:00.500Z"));
  });

  it("rejects an instant without an offset, naming it", () => {
    expectInvalidInput(() => parseBoundary("2026-01-15T10:00:00", prague, "from"), '"2026-01-15T10:00:00"');
  });

  it("rejects a date in another format, naming it", () => {
    expectInvalidInput(() => parseBoundary("15.01.2026", prague, "from"), '"15.01.2026"');
  });

  it("rejects a date that is not on the calendar, naming it", () => {
    expectInvalidInput(() => parseBoundary("2026-02-30", prague, "to"), '"2026-02-30"');
    expectInvalidInput(() => parseBoundary("2026-13-01", prague, "from"), '"2026-13-01"');
  });

  it("rejects text that is no time at all, naming it", () => {
    expectInvalidInput(() => parseBoundary("yesterday", prague, "to"), '"yesterday"');
    expectInvalidInput(() => parseBoundary("", prague, "to"), '""');
  });
});

describe("parseRange", () => {
  it("returns null when neither boundary is given and there is no fallback", () => {
    expect(parseRange(undefined, undefined, prague)).toBeNull();
  });

  it("spans one whole local day when --from and --to are the same date", () => {
    expect(parseRange("2026-01-15", "2026-01-15", prague)).toEqual({ fromMs: at("2026-01-14T23:00:00Z"), toMs: at("2026-01-15T23:00:00Z") });
  });

  it("mixes a date and an instant", () => {
    expect(parseRange("2026-01-15", "2026-01-15T12:00:00Z", prague)).toEqual({ fromMs: at("2026-01-14T23:00:00Z"), toMs: at("2026-01-15T12:00:00Z") });
  });

  it("leaves the missing side open without a fallback", () => {
    const from = parseRange("2026-01-15", undefined, prague);
    expect(from?.fromMs).toBe(at("2026-01-14T23:00:00Z"));
    expect(from?.toMs).toBeGreaterThan(at("9999-01-01T00:00:00Z"));
    const to = parseRange(undefined, "2026-01-15", prague);
    expect(to).toEqual({ fromMs: 0, toMs: at("2026-01-15T23:00:00Z") });
  });

  it("uses the fallback for the missing side only", () => {
    const fallback = { fromMs: at("2026-01-01T00:00:00Z"), toMs: at("2026-02-01T00:00:00Z") };
    expect(parseRange("2026-01-15", undefined, prague, fallback)).toEqual({ fromMs: at("2026-01-14T23:00:00Z"), toMs: fallback.toMs });
    expect(parseRange(undefined, "2026-01-15", prague, fallback)).toEqual({ fromMs: fallback.fromMs, toMs: at("2026-01-15T23:00:00Z") });
  });

  it("returns the fallback when neither boundary is given", () => {
    const fallback = { fromMs: at("2026-01-01T00:00:00Z"), toMs: at("2026-02-01T00:00:00Z") };
    expect(parseRange(undefined, undefined, prague, fallback)).toEqual(fallback);
  });

  it("rejects --from after --to", () => {
    expectInvalidInput(() => parseRange("2026-01-16", "2026-01-15", prague), "--from must be before --to");
  });

  it("rejects --from equal to --to", () => {
    expectInvalidInput(() => parseRange("2026-01-15T10:00:00Z", "2026-01-15T11:00:00+01:00", prague), "--from must be before --to");
  });

  it("rejects a --from after the fallback's end", () => {
    expectInvalidInput(() => parseRange("2026-03-01", undefined, prague, { fromMs: 0, toMs: at("2026-02-01T00:00:00Z") }), "--from must be before --to");
  });

  it("rejects an invalid boundary on either side, naming it", () => {
    expectInvalidInput(() => parseRange("2026-01-15", "15.01.2026", prague), '"15.01.2026"');
    expectInvalidInput(() => parseRange("2026-01-15T10:00", "2026-01-16", prague), '"2026-01-15T10:00"');
  });
});
