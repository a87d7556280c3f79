import { describe, expect, it } from "vitest";
import type { VersionFinding } from "@/lib/versions/contract";
import { composeDigest } from "./compose";
import { problemOf, sourcesOf } from "./digest-sources.fixture";

const regression: VersionFinding = {
  kind: "regression",
  before: "2.2.0",
  quietVersions: ["2.3.0"],
  quietMinutes: 600,
  expectedErrors: 50,
  back: "2.4.0",
  backFirstSeen: "2026-01-14T12:00:00.000Z",
};
const newRelease: VersionFinding = {
  kind: "new_release",
  version: "2.4.0",
  firstSeen: "2026-01-14T12:00:00.000Z",
  minutesBeforeStart: 30,
  share: 0.9,
  previousVersion: "2.3.0",
};

describe("composeDigest", () => {
  it("lists the top problems in the order given, ranked, with links, and counts all of them", () => {
    const content = composeDigest(sourcesOf());
    expect(content.problems.map((problem) => [problem.rank, problem.id, problem.url])).toEqual([
      [1, "aa11-timeout", "https://peaks.example.com/problems/aa11-timeout"],
      [2, "bb22-database", "https://peaks.example.com/problems/bb22-database"],
    ]);
    expect(content.problemTotal).toBe(3);
    expect(content.url).toBe("https://peaks.example.com/reports/daily/2026-01-15");
    expect(content.period).toEqual({ from: "2026-01-14T07:00:00.000Z", to: "2026-01-15T07:00:00.000Z", minutes: 1440 });
  });

  it("says in one line what needs attention, counting the listed problems' traits", () => {
    expect(composeDigest(sourcesOf()).headline).toBe(
      "3 problems (top 2: 2 without a known issue, 1 growing, 1 systemic); 2 incidents still open; 1 data gap open; 2 new versions",
    );
    expect(
      composeDigest(sourcesOf({ problems: [], problemTotal: 0, openIncidents: [], openIncidentTotal: 0, dataGaps: [], newVersions: [], newVersionTotal: 0 }))
        .headline,
    ).toBe("No problem");
  });

  it("attaches the release findings passed per problem, regressions first, and lists them for the releases part", () => {
    const content = composeDigest(
      sourcesOf({
        versionFindings: [
          { problemId: "bb22-database", findings: [newRelease, regression] },
          { problemId: "aa11-timeout", findings: [newRelease] },
          // Not among the top two: not shown.
          { problemId: "cc33-auth", findings: [regression] },
        ],
      }),
    );
    expect(content.problems[1]!.versionFindings.map((finding) => finding.kind)).toEqual(["regression", "new_release"]);
    expect(content.problems[1]!.versionFindings[0]!.text).toMatch(/^Regression by version: errors in 2\.2\.0, none in 2\.3\.0/);
    expect(content.releaseFindings.map((finding) => [finding.problemId, finding.kind])).toEqual([
      ["bb22-database", "regression"],
      ["aa11-timeout", "new_release"],
      ["bb22-database", "new_release"],
    ]);
    expect(content.headline).toContain("3 release findings");
    expect(composeDigest(sourcesOf()).problems[0]!.versionFindings).toEqual([]);
  });

  it("orders new versions by first seen and open incidents ongoing first, then by severity", () => {
    const content = composeDigest(sourcesOf());
    expect(content.newVersions.map((version) => version.version)).toEqual(["1.9.1", "2.4.0"]);
    expect(content.newVersions[0]!.firstSeen).toBe("2026-01-14T09:00:00.000Z");
    expect(content.openIncidents.map((incident) => [incident.id, incident.url])).toEqual([
      [12, "https://peaks.example.com/incidents/12"],
      [11, "https://peaks.example.com/incidents/11"],
    ]);
  });

  it("marks a data gap open when it was still open at the period's end, and lists open ones first", () => {
    const closedAfterEnd = sourcesOf().dataGaps.map((gap) => (gap.id === 3 ? { ...gap, closedAtMs: Date.parse("2026-01-15T07:00:00Z") } : gap));
    expect(composeDigest(sourcesOf()).dataGaps.map((gap) => [gap.id, gap.isOpen])).toEqual([
      [4, true],
      [3, false],
    ]);
    // Closed exactly at the end: it was open at the end (end exclusive).
    expect(composeDigest(sourcesOf({ dataGaps: closedAfterEnd })).dataGaps.map((gap) => [gap.id, gap.isOpen])).toEqual([
      [3, true],
      [4, true],
    ]);
  });

  it("lists every problem when fewer than top, without a 'top' qualifier", () => {
    const content = composeDigest(sourcesOf({ top: 10, problems: [problemOf("aa11-timeout")], problemTotal: 1 }));
    expect(content.problems).toHaveLength(1);
    expect(content.headline.startsWith("1 problem (1 without a known issue, 1 growing)")).toBe(true);
  });
});
