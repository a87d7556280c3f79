import Link from "next/link";
import { KnownIssueStatusBadge } from "@/components/known-issues/known-issue-status-badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { KnownIssueSummary } from "@/lib/known-issues/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { describeMatcher, describeScope } from "@/lib/known-issues/form";

/** Templates shown per issue in the list; the detail page has them all. */
const LISTED_TEMPLATES = 2;

function MatcherSummary({ issue }: { issue: KnownIssueSummary }) {
  const shown = issue.patterns.slice(0, LISTED_TEMPLATES);
  return (
    <>
      <span className="nowrap">{describeMatcher(issue.patternIds.length, issue.regexes.length)}</span>
      {shown.length > 0 ? (
        <ul className="ki-templates">
          {shown.map((pattern) => (
            <li key={pattern.patternId} className="ki-clip" title={pattern.template ?? pattern.patternId}>
              {pattern.template ?? <code>{pattern.patternId}</code>}
            </li>
          ))}
          {issue.patterns.length > shown.length ? <li className="muted">and {issue.patterns.length - shown.length} more</li> : null}
        </ul>
      ) : null}
    </>
  );
}

function knownIssueColumns(timeZone: string): Column<KnownIssueSummary>[] {
  return [
    {
      key: "title",
      header: "Title",
      className: "ki-title-cell",
      cell: (issue) => (
        <>
          <Link href={`/known-issues/${issue.id}`} className="ki-title-link">
            {issue.title}
          </Link>
          <span className="muted"> #{issue.id}</span>
        </>
      ),
    },
    { key: "scope", header: "Scope", cell: (issue) => describeScope(issue.namespace, issue.appName) },
    { key: "matcher", header: "Matcher", className: "ki-matcher-cell", cell: (issue) => <MatcherSummary issue={issue} /> },
    { key: "matched", header: "Matched peaks", align: "end", cell: (issue) => formatCount(issue.matchedPeaks) },
    { key: "last-matched", header: "Last matched", className: "nowrap", cell: (issue) => formatDateTime(issue.lastMatchedAt, timeZone) },
    { key: "status", header: "Status", cell: (issue) => <KnownIssueStatusBadge status={issue.status} /> },
    {
      key: "created",
      header: "Created",
      cell: (issue) => (
        <>
          <span className="nowrap">{formatDateTime(issue.createdAt, timeZone)}</span>
          <br />
          <span className="muted">{issue.createdBy ?? "—"}</span>
        </>
      ),
    },
  ];
}

/** Known issues with their scope, matcher, how often and when they last matched, status and author. */
export function KnownIssuesTable({ issues, timeZone }: { issues: readonly KnownIssueSummary[]; timeZone: string }) {
  return <DataTable rows={issues} columns={knownIssueColumns(timeZone)} getRowKey={(issue) => issue.id} className="ki-table" scroll="horizontal" />;
}
