import { storedVersionCountsSchema } from "@/lib/peaks/contract";
import type { TimeRange } from "@/lib/pipeline/log-document";
import { analyzeVersions, DEFAULT_VERSION_SETTINGS, sumVersionCounts, type VersionAnalysis, type VersionTimelineEntry } from "@/lib/pipeline/versions";
import type { VersionFinding, VersionImpact } from "./contract";

const MINUTE_MS = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const tenths = (value: number) => Math.round(value * 10) / 10;

/** The findings of an analysis in the contract's order: the release first, then what it did. */
function findingsOf(analysis: VersionAnalysis): VersionFinding[] {
  const findings: VersionFinding[] = [];
  const { newRelease, onlySince, regression, aboveOthers } = analysis;
  if (newRelease) {
    findings.push({
      kind: "new_release",
      version: newRelease.version,
      firstSeen: iso(newRelease.firstSeenMs),
      minutesBeforeStart: Math.round(newRelease.beforeStartMs / MINUTE_MS),
      share: newRelease.share,
      previousVersion: newRelease.previousVersion,
    });
  }
  if (onlySince) {
    findings.push({
      kind: "only_since",
      version: onlySince.version,
      firstSeen: iso(onlySince.firstSeenMs),
      errors: onlySince.errors,
      quietVersions: onlySince.quietVersions,
      quietMinutes: Math.round(onlySince.quietRunningMs / MINUTE_MS),
      expectedErrors: Math.round(onlySince.expectedErrors),
    });
  }
  if (regression) {
    findings.push({
      kind: "regression",
      before: regression.before,
      quietVersions: regression.quietVersions,
      quietMinutes: Math.round(regression.quietRunningMs / MINUTE_MS),
      expectedErrors: Math.round(regression.expectedErrors),
      back: regression.back,
      backFirstSeen: iso(regression.backFirstSeenMs),
    });
  }
  if (aboveOthers) {
    findings.push({
      kind: "above_others",
      version: aboveOthers.version,
      errors: aboveOthers.errors,
      perHour: tenths(aboveOthers.perHour),
      othersPerHour: tenths(aboveOthers.othersPerHour),
      factor: tenths(aboveOthers.factor),
    });
  }
  return findings;
}

/**
 * The release impact of some peak windows (an incident's; a problem's in one namespace): their
 * stored errors by version (peak_investigation.errors_by_version, as read: a value that is not
 * one is left out) added up and analysed against the namespace's version timeline over `span`
 * (null: the whole timeline). Null when none of the windows has errors by version stored.
 */
export function versionImpactOf(
  stored: readonly unknown[],
  timeline: readonly VersionTimelineEntry[],
  span: TimeRange | null,
  settings: { windowMs: number; windows: number },
): VersionImpact | null {
  const counts = stored.flatMap((value) => {
    const parsed = storedVersionCountsSchema.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
  if (counts.length === 0) return null;
  const analysis = analyzeVersions(sumVersionCounts(counts), timeline, span, { ...DEFAULT_VERSION_SETTINGS, windowMs: settings.windowMs });
  return {
    versions: analysis.versions.map((row) => ({
      version: row.version,
      errors: row.errors,
      share: row.share,
      windows: row.windows,
      firstSeen: row.firstSeenMs === null ? null : iso(row.firstSeenMs),
      lastSeen: row.lastSeenMs === null ? null : iso(row.lastSeenMs),
      runningMinutes: row.runningMs === null ? null : Math.round(row.runningMs / MINUTE_MS),
      perHour: row.perHour === null ? null : tenths(row.perHour),
    })),
    versioned: analysis.versioned,
    unversioned: analysis.unversioned,
    otherVersions: analysis.otherVersions,
    windowsRead: counts.length,
    windows: settings.windows,
    findings: findingsOf(analysis),
  };
}
