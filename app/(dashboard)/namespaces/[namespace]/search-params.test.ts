import { describe, expect, it } from "vitest";
import {
  instantToLocalInput,
  localInputToInstant,
  namespaceHrefShowing,
  namespaceSearchString,
  parseCustomRange,
  parseNamespaceSearch,
  rangeKey,
  resolveRange,
  seriesQuery,
} from "./search-params";

const PRAGUE = "Europe/Prague";
const DAY = 86_400_000;

describe("parseNamespaceSearch", () => {
  it("defaults to the last 7 days", () => {
    expect(parseNamespaceSearch({})).toEqual({ range: "7d", from: null, to: null });
  });

  it("falls back to the default for an unknown preset and drops a bad or lone instant", () => {
    expect(parseNamespaceSearch(new URLSearchParams("range=1y"))).toEqual({ range: "7d", from: null, to: null });
    expect(parseNamespaceSearch(new URLSearchParams("range=30d&from=yesterday&to=2026-11-28T10:00:00.000Z"))).toEqual({ range: "30d", from: null, to: null });
    expect(parseNamespaceSearch({ from: "2026-11-28T10:00:00.000Z" })).toEqual({ range: "7d", from: null, to: null });
  });

  it("keeps a fixed range with the preset it was zoomed from, and writes it back to the same URL", () => {
    const search = parseNamespaceSearch({ range: "30d", from: "2026-11-20T00:00:00.000Z", to: "2026-11-21T00:00:00.000Z" });
    expect(search).toEqual({ range: "30d", from: "2026-11-20T00:00:00.000Z", to: "2026-11-21T00:00:00.000Z" });
    expect(parseNamespaceSearch(new URLSearchParams(namespaceSearchString(search)))).toEqual(search);
    expect(rangeKey(search)).toBe("2026-11-20T00:00:00.000Z/2026-11-21T00:00:00.000Z");
  });

  it("leaves the default preset out of the URL", () => {
    expect(namespaceSearchString({ range: "7d", from: null, to: null })).toBe("");
    expect(namespaceSearchString({ range: "24h", from: null, to: null })).toBe("?range=24h");
  });
});

describe("resolveRange", () => {
  const now = Date.parse("2026-11-28T10:07:30.500Z");

  it("ends a preset at the next whole minute and goes back its length", () => {
    expect(resolveRange({ range: "24h", from: null, to: null }, now)).toEqual({
      from: Date.parse("2026-11-27T10:08:00Z"),
      to: Date.parse("2026-11-28T10:08:00Z"),
    });
    const ninety = resolveRange({ range: "90d", from: null, to: null }, now);
    expect(ninety.to - ninety.from).toBe(90 * DAY);
  });

  it("takes a fixed range as it is, whatever the time", () => {
    expect(resolveRange({ range: "90d", from: "2026-11-20T00:00:00+01:00", to: "2026-11-21T00:00:00+01:00" }, now)).toEqual({
      from: Date.parse("2026-11-19T23:00:00Z"),
      to: Date.parse("2026-11-20T23:00:00Z"),
    });
  });

  it("asks the series API for UTC instants", () => {
    expect(seriesQuery({ range: "24h", from: null, to: null }, now, 480)).toBe("from=2026-11-27T10%3A08%3A00.000Z&to=2026-11-28T10%3A08%3A00.000Z&points=480");
  });
});

describe("localInputToInstant", () => {
  it("reads the wall-clock time in the configured timezone, not the browser's", () => {
    expect(localInputToInstant("2026-11-28T14:15", PRAGUE)).toBe(Date.parse("2026-11-28T13:15:00Z"));
    expect(localInputToInstant("2026-07-01T00:00", PRAGUE)).toBe(Date.parse("2026-06-30T22:00:00Z"));
    expect(localInputToInstant("2026-11-28T14:15", "America/New_York")).toBe(Date.parse("2026-11-28T19:15:00Z"));
    expect(localInputToInstant("2026-11-28T14:15:30", "UTC")).toBe(Date.parse("2026-11-28T14:15:30Z"));
  });

  it("moves a time the spring change skips forward by the gap", () => {
    // 29 March 2026: Prague's clocks jump from 02:00 to 03:00.
    expect(localInputToInstant("2026-03-29T02:30", PRAGUE)).toBe(Date.parse("2026-03-29T01:30:00Z"));
    expect(instantToLocalInput(Date.parse("2026-03-29T01:30:00Z"), PRAGUE)).toBe("2026-03-29T03:30");
  });

  it("takes the first of the hour the autumn change repeats", () => {
    // 25 October 2026: 02:00–03:00 happens twice in Prague, first in summer time (UTC+2).
    expect(localInputToInstant("2026-10-25T02:30", PRAGUE)).toBe(Date.parse("2026-10-25T00:30:00Z"));
    expect(localInputToInstant("2026-10-25T03:00", PRAGUE)).toBe(Date.parse("2026-10-25T02:00:00Z"));
  });

  it("refuses what is not a datetime-local value or not a calendar date", () => {
    expect(localInputToInstant("", PRAGUE)).toBeNull();
    expect(localInputToInstant("2026-11-28", PRAGUE)).toBeNull();
    expect(localInputToInstant("2026-02-30T10:00", PRAGUE)).toBeNull();
    expect(localInputToInstant("2026-11-28T24:00", PRAGUE)).toBeNull();
  });
});

describe("instantToLocalInput", () => {
  it("writes an instant as wall-clock time in the timezone, the inverse of the reading", () => {
    expect(instantToLocalInput(Date.parse("2026-11-28T13:15:00Z"), PRAGUE)).toBe("2026-11-28T14:15");
    expect(instantToLocalInput(Date.parse("2026-10-25T00:30:00Z"), PRAGUE)).toBe("2026-10-25T02:30");
    expect(instantToLocalInput(Date.parse("2026-10-25T01:30:00Z"), PRAGUE)).toBe("2026-10-25T02:30");
    for (const value of ["2026-01-01T00:00", "2026-06-15T23:45", "2026-12-31T12:00"]) {
      expect(instantToLocalInput(localInputToInstant(value, PRAGUE)!, PRAGUE)).toBe(value);
    }
  });
});

describe("parseCustomRange", () => {
  it("gives the instants of a valid range", () => {
    expect(parseCustomRange("2026-11-27T00:00", "2026-11-28T00:00", PRAGUE, 92)).toEqual({
      ok: true,
      from: Date.parse("2026-11-26T23:00:00Z"),
      to: Date.parse("2026-11-27T23:00:00Z"),
    });
  });

  it("names the field of an empty time, an end not after the start and a range that is too long", () => {
    expect(parseCustomRange("", "2026-11-28T00:00", PRAGUE, 92)).toMatchObject({ ok: false, field: "from" });
    expect(parseCustomRange("2026-11-28T00:00", "", PRAGUE, 92)).toMatchObject({ ok: false, field: "to" });
    expect(parseCustomRange("2026-11-28T00:00", "2026-11-28T00:00", PRAGUE, 92)).toMatchObject({ ok: false, field: "to", message: "Must be after From" });
    expect(parseCustomRange("2026-01-01T00:00", "2026-11-28T00:00", PRAGUE, 92)).toMatchObject({
      ok: false,
      field: "from",
      message: "The range can be at most 92 days",
    });
  });
});

describe("namespaceHrefShowing", () => {
  const now = Date.parse("2026-11-28T10:00:00.000Z");

  it("opens the shortest preset that shows the instant, the default one without a query", () => {
    expect(namespaceHrefShowing("payments", now - 3 * 3_600_000, now)).toBe("/namespaces/payments?range=24h");
    expect(namespaceHrefShowing("payments", now - 3 * DAY, now)).toBe("/namespaces/payments");
    expect(namespaceHrefShowing("payments", now - 20 * DAY, now)).toBe("/namespaces/payments?range=30d");
  });

  it("keeps an hour to spare at the range's start, and falls back to the longest preset", () => {
    expect(namespaceHrefShowing("payments", now - 7 * DAY + 30 * 60_000, now)).toBe("/namespaces/payments?range=30d");
    expect(namespaceHrefShowing("team a/b", now - 400 * DAY, now)).toBe("/namespaces/team%20a%2Fb?range=90d");
  });
});
