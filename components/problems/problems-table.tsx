import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatCount, formatDateTime } from "@/lib/format";
import type { ProblemSummary } from "@/lib/problems/contract";
import { boundedList, scopeWords } from "@/lib/problems/words";
import { ProblemTrendLabel } from "./problem-trend";

/** Namespaces and apps named in a row; the rest are counted ("+2 more") and named in the tooltip. */
const MAX_NAMES = 3;

function Names({ names, noun }: { names: readonly string[]; noun: string }) {
  if (names.length === 0) return <span className="muted">no {noun}</span>;
  const { shown, more } = boundedList(names, MAX_NAMES);
  return (
    <span title={more > 0 ? names.join(", ") : undefined}>
      {shown.join(", ")}
      {more > 0 ? <span className="muted">{` +${more} more`}</span> : null}
    </span>
  );
}

function problemColumns(timeZone: string, hrefOf: (id: string) => string): Column<ProblemSummary>[] {
  return [
    {
      key: "problem",
      header: "Problem",
      rowHeader: true,
      className: "problem-cell",
      cell: (problem) => (
        <span className="problem-name">
          <Link href={hrefOf(problem.id)} className="problem-template" title={problem.template ?? problem.example ?? problem.id}>
            {problem.template ?? problem.example ?? problem.id}
          </Link>
          <span className="muted problem-type">
            <code>{problem.errorType}</code>
            {problem.template === null && problem.example !== null ? " · example message, pattern no longer kept" : null}
          </span>
        </span>
      ),
    },
    { key: "trend", header: "Trend", cell: (problem) => <ProblemTrendLabel trend={problem.trend} /> },
    {
      key: "scope",
      header: "Scope",
      className: "nowrap",
      cell: (problem) => (
        <span className={`problem-scope problem-scope-${problem.scope.kind}`}>
          {scopeWords[problem.scope.kind]}
          {problem.scope.kind === "single" ? null : <span className="muted"> · {formatCount(problem.scope.mostAtOnce)} at once</span>}
        </span>
      ),
    },
    {
      key: "where",
      header: "Namespaces / apps",
      className: "problem-where",
      cell: (problem) => (
        <>
          <Names names={problem.namespaces} noun="namespace" />
          <br />
          <span className="muted">
            <Names names={problem.apps} noun="app" />
          </span>
        </>
      ),
    },
    { key: "occurrences", header: "Occurrences", align: "end", cell: (problem) => formatCount(problem.occurrences) },
    { key: "incidents", header: "Incidents", align: "end", cell: (problem) => formatCount(problem.incidents) },
    {
      key: "seen",
      header: "First / last seen",
      className: "nowrap",
      cell: (problem) => (
        <>
          {formatDateTime(problem.firstSeen, timeZone)}
          <br />
          <span className="muted">{formatDateTime(problem.lastSeen, timeZone)}</span>
        </>
      ),
    },
    {
      key: "known",
      header: "Known issue",
      cell: (problem) =>
        problem.knownIssue ? <Link href={`/known-issues/${problem.knownIssue.id}`}>{problem.knownIssue.title}</Link> : <span className="muted">none</span>,
    },
  ];
}

/** The Problems list, most actionable first (as the API orders it): what caused it, trend, scope, where, how much, when, known issue. */
export function ProblemsTable({
  problems,
  timeZone,
  caption,
  hrefOf,
}: {
  problems: readonly ProblemSummary[];
  timeZone: string;
  caption: string;
  /** A problem's page, with the list's period. */
  hrefOf: (id: string) => string;
}) {
  return (
    <DataTable
      rows={problems}
      columns={problemColumns(timeZone, hrefOf)}
      getRowKey={(problem) => problem.id}
      rowProps={(problem) => ({ "data-problem-id": problem.id })}
      className="problems-table"
      caption={caption}
      captionClassName="problem-sr-only"
      scroll="horizontal"
      scrollLabel="Problems, scrolls sideways"
    />
  );
}
