import type { DigestPeriod } from "@/lib/pipeline/digest-period";
import { digestPeriodMinutes } from "@/lib/pipeline/digest-period";
import { problemPath, type ProblemSummary } from "@/lib/problems/contract";
import type { VersionFinding, VersionFindingKind } from "@/lib/versions/contract";
import { describeVersionFinding } from "@/lib/versions/words";
import { MAX_DIGEST_ROWS, type DigestContent, type DigestDataGap, type DigestIncident, type DigestProblem, type DigestVersion } from "./contract";

// The digest's content from what was read for its period: pure (no clock, no I/O), so that the
// card, the e-mail, the page, JSON and CSV all say the same thing. The problems come ranked by
// lib/problems (the actionable order); nothing here judges a trend or a scope again.

/** Release findings of one problem (errors by version, lib/pipeline/versions.ts), for the lead's per-problem analysis to pass in. */
export type ProblemVersionFindings = { problemId: string; findings: readonly VersionFinding[] };

/** An incident open at the period's end, as read; times UTC ms. */
export type OpenIncidentRow = Omit<DigestIncident, "url" | "start" | "end" | "snoozedUntil"> & {
  startMs: number;
  endMs: number;
  snoozedUntilMs: number | null;
};

/** A data-gap episode open at the period's end or during it, as read; times UTC ms. */
export type DataGapRow = Omit<DigestDataGap, "dataUntil" | "openedAt" | "closedAt" | "isOpen"> & {
  dataUntilMs: number | null;
  openedAtMs: number;
  closedAtMs: number | null;
};

export type DigestSources = {
  period: DigestPeriod;
  timeZone: string;
  localTime: string;
  /** digest.top: problems listed. */
  top: number;
  dashboardUrl: string;
  /** The period's problems, most actionable first (at least the top ones). */
  problems: readonly ProblemSummary[];
  problemTotal: number;
  windowsWithoutRootCause: number;
  /** Per-problem release findings; problems without an entry have none. */
  versionFindings?: readonly ProblemVersionFindings[];
  newVersions: readonly { namespace: string; version: string; firstSeenMs: number; errors: number | null }[];
  newVersionTotal: number;
  openIncidents: readonly OpenIncidentRow[];
  openIncidentTotal: number;
  dataGaps: readonly DataGapRow[];
};

/** Which release findings come first: a regression or a new release is what a digest reader acts on. */
const FINDING_ORDER: Record<VersionFindingKind, number> = { regression: 0, new_release: 1, only_since: 2, above_others: 3 };
const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

const isoOf = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : isoOf(ms));

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The digest's content: the top problems with their release findings, new versions, open incidents and data gaps. */
export function composeDigest(sources: DigestSources): DigestContent {
  const base = sources.dashboardUrl.replace(/\/$/, "");
  const findingsOf = new Map((sources.versionFindings ?? []).map((entry) => [entry.problemId, entry.findings]));
  const problems: DigestProblem[] = sources.problems.slice(0, sources.top).map((problem, index) => ({
    ...problem,
    rank: index + 1,
    url: `${base}${problemPath(problem.id)}`,
    versionFindings: [...(findingsOf.get(problem.id) ?? [])]
      .sort((left, right) => FINDING_ORDER[left.kind] - FINDING_ORDER[right.kind])
      .map((finding) => ({ kind: finding.kind, text: describeVersionFinding(finding, "problem", sources.timeZone) })),
  }));
  const releaseFindings = problems
    .flatMap((problem) => problem.versionFindings.map((finding) => ({ problemId: problem.id, rank: problem.rank, ...finding })))
    .sort((left, right) => FINDING_ORDER[left.kind] - FINDING_ORDER[right.kind] || left.rank - right.rank)
    .map(({ problemId, kind, text }) => ({ problemId, kind, text }));
  const newVersions: DigestVersion[] = [...sources.newVersions]
    .sort((left, right) => left.firstSeenMs - right.firstSeenMs || left.namespace.localeCompare(right.namespace) || left.version.localeCompare(right.version))
    .slice(0, MAX_DIGEST_ROWS)
    .map((version) => ({ namespace: version.namespace, version: version.version, firstSeen: isoOf(version.firstSeenMs), errors: version.errors }));
  // Ongoing before ended, then the worst, then the oldest: what still burns first.
  const openIncidents: DigestIncident[] = [...sources.openIncidents]
    .sort(
      (left, right) =>
        Number(right.isOngoing) - Number(left.isOngoing) ||
        (SEVERITY_ORDER[left.severity] ?? 9) - (SEVERITY_ORDER[right.severity] ?? 9) ||
        left.startMs - right.startMs ||
        left.id - right.id,
    )
    .slice(0, MAX_DIGEST_ROWS)
    .map(({ startMs, endMs, snoozedUntilMs, ...incident }) => ({
      ...incident,
      url: `${base}/incidents/${incident.id}`,
      start: isoOf(startMs),
      end: isoOf(endMs),
      snoozedUntil: isoOrNull(snoozedUntilMs),
    }));
  const dataGaps: DigestDataGap[] = sources.dataGaps
    .map(({ dataUntilMs, openedAtMs, closedAtMs, ...gap }) => ({
      ...gap,
      dataUntil: isoOrNull(dataUntilMs),
      openedAt: isoOf(openedAtMs),
      closedAt: isoOrNull(closedAtMs),
      isOpen: closedAtMs === null || closedAtMs >= sources.period.toMs,
    }))
    .sort((left, right) => Number(right.isOpen) - Number(left.isOpen) || left.openedAt.localeCompare(right.openedAt) || left.id - right.id)
    .slice(0, MAX_DIGEST_ROWS);
  return {
    date: sources.period.date,
    timeZone: sources.timeZone,
    localTime: sources.localTime,
    period: { from: isoOf(sources.period.fromMs), to: isoOf(sources.period.toMs), minutes: digestPeriodMinutes(sources.period) },
    url: `${base}/reports/daily/${sources.period.date}`,
    headline: headlineOf(sources, releaseFindings.length, dataGaps),
    top: sources.top,
    problems,
    problemTotal: sources.problemTotal,
    windowsWithoutRootCause: sources.windowsWithoutRootCause,
    releaseFindings,
    newVersions,
    newVersionTotal: sources.newVersionTotal,
    openIncidents,
    openIncidentTotal: sources.openIncidentTotal,
    dataGaps,
  };
}

/** "12 problems (top 10: 2 without a known issue, 1 growing, 1 systemic); 2 incidents still open; 1 data gap open; 3 new versions". */
function headlineOf(sources: DigestSources, releaseFindings: number, gaps: readonly DigestDataGap[]): string {
  const parts: string[] = [];
  if (sources.problemTotal === 0) parts.push("No problem");
  else {
    const listed = sources.problems.slice(0, sources.top);
    const unknown = listed.filter((problem) => problem.knownIssue === null).length;
    const growing = listed.filter((problem) => problem.trend.direction === "up").length;
    const systemic = listed.filter((problem) => problem.scope.kind === "systemic").length;
    const details = [
      unknown > 0 ? `${unknown} without a known issue` : null,
      growing > 0 ? `${growing} growing` : null,
      systemic > 0 ? `${systemic} systemic` : null,
    ].filter((detail) => detail !== null);
    const of = sources.problemTotal > listed.length ? `top ${listed.length}: ` : "";
    parts.push(`${plural(sources.problemTotal, "problem")}${details.length > 0 ? ` (${of}${details.join(", ")})` : ""}`);
  }
  if (sources.openIncidentTotal > 0) parts.push(`${plural(sources.openIncidentTotal, "incident")} still open`);
  const openGaps = gaps.filter((gap) => gap.isOpen).length;
  if (openGaps > 0) parts.push(`${plural(openGaps, "data gap")} open`);
  if (sources.newVersionTotal > 0) parts.push(`${plural(sources.newVersionTotal, "new version")}`);
  if (releaseFindings > 0) parts.push(`${plural(releaseFindings, "release finding")}`);
  return parts.join("; ");
}
