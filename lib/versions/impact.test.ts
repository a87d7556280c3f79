import { describe, expect, it } from "vitest";
import { versionImpactOf } from "./impact";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WINDOW = 15 * MINUTE;
const T0 = Date.parse("2026-03-02T10:00:00Z");
const span = { fromMs: T0, toMs: T0 + HOUR };
const window = (versions: [string, number][], unversioned = 0) => ({
  versions: versions.map(([version, errors]) => ({ version, errors })),
  unversioned,
  otherVersions: 0,
});

describe("versionImpactOf", () => {
  it("is null when no window has errors by version stored (investigated before versions were read)", () => {
    expect(versionImpactOf([], [], span, { windowMs: WINDOW, windows: 3 })).toBeNull();
    expect(versionImpactOf([null, "broken"], [], span, { windowMs: WINDOW, windows: 2 })).toBeNull();
  });

  it("adds up the windows' stored counts, leaving out a value that is not one, and says how many windows it read", () => {
    const impact = versionImpactOf([window([["1.4.0", 30]], 5), { versions: "all" }, window([["1.4.0", 20]])], [], null, { windowMs: WINDOW, windows: 4 });
    expect(impact).toMatchObject({ versioned: 50, unversioned: 5, otherVersions: 0, windowsRead: 2, windows: 4, findings: [] });
    expect(impact!.versions).toEqual([
      { version: "1.4.0", errors: 50, share: 1, windows: 2, firstSeen: null, lastSeen: null, runningMinutes: null, perHour: null },
    ]);
  });

  it("gives the findings with ISO times, whole minutes and rates to tenths, the release first", () => {
    const timeline = [
      { version: "1.4.0", firstSeenMs: T0 - 10 * HOUR, lastSeenMs: T0 + 50 * MINUTE, errors: 500 },
      { version: "1.5.0", firstSeenMs: T0 - 5 * MINUTE, lastSeenMs: T0 + 50 * MINUTE, errors: 900 },
    ];
    const impact = versionImpactOf(
      [
        window([
          ["1.5.0", 700],
          ["1.4.0", 20],
        ]),
        window([["1.5.0", 133]]),
      ],
      timeline,
      span,
      { windowMs: WINDOW, windows: 2 },
    )!;
    expect(impact.versions.map((row) => [row.version, row.firstSeen, row.runningMinutes, row.perHour])).toEqual([
      ["1.4.0", new Date(T0 - 10 * HOUR).toISOString(), 60, 20],
      ["1.5.0", new Date(T0 - 5 * MINUTE).toISOString(), 60, 833],
    ]);
    expect(impact.findings).toEqual([
      {
        kind: "new_release",
        version: "1.5.0",
        firstSeen: new Date(T0 - 5 * MINUTE).toISOString(),
        minutesBeforeStart: 5,
        share: 833 / 853,
        previousVersion: "1.4.0",
      },
      { kind: "above_others", version: "1.5.0", errors: 833, perHour: 833, othersPerHour: 20, factor: 41.7 },
    ]);
  });
});
