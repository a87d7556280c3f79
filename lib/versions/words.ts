import { formatCount, formatDateTime, formatMinutes } from "@/lib/format";
import type { VersionFinding, VersionImpact } from "./contract";

// Release impact in words, for the incident and problem pages: pure and safe for the browser.

/** What the errors belong to: "this incident", "this problem". */
export type VersionSubject = "incident" | "problem";

const percent = (share: number) => `${Math.round(share * 100)} %`;

/** A list of versions as a person says it: "1.3.0", "1.3.0 and 1.4.0", "1.2.0, 1.3.0 and 1.4.0". */
export function listVersions(versions: readonly string[]): string {
  if (versions.length <= 1) return versions[0] ?? "";
  return `${versions.slice(0, -1).join(", ")} and ${versions.at(-1)}`;
}

/** One finding as a sentence. */
export function describeVersionFinding(finding: VersionFinding, subject: VersionSubject, timeZone: string): string {
  const own = `this ${subject}`;
  switch (finding.kind) {
    case "new_release": {
      const when =
        finding.minutesBeforeStart > 0
          ? `${formatMinutes(finding.minutesBeforeStart)} before ${own} began`
          : finding.minutesBeforeStart === 0
            ? `as ${own} began`
            : `${formatMinutes(-finding.minutesBeforeStart)} into ${own}`;
      return `New with a release: ${finding.version} was first seen ${when} (${formatDateTime(finding.firstSeen, timeZone)}, after ${finding.previousVersion}) and holds ${percent(finding.share)} of its errors with a version.`;
    }
    case "only_since": {
      const quiet = finding.quietVersions.length === 1 ? `${finding.quietVersions[0]} ran` : `${listVersions(finding.quietVersions)} ran together`;
      return (
        `Only since ${finding.version} (first seen ${formatDateTime(finding.firstSeen, timeZone)}): all ${formatCount(finding.errors)} errors with a version are of it or later versions; ` +
        `${quiet} ${formatMinutes(finding.quietMinutes)} without one, where about ${formatCount(finding.expectedErrors)} were expected at the rate since.`
      );
    }
    case "regression":
      return (
        `Regression by version: errors in ${finding.before}, none in ${listVersions(finding.quietVersions)} (ran ${formatMinutes(finding.quietMinutes)}, ` +
        `about ${formatCount(finding.expectedErrors)} expected), back in ${finding.back} (first seen ${formatDateTime(finding.backFirstSeen, timeZone)}).`
      );
    case "above_others":
      return (
        `${finding.version} stands out: ${formatRate(finding.perHour)} errors per hour of running (${formatCount(finding.errors)} in all), ` +
        `${finding.factor}× the ${formatRate(finding.othersPerHour)} per hour of the other versions with errors.`
      );
  }
}

/** Errors per hour: whole numbers from 10 on, tenths below. */
export function formatRate(perHour: number): string {
  return perHour >= 10 ? formatCount(Math.round(perHour)) : String(Math.round(perHour * 10) / 10);
}

/** What the section says when it has no finding, or about the documents it could not place. */
export function describeVersionCoverage(impact: VersionImpact, subject: VersionSubject): string[] {
  const own = `this ${subject}`;
  const notes: string[] = [];
  const all = impact.versioned + impact.unversioned + impact.otherVersions;
  if (impact.versioned === 0) notes.push(`None of the documents of ${own} carries a version (source.fields.version).`);
  else if (impact.unversioned > 0)
    notes.push(`${formatCount(impact.unversioned)} of its ${formatCount(all)} errors (${percent(impact.unversioned / all)}) carry no version.`);
  if (impact.otherVersions > 0)
    notes.push(`${formatCount(impact.otherVersions)} errors are of versions past the most frequent ones kept per window, so versions are not compared.`);
  const untracked = impact.versions.filter((row) => row.errors > 0 && row.firstSeen === null).map((row) => row.version);
  if (untracked.length > 0)
    notes.push(
      `The namespace's version history does not hold ${listVersions(untracked)} yet (runs add versions as they read its windows), so versions are not compared.`,
    );
  if (impact.windowsRead < impact.windows)
    notes.push(
      `${formatCount(impact.windows - impact.windowsRead)} of its ${formatCount(impact.windows)} windows were investigated before versions were read.`,
    );
  if (impact.versioned > 0 && impact.findings.length === 0) notes.push("No version stands out: the errors follow the releases evenly, or too few to tell.");
  return notes;
}
