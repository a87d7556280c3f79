import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { VersionImpact } from "@/lib/versions/contract";
import { ErrorsByVersion } from "./errors-by-version";

const zone = "Europe/Prague";

const impact: VersionImpact = {
  versions: [
    {
      version: "1.4.0",
      errors: 40,
      share: 0.05,
      windows: 4,
      firstSeen: "2026-03-01T08:00:00Z",
      lastSeen: "2026-03-02T10:59:00Z",
      runningMinutes: 60,
      perHour: 40,
    },
    {
      version: "1.5.0",
      errors: 800,
      share: 0.95,
      windows: 4,
      firstSeen: "2026-03-02T09:55:00Z",
      lastSeen: "2026-03-02T10:59:00Z",
      runningMinutes: 60,
      perHour: 800,
    },
  ],
  versioned: 840,
  unversioned: 0,
  otherVersions: 0,
  windowsRead: 4,
  windows: 4,
  findings: [
    { kind: "new_release", version: "1.5.0", firstSeen: "2026-03-02T09:55:00Z", minutesBeforeStart: 5, share: 0.95, previousVersion: "1.4.0" },
    { kind: "above_others", version: "1.5.0", errors: 800, perHour: 800, othersPerHour: 40, factor: 20 },
  ],
};

describe("ErrorsByVersion", () => {
  it("shows nothing for an incident investigated before versions were read", () => {
    expect(renderToStaticMarkup(<ErrorsByVersion impact={null} subject="incident" timeZone={zone} />)).toBe("");
  });

  it("says the findings in words and lists the versions with errors, share, first seen, running time and rate", () => {
    const html = renderToStaticMarkup(<ErrorsByVersion impact={impact} subject="incident" timeZone={zone} />);
    expect(html).toContain('<h2 id="incident-versions">Errors by version</h2>');
    expect(html).toContain("<li>New with a release: 1.5.0 was first seen 5 min before this incident began (2 Mar 2026, 10:55, after 1.4.0)");
    expect(html).toContain("<li>1.5.0 stands out: 800 errors per hour of running (800 in all), 20× the 40 per hour of the other versions with errors.</li>");
    expect(html).toMatch(
      /<th scope="row" class="versions-name">1\.5\.0<\/th><td class="num">800<\/td><td class="num">95 %<\/td><td class="nowrap">2 Mar 2026, 10:55<\/td><td class="num">1 h<\/td><td class="num">800<\/td>/,
    );
    expect(html).not.toContain("No version stands out");
  });

  it("says when its documents carry no version, without a table", () => {
    const html = renderToStaticMarkup(
      <ErrorsByVersion impact={{ ...impact, versions: [], versioned: 0, unversioned: 500, findings: [] }} subject="incident" timeZone={zone} />,
    );
    expect(html).toContain("None of the documents of this incident carries a version (source.fields.version).");
    expect(html).not.toContain("<table");
  });

  it("names a problem's namespace in the heading, with the heading id it is given", () => {
    const html = renderToStaticMarkup(
      <ErrorsByVersion impact={impact} subject="problem" timeZone={zone} namespace="payments" headingId="problem-versions-0" />,
    );
    expect(html).toContain('<h2 id="problem-versions-0">Errors by version in payments</h2>');
    expect(html).toContain('aria-labelledby="problem-versions-0"');
    expect(html).toContain("first seen 5 min before this problem began");
  });
});
