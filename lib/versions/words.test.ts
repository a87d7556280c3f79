import { describe, expect, it } from "vitest";
import type { VersionImpact } from "./contract";
import { describeVersionCoverage, describeVersionFinding, formatRate, listVersions } from "./words";

const zone = "Europe/Prague";

function impact(overrides: Partial<VersionImpact> = {}): VersionImpact {
  return { versions: [], versioned: 100, unversioned: 0, otherVersions: 0, windowsRead: 2, windows: 2, findings: [], ...overrides };
}

describe("release impact in words", () => {
  it("lists versions as a person says them", () => {
    expect(listVersions([])).toBe("");
    expect(listVersions(["1.3.0"])).toBe("1.3.0");
    expect(listVersions(["1.3.0", "1.4.0"])).toBe("1.3.0 and 1.4.0");
    expect(listVersions(["1.2.0", "1.3.0", "1.4.0"])).toBe("1.2.0, 1.3.0 and 1.4.0");
  });

  it("says when a release came before, as or into the incident", () => {
    const finding = { kind: "new_release", version: "1.5.0", firstSeen: "2026-03-02T09:48:00Z", share: 0.98, previousVersion: "1.4.0" } as const;
    expect(describeVersionFinding({ ...finding, minutesBeforeStart: 12 }, "incident", zone)).toBe(
      "New with a release: 1.5.0 was first seen 12 min before this incident began (2 Mar 2026, 10:48, after 1.4.0) and holds 98 % of its errors with a version.",
    );
    expect(describeVersionFinding({ ...finding, minutesBeforeStart: 0 }, "incident", zone)).toContain("first seen as this incident began");
    expect(describeVersionFinding({ ...finding, minutesBeforeStart: -75 }, "problem", zone)).toContain("first seen 1 h 15 min into this problem");
  });

  it("says what 'only since' rests on: the quiet versions, how long they ran and what was expected", () => {
    const sentence = describeVersionFinding(
      {
        kind: "only_since",
        version: "1.5.0",
        firstSeen: "2026-03-16T00:00:00Z",
        errors: 1240,
        quietVersions: ["1.3.0", "1.4.0"],
        quietMinutes: 20_190,
        expectedErrors: 480,
      },
      "problem",
      zone,
    );
    expect(sentence).toBe(
      "Only since 1.5.0 (first seen 16 Mar 2026, 01:00): all 1,240 errors with a version are of it or later versions; 1.3.0 and 1.4.0 ran together 14 days without one, where about 480 were expected at the rate since.",
    );
  });

  it("says a regression by version and a version that stands out", () => {
    expect(
      describeVersionFinding(
        {
          kind: "regression",
          before: "1.3.0",
          quietVersions: ["1.4.0"],
          quietMinutes: 10_080,
          expectedErrors: 105,
          back: "1.5.0",
          backFirstSeen: "2026-03-16T00:00:00Z",
        },
        "problem",
        zone,
      ),
    ).toBe("Regression by version: errors in 1.3.0, none in 1.4.0 (ran 7 days, about 105 expected), back in 1.5.0 (first seen 16 Mar 2026, 01:00).");
    expect(
      describeVersionFinding({ kind: "above_others", version: "1.5.0-canary", errors: 900, perHour: 900, othersPerHour: 60, factor: 15 }, "incident", zone),
    ).toBe("1.5.0-canary stands out: 900 errors per hour of running (900 in all), 15× the 60 per hour of the other versions with errors.");
  });

  it("writes rates in tenths below 10 and whole above", () => {
    expect(formatRate(0.04)).toBe("0");
    expect(formatRate(2.46)).toBe("2.5");
    expect(formatRate(1234.4)).toBe("1,234");
  });

  it("says what it could not use: documents without a version, versions past those kept, windows read before versions, versions not tracked yet", () => {
    expect(describeVersionCoverage(impact({ versioned: 0, unversioned: 300 }), "incident")).toEqual([
      "None of the documents of this incident carries a version (source.fields.version).",
    ]);
    expect(
      describeVersionCoverage(
        impact({
          unversioned: 25,
          otherVersions: 5,
          windowsRead: 3,
          windows: 4,
          versions: [{ version: "9.9", errors: 10, share: 0.1, windows: 1, firstSeen: null, lastSeen: null, runningMinutes: null, perHour: null }],
        }),
        "incident",
      ),
    ).toEqual([
      "25 of its 130 errors (19 %) carry no version.",
      "5 errors are of versions past the most frequent ones kept per window, so versions are not compared.",
      "The namespace's version history does not hold 9.9 yet (runs add versions as they read its windows), so versions are not compared.",
      "1 of its 4 windows were investigated before versions were read.",
      "No version stands out: the errors follow the releases evenly, or too few to tell.",
    ]);
  });
});
