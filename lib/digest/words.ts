import { formatCount, formatDateTime, formatMinutes } from "@/lib/format";
import type { ProblemSummary } from "@/lib/problems/contract";
import { trendLabel } from "@/lib/problems/words";
import type { DigestContent, DigestDataGap, DigestIncident, DigestVersion } from "./contract";

// The digest in words, shared by the card, the e-mail, the page and the CSV: pure and safe for the browser.

/**
 * "up: 1,200 errors, 300 the period before (×4.0)"; "new: 1,200 errors, none the period before";
 * "…, none the period before (incomplete: not all of it was read)" when it lacks data.
 */
export function describeTrend(trend: ProblemSummary["trend"]): string {
  const now = `${formatCount(trend.current.errors)} errors`;
  const caveat = trendLabel(trend).caveat === null ? "" : " (incomplete: not all of it was read)";
  if (trend.previous.errors === 0) return `new: ${now}, none the period before${caveat}`;
  const ratio = trend.ratio === null ? "" : ` (×${trend.ratio.toFixed(1)})`;
  return `${trend.direction}: ${now}, ${formatCount(trend.previous.errors)} the period before${ratio}${caveat}`;
}

/** A new version's errors so far: "1,200", or "not counted yet" (dated by an ingestion, no window of it counted). */
export function describeVersionErrors(version: DigestVersion): string {
  return version.errors === null ? "not counted yet" : formatCount(version.errors);
}

/** "one namespace", "4 namespaces, at different times", "systemic: 5 namespaces, 4 at once". */
export function describeScope(scope: ProblemSummary["scope"]): string {
  if (scope.kind === "single") return "one namespace";
  if (scope.kind === "several") return `${scope.namespaces} namespaces, at most ${scope.mostAtOnce} at once`;
  return `systemic: ${scope.namespaces} namespaces, ${scope.mostAtOnce} at once`;
}

/** What names a problem for a reader: its template, else its example message, else its id. */
export function problemTitle(problem: Pick<ProblemSummary, "template" | "example" | "id">, maxLength = 160): string {
  const text = (problem.template ?? problem.example ?? problem.id).replace(/\s+/g, " ").trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** "#12 Payments timeout (open)" or "none". */
export function describeKnownIssue(knownIssue: ProblemSummary["knownIssue"]): string {
  return knownIssue ? `#${knownIssue.id} ${knownIssue.title} (${knownIssue.status})` : "none";
}

/** "14 Jan 2026, 08:00 to 15 Jan 2026, 08:00 Europe/Prague (24 h)". */
export function describePeriod(content: Pick<DigestContent, "period" | "timeZone">): string {
  return `${formatDateTime(content.period.from, content.timeZone)} to ${formatDateTime(content.period.to, content.timeZone)} ${content.timeZone} (${formatMinutes(content.period.minutes)})`;
}

/** "ongoing, critical, acknowledged, owner ana@example.com". */
export function describeIncidentState(incident: DigestIncident, timeZone: string): string {
  return [
    incident.isOngoing ? "ongoing" : `ended ${formatDateTime(incident.end, timeZone)}`,
    incident.severity,
    incident.status,
    incident.owner ? `owner ${incident.owner}` : "no owner",
    incident.snoozedUntil ? `snoozed until ${formatDateTime(incident.snoozedUntil, timeZone)}` : null,
    incident.knownIssue ? `known issue ${incident.knownIssue}` : null,
  ]
    .filter((part) => part !== null)
    .join(", ");
}

/** "Log source: no data since …" / "Namespace payments silent", open or closed at. */
export function describeDataGap(gap: DigestDataGap, timeZone: string): string {
  const what = gap.kind === "stale" ? "Log source behind" : `Namespace ${gap.subject} silent`;
  const when = gap.isOpen
    ? `open since ${formatDateTime(gap.openedAt, timeZone)}`
    : `${formatDateTime(gap.openedAt, timeZone)} to ${formatDateTime(gap.closedAt, timeZone)}`;
  return `${what}, ${when}: ${gap.detail}`;
}
