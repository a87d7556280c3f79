import { describe, expect, it } from "vitest";
import {
  analyzeVersions,
  countErrorsByVersion,
  DEFAULT_VERSION_SETTINGS,
  mergeVersionSightings,
  sightVersions,
  sumVersionCounts,
  type VersionCounts,
  type VersionTimelineEntry,
} from "./versions";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOW = 15 * MINUTE;
const T0 = Date.parse("2026-03-02T00:00:00Z");
const settings = { ...DEFAULT_VERSION_SETTINGS, windowMs: WINDOW };

const documentsOf = (...groups: [string | null, number][]) =>
  groups.flatMap(([version, count]) => Array.from({ length: count }, (_, index) => ({ version, timestamp: T0 + index * 1_000 })));

/** Errors by version of windows, as the sum of single-window counts. */
const totalsOf = (versions: Record<string, number>, unversioned = 0) =>
  sumVersionCounts([
    {
      versions: Object.entries(versions)
        .filter(([, errors]) => errors > 0)
        .map(([version, errors]) => ({ version, errors })),
      unversioned,
      otherVersions: 0,
    },
  ]);

/** A version that ran from `fromMs` (its first error) to `toMs` (its last). */
const ran = (version: string, fromMs: number, toMs: number, errors = 100): VersionTimelineEntry => ({ version, firstSeenMs: fromMs, lastSeenMs: toMs, errors });

describe("countErrorsByVersion", () => {
  it("counts exactly when every document of the window was read", () => {
    expect(countErrorsByVersion(documentsOf(["1.5.0", 3], ["1.4.0", 2], [null, 1]), 6)).toEqual({
      versions: [
        { version: "1.5.0", errors: 3 },
        { version: "1.4.0", errors: 2 },
      ],
      unversioned: 1,
      otherVersions: 0,
    });
  });

  it("scales the documents read to the window's total, adding up to it exactly", () => {
    const counts = countErrorsByVersion(documentsOf(["b", 3], ["a", 1], [null, 1]), 10);
    expect(counts).toEqual({
      versions: [
        { version: "b", errors: 6 },
        { version: "a", errors: 2 },
      ],
      unversioned: 2,
      otherVersions: 0,
    });
  });

  it("rounds by largest remainder, ties to the version with more errors read, then by name", () => {
    const counts = countErrorsByVersion(documentsOf(["c", 1], ["a", 1], ["b", 1]), 10);
    expect(counts.versions).toEqual([
      { version: "a", errors: 4 },
      { version: "b", errors: 3 },
      { version: "c", errors: 3 },
    ]);
  });

  it("puts documents without a version apart, and a window without any version has none", () => {
    expect(countErrorsByVersion(documentsOf([null, 4]), 40)).toEqual({ versions: [], unversioned: 40, otherVersions: 0 });
  });

  it("keeps the versions with most errors and adds up the rest, so that a build id per pod cannot grow the stored maps", () => {
    const counts = countErrorsByVersion(documentsOf(["a", 3], ["b", 2], ["c", 1], ["d", 1]), 7, 2);
    expect(counts).toEqual({
      versions: [
        { version: "a", errors: 3 },
        { version: "b", errors: 2 },
      ],
      unversioned: 0,
      otherVersions: 2,
    });
  });

  it("counts nothing without documents, and takes the documents read when the total says fewer", () => {
    expect(countErrorsByVersion([], 50)).toEqual({ versions: [], unversioned: 0, otherVersions: 0 });
    expect(countErrorsByVersion(documentsOf(["a", 3]), 1).versions).toEqual([{ version: "a", errors: 3 }]);
  });
});

describe("sumVersionCounts", () => {
  it("adds up windows' errors by version and counts the windows each version had errors in", () => {
    const windows: VersionCounts[] = [
      { versions: [{ version: "1.4.0", errors: 10 }], unversioned: 2, otherVersions: 0 },
      {
        versions: [
          { version: "1.5.0", errors: 30 },
          { version: "1.4.0", errors: 5 },
        ],
        unversioned: 0,
        otherVersions: 1,
      },
      { versions: [{ version: "1.5.0", errors: 40 }], unversioned: 1, otherVersions: 0 },
    ];
    const totals = sumVersionCounts(windows);
    expect(totals.versions).toEqual([
      { version: "1.5.0", errors: 70 },
      { version: "1.4.0", errors: 15 },
    ]);
    expect(totals.unversioned).toBe(3);
    expect(totals.otherVersions).toBe(1);
    expect(Object.fromEntries(totals.windowsOf)).toEqual({ "1.5.0": 2, "1.4.0": 2 });
    expect(totals.windows).toBe(3);
  });

  it("gives nothing for no window", () => {
    const totals = sumVersionCounts([]);
    expect(totals).toMatchObject({ versions: [], unversioned: 0, otherVersions: 0, windows: 0 });
  });

  it("keeps every window's total: the sum of the windows' counts is the sum of their totals", () => {
    const windows = [
      { documents: documentsOf(["a", 7], ["b", 3], [null, 2]), total: 97 },
      { documents: documentsOf(["b", 5], ["c", 1]), total: 13 },
      { documents: documentsOf([null, 3]), total: 3 },
    ];
    const totals = sumVersionCounts(windows.map((window) => countErrorsByVersion(window.documents, window.total)));
    expect(totals.versions.reduce((sum, entry) => sum + entry.errors, 0) + totals.unversioned + totals.otherVersions).toBe(97 + 13 + 3);
  });
});

describe("sightVersions and mergeVersionSightings", () => {
  it("gives each version of a window its scaled errors and its first and last document read", () => {
    const documents = [
      { version: "1.4.0", timestamp: T0 + 1_000 },
      { version: null, timestamp: T0 + 2_000 },
      { version: "1.5.0", timestamp: T0 + 3_000 },
      { version: "1.4.0", timestamp: T0 + 9_000 },
    ];
    expect(sightVersions(documents, 8)).toEqual([
      { version: "1.4.0", errors: 4, firstSeenMs: T0 + 1_000, lastSeenMs: T0 + 9_000 },
      { version: "1.5.0", errors: 2, firstSeenMs: T0 + 3_000, lastSeenMs: T0 + 3_000 },
    ]);
  });

  it("merges windows into one addition per namespace and version", () => {
    const merged = mergeVersionSightings([
      { namespace: "shop", sightings: [{ version: "1.4.0", errors: 10, firstSeenMs: T0, lastSeenMs: T0 + MINUTE }] },
      {
        namespace: "shop",
        sightings: [
          { version: "1.4.0", errors: 5, firstSeenMs: T0 + WINDOW, lastSeenMs: T0 + WINDOW + MINUTE },
          { version: "1.5.0", errors: 7, firstSeenMs: T0 + WINDOW + 30_000, lastSeenMs: T0 + WINDOW + 90_000 },
        ],
      },
      { namespace: "billing", sightings: [{ version: "1.4.0", errors: 1, firstSeenMs: T0, lastSeenMs: T0 }] },
    ]);
    expect(merged).toEqual([
      { namespace: "billing", version: "1.4.0", errors: 1, firstSeenMs: T0, lastSeenMs: T0 },
      { namespace: "shop", version: "1.4.0", errors: 15, firstSeenMs: T0, lastSeenMs: T0 + WINDOW + MINUTE },
      { namespace: "shop", version: "1.5.0", errors: 7, firstSeenMs: T0 + WINDOW + 30_000, lastSeenMs: T0 + WINDOW + 90_000 },
    ]);
  });
});

describe("analyzeVersions over the whole timeline (a problem)", () => {
  const timeline = [ran("1.3.0", T0, T0 + 7 * DAY), ran("1.4.0", T0 + 7 * DAY, T0 + 14 * DAY), ran("1.5.0", T0 + 14 * DAY, T0 + 21 * DAY)];

  it("finds nothing in documents without a version, and says how many there were", () => {
    const analysis = analyzeVersions(totalsOf({}, 500), timeline, null, settings);
    expect(analysis).toMatchObject({ versioned: 0, unversioned: 500, onlySince: null, aboveOthers: null, regression: null });
  });

  it("lists the timeline's versions in the order they appeared, with errors, share and errors per hour of running", () => {
    const analysis = analyzeVersions(totalsOf({ "1.5.0": 300, "1.4.0": 100 }), timeline, null, settings);
    expect(analysis.versions.map((row) => [row.version, row.errors, row.share])).toEqual([
      ["1.3.0", 0, 0],
      ["1.4.0", 100, 0.25],
      ["1.5.0", 300, 0.75],
    ]);
    expect(analysis.versions[2]!.runningMs).toBe(7 * DAY + WINDOW);
    expect(analysis.versions[2]!.perHour).toBeCloseTo(300 / (7 * 24 + 0.25));
  });

  it("says a problem came only with 1.5.0 when the versions before it ran long enough to show it and did not", () => {
    const analysis = analyzeVersions(totalsOf({ "1.5.0": 240 }, 12), timeline, null, settings);
    expect(analysis.onlySince).toMatchObject({ version: "1.5.0", firstSeenMs: T0 + 14 * DAY, errors: 240, quietVersions: ["1.3.0", "1.4.0"] });
    expect(analysis.onlySince!.expectedErrors).toBeCloseTo(480, -1);
    // Versions without any are not what 1.5.0 is "well above".
    expect(analysis.aboveOthers).toBeNull();
  });

  it("does not say so from a handful of errors", () => {
    expect(analyzeVersions(totalsOf({ "1.5.0": settings.minErrors - 1 }), timeline, null, settings).onlySince).toBeNull();
  });

  it("does not say so when the versions before ran too briefly to show it", () => {
    const brief = [ran("1.4.0", T0, T0 + 5 * MINUTE), ran("1.5.0", T0 + 20 * MINUTE, T0 + 30 * DAY)];
    // 1.4.0 ran 20 minutes; at 100 errors in 30 days it would have had 0.05.
    expect(analyzeVersions(totalsOf({ "1.5.0": 100 }), brief, null, settings).onlySince).toBeNull();
  });

  it("does not say so when an earlier version had errors of it too", () => {
    expect(analyzeVersions(totalsOf({ "1.5.0": 300, "1.3.0": 1 }), timeline, null, settings).onlySince).toBeNull();
  });

  it("does not order versions the timeline does not hold yet, but lists them", () => {
    const analysis = analyzeVersions(totalsOf({ "1.5.0": 300, "2.0.0-rc1": 40 }), timeline, null, settings);
    expect(analysis.onlySince).toBeNull();
    expect(analysis.aboveOthers).toBeNull();
    expect(analysis.versions.at(-1)).toMatchObject({ version: "2.0.0-rc1", errors: 40, firstSeenMs: null, runningMs: null, perHour: null });
  });

  it("draws nothing from a single version with nothing before it", () => {
    const analysis = analyzeVersions(totalsOf({ "1.0.0": 5_000 }), [ran("1.0.0", T0, T0 + 30 * DAY)], null, settings);
    expect(analysis).toMatchObject({ onlySince: null, aboveOthers: null, regression: null, newRelease: null });
    expect(analysis.versions).toHaveLength(1);
  });

  it("finds a version whose errors per hour of running are well above the others'", () => {
    const analysis = analyzeVersions(totalsOf({ "1.3.0": 40, "1.4.0": 600, "1.5.0": 50 }), timeline, null, settings);
    expect(analysis.aboveOthers).toMatchObject({ version: "1.4.0", errors: 600 });
    expect(analysis.aboveOthers!.factor).toBeCloseTo(600 / 45, 0);
  });

  it("keeps to its tolerance: twice the others' rate is not well above", () => {
    expect(analyzeVersions(totalsOf({ "1.3.0": 100, "1.4.0": 200, "1.5.0": 100 }), timeline, null, settings).aboveOthers).toBeNull();
  });

  it("compares rates, not totals: a version that ran a short time with as many errors is well above", () => {
    const short = [
      ran("1.4.0", T0, T0 + 10 * DAY),
      ran("1.4.1", T0 + 10 * DAY, T0 + 10 * DAY + 2 * HOUR),
      ran("1.4.2", T0 + 10 * DAY + 3 * HOUR, T0 + 20 * DAY),
    ];
    const analysis = analyzeVersions(totalsOf({ "1.4.0": 200, "1.4.1": 200, "1.4.2": 200 }), short, null, settings);
    expect(analysis.aboveOthers).toMatchObject({ version: "1.4.1", errors: 200 });
  });

  it("never finds a version well above from a handful of errors, whatever its rate", () => {
    const short = [ran("1.4.0", T0, T0 + 10 * DAY), ran("1.4.1", T0 + 10 * DAY, T0 + 10 * DAY + 15 * MINUTE)];
    expect(analyzeVersions(totalsOf({ "1.4.0": 2, "1.4.1": 8 }), short, null, settings).aboveOthers).toBeNull();
  });

  it("does not call a version above others for their silence: alike rates in the versions with errors are not", () => {
    const long = [ran("1.3.0", T0, T0 + 20 * DAY), ran("1.4.0", T0 + 20 * DAY, T0 + 25 * DAY), ran("1.5.0", T0 + 25 * DAY, T0 + 30 * DAY)];
    // Quiet for 20 days in 1.3.0, then alike in 1.4.0 and 1.5.0: only since 1.4.0, nothing above.
    const since = analyzeVersions(totalsOf({ "1.4.0": 100, "1.5.0": 110 }), long, null, settings);
    expect(since.onlySince).toMatchObject({ version: "1.4.0" });
    expect(since.aboveOthers).toBeNull();
    // Errors in 1.3.0 and 1.5.0 at one rate, none in 1.4.0 for 5 days: a regression, nothing above.
    const back = analyzeVersions(totalsOf({ "1.3.0": 400, "1.5.0": 100 }), long, null, settings);
    expect(back.regression).toMatchObject({ before: "1.3.0", back: "1.5.0" });
    expect(back.aboveOthers).toBeNull();
  });

  it("finds a problem quiet in 1.4.0 that came back in 1.5.0 (regression by version)", () => {
    const analysis = analyzeVersions(totalsOf({ "1.3.0": 120, "1.5.0": 90 }), timeline, null, settings);
    expect(analysis.regression).toMatchObject({ before: "1.3.0", quietVersions: ["1.4.0"], back: "1.5.0", backFirstSeenMs: T0 + 14 * DAY });
    expect(analysis.regression!.expectedErrors).toBeGreaterThan(settings.minExpectedErrors);
  });

  it("does not call it a regression when the quiet version ran too briefly to show it", () => {
    const brief = [ran("1.3.0", T0, T0 + 7 * DAY), ran("1.4.0", T0 + 7 * DAY, T0 + 7 * DAY + MINUTE), ran("1.5.0", T0 + 7 * DAY + WINDOW, T0 + 14 * DAY)];
    expect(analyzeVersions(totalsOf({ "1.3.0": 120, "1.5.0": 90 }), brief, null, settings).regression).toBeNull();
  });

  it("does not call it a regression from a handful of errors", () => {
    expect(analyzeVersions(totalsOf({ "1.3.0": 3, "1.5.0": 2 }), timeline, null, settings).regression).toBeNull();
  });

  it("names the latest return when a problem came back twice", () => {
    const five = [
      ran("1", T0, T0 + 5 * DAY),
      ran("2", T0 + 5 * DAY, T0 + 10 * DAY),
      ran("3", T0 + 10 * DAY, T0 + 15 * DAY),
      ran("4", T0 + 15 * DAY, T0 + 20 * DAY),
      ran("5", T0 + 20 * DAY, T0 + 25 * DAY),
    ];
    expect(analyzeVersions(totalsOf({ "1": 100, "3": 100, "5": 100 }), five, null, settings).regression).toMatchObject({
      before: "3",
      quietVersions: ["4"],
      back: "5",
    });
    expect(analyzeVersions(totalsOf({ "1": 100, "4": 100 }), five, null, settings).regression).toMatchObject({
      before: "1",
      quietVersions: ["2", "3"],
      back: "4",
    });
  });

  it("draws the same findings with or without documents lacking a version", () => {
    const versions = { "1.3.0": 120, "1.5.0": 90 };
    const without = analyzeVersions(totalsOf(versions), timeline, null, settings);
    const withUnversioned = analyzeVersions(totalsOf(versions, 10_000), timeline, null, settings);
    expect({ ...withUnversioned, unversioned: 0 }).toEqual(without);
  });

  it("draws no finding that orders versions while errors of versions past those kept per window are unaccounted for", () => {
    const totals = sumVersionCounts([{ versions: [{ version: "1.5.0", errors: 300 }], unversioned: 0, otherVersions: 40 }]);
    expect(analyzeVersions(totals, timeline, null, settings)).toMatchObject({ otherVersions: 40, onlySince: null, aboveOthers: null, regression: null });
  });
});

describe("analyzeVersions over an incident's span", () => {
  const start = T0 + 10 * DAY + 10 * HOUR;
  const span = { fromMs: start, toMs: start + HOUR };

  it("says its errors came only with 1.5.0 when 1.4.0 still ran in it without any (a rolling deploy)", () => {
    const timeline = [ran("1.4.0", T0, start + 20 * MINUTE - WINDOW), ran("1.5.0", start + 15 * MINUTE, start + 2 * DAY)];
    const analysis = analyzeVersions(totalsOf({ "1.5.0": 500 }), timeline, span, settings);
    expect(analysis.versions.map((row) => [row.version, row.errors, row.runningMs])).toEqual([
      ["1.4.0", 0, 20 * MINUTE],
      ["1.5.0", 500, 45 * MINUTE],
    ]);
    expect(analysis.onlySince).toMatchObject({ version: "1.5.0", quietVersions: ["1.4.0"], quietRunningMs: 20 * MINUTE });
    expect(analysis.newRelease).toMatchObject({ version: "1.5.0", beforeStartMs: -15 * MINUTE, share: 1, previousVersion: "1.4.0" });
  });

  it("does not claim 'only since' from versions that did not run in the span, but names the release just before it", () => {
    const timeline = [ran("1.4.0", T0, start - HOUR), ran("1.5.0", start - 12 * MINUTE, start + DAY)];
    const analysis = analyzeVersions(totalsOf({ "1.5.0": 800 }, 20), timeline, span, settings);
    expect(analysis.versions.map((row) => row.version)).toEqual(["1.5.0"]);
    expect(analysis.onlySince).toBeNull();
    expect(analysis.newRelease).toEqual({ version: "1.5.0", firstSeenMs: start - 12 * MINUTE, beforeStartMs: 12 * MINUTE, share: 1, previousVersion: "1.4.0" });
  });

  it("names no release first seen long before the span, nor the namespace's first version, nor one with a minority of the errors", () => {
    const old = [ran("1.4.0", T0, T0 + DAY), ran("1.5.0", T0 + DAY, start + DAY)];
    expect(analyzeVersions(totalsOf({ "1.5.0": 800 }), old, span, settings).newRelease).toBeNull();
    const first = [ran("1.5.0", start - 12 * MINUTE, start + DAY)];
    expect(analyzeVersions(totalsOf({ "1.5.0": 800 }), first, span, settings).newRelease).toBeNull();
    const both = [ran("1.4.0", T0, start + DAY), ran("1.5.0", start - 12 * MINUTE, start + DAY)];
    expect(analyzeVersions(totalsOf({ "1.4.0": 700, "1.5.0": 300 }), both, span, settings).newRelease).toBeNull();
  });

  it("calls no version new when the timeline did not see the namespace in the hours before it (only peak windows fed it)", () => {
    const peaksOnly = [ran("1.4.0", T0, T0 + 2 * DAY), ran("1.5.0", start, start + DAY)];
    const analysis = analyzeVersions(totalsOf({ "1.5.0": 800 }), peaksOnly, span, settings);
    expect(analysis.newRelease).toBeNull();
    const seenUpToIt = [ran("1.4.0", T0, start - 3 * HOUR + MINUTE), ran("1.5.0", start, start + DAY)];
    expect(analyzeVersions(totalsOf({ "1.5.0": 800 }), seenUpToIt, span, settings).newRelease).toMatchObject({ version: "1.5.0", previousVersion: "1.4.0" });
  });

  it("finds the canary well above the version running beside it", () => {
    const timeline = [ran("1.4.0", T0, start + DAY), ran("1.5.0-canary", start - 2 * HOUR, start + DAY)];
    const analysis = analyzeVersions(totalsOf({ "1.4.0": 60, "1.5.0-canary": 900 }), timeline, span, settings);
    expect(analysis.aboveOthers).toMatchObject({ version: "1.5.0-canary", factor: 15 });
    expect(analysis.onlySince).toBeNull();
  });

  it("judges only the span: a version's running time outside it does not dilute its rate", () => {
    const timeline = [ran("1.4.0", T0, start + 30 * MINUTE), ran("1.5.0", start + 30 * MINUTE, start + DAY)];
    const analysis = analyzeVersions(totalsOf({ "1.4.0": 300, "1.5.0": 300 }), timeline, span, settings);
    expect(analysis.versions.map((row) => row.runningMs)).toEqual([30 * MINUTE + WINDOW, 30 * MINUTE]);
    expect(analysis.aboveOthers).toBeNull();
  });
});
