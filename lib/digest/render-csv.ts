import { formatCsvRecord, type CsvField } from "@/lib/csv";
import type { DigestContent, DigestTable } from "./contract";

// The digest's tables as CSV (RFC 4180, CRLF, times ISO in UTC, lists joined with "; "): one
// table per file, the same rows the page shows.

const join = (values: readonly string[]) => values.join("; ");
const text = (value: string | number | boolean | null | undefined): CsvField => (value === null || value === undefined ? null : String(value));

const COLUMNS: Record<DigestTable, readonly string[]> = {
  problems: [
    "rank",
    "id",
    "error_type",
    "template",
    "trend",
    "errors",
    "previous_errors",
    "previous_missing_windows",
    "previous_stored_from",
    "occurrences",
    "incidents",
    "scope",
    "most_namespaces_at_once",
    "namespaces",
    "apps",
    "first_seen",
    "last_seen",
    "known_issue_id",
    "known_issue_title",
    "release_findings",
    "url",
  ],
  incidents: ["id", "namespace", "start", "end", "ongoing", "status", "severity", "windows", "errors", "owner", "known_issue", "snoozed_until", "url"],
  "data-gaps": ["id", "kind", "subject", "open_at_end", "opened_at", "closed_at", "data_until", "detail"],
  versions: ["namespace", "version", "first_seen", "errors"],
};

function rowsOf(content: DigestContent, table: DigestTable): CsvField[][] {
  switch (table) {
    case "problems":
      return content.problems.map((problem) =>
        [
          problem.rank,
          problem.id,
          problem.errorType,
          problem.template ?? problem.example,
          problem.trend.direction,
          problem.trend.current.errors,
          problem.trend.previous.errors,
          problem.trend.previousGap?.missingWindows ?? 0,
          problem.trend.previousGap?.storedFrom,
          problem.occurrences,
          problem.incidents,
          problem.scope.kind,
          problem.scope.mostAtOnce,
          join(problem.namespaces),
          join(problem.apps),
          problem.firstSeen,
          problem.lastSeen,
          problem.knownIssue?.id,
          problem.knownIssue?.title,
          join(problem.versionFindings.map((finding) => finding.text)),
          problem.url,
        ].map(text),
      );
    case "incidents":
      return content.openIncidents.map((incident) =>
        [
          incident.id,
          incident.namespace,
          incident.start,
          incident.end,
          incident.isOngoing,
          incident.status,
          incident.severity,
          incident.windows,
          incident.errors,
          incident.owner,
          incident.knownIssue,
          incident.snoozedUntil,
          incident.url,
        ].map(text),
      );
    case "data-gaps":
      return content.dataGaps.map((gap) => [gap.id, gap.kind, gap.subject, gap.isOpen, gap.openedAt, gap.closedAt, gap.dataUntil, gap.detail].map(text));
    case "versions":
      return content.newVersions.map((version) => [version.namespace, version.version, version.firstSeen, version.errors].map(text));
  }
}

/** One table of the digest as a CSV text, with its header. */
export function digestCsv(content: DigestContent, table: DigestTable): string {
  return [COLUMNS[table] as CsvField[], ...rowsOf(content, table)].map(formatCsvRecord).join("");
}

/** The file name a table downloads as: digest-2026-01-15-problems.csv. */
export function digestCsvFileName(date: string, table: DigestTable): string {
  return `digest-${date}-${table}.csv`;
}
