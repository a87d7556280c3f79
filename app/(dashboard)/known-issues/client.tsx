"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { KnownIssueStatusBadge } from "@/components/known-issues/known-issue-status-badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { KnownIssueSummary } from "@/lib/db/known-issues";
import { formatCount, formatDateTime } from "@/lib/format";
import { describeMatcher, describeScope } from "@/lib/known-issues/form";
import { fetchJson } from "@/lib/http/fetch-json";
import { knownIssuesSearchString, parseKnownIssuesSearch, statusFilters, type KnownIssuesSearch, type StatusFilter } from "./search-params";

/** Quiet time after the last keystroke in the search box before the URL (and the list) follow it (ms). */
const SEARCH_DEBOUNCE_MS = 300;
/** Templates shown per issue in the list; the detail page has them all. */
const LISTED_TEMPLATES = 2;

const STATUS_LABELS: Record<StatusFilter, string> = { all: "All", active: "Active", resolved: "Resolved" };

function isSameSearch(left: KnownIssuesSearch, right: KnownIssuesSearch): boolean {
  return left.status === right.status && left.q === right.q;
}

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

type KnownIssuesClientProps = { initialSearch: KnownIssuesSearch; initialIssues: KnownIssueSummary[]; timeZone: string; canEdit: boolean };

export function KnownIssuesClient({ initialSearch, initialIssues, timeZone, canEdit }: KnownIssuesClientProps) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const searchText = searchParams.toString();
  const search = useMemo(() => parseKnownIssuesSearch(new URLSearchParams(searchText)), [searchText]);

  const [text, setText] = useState(search.q);
  const [syncedQ, setSyncedQ] = useState(search.q);
  // Back and forward change the URL under the search box; trailing spaces being typed are not a change.
  if (search.q !== syncedQ) {
    setSyncedQ(search.q);
    if (text.trim() !== search.q) setText(search.q);
  }

  const show = (next: KnownIssuesSearch) => router.replace(`${pathname}${knownIssuesSearchString(next)}`, { scroll: false });
  useEffect(() => {
    if (text.trim() === search.q) return;
    const timer = setTimeout(() => router.replace(`${pathname}${knownIssuesSearchString({ ...search, q: text })}`, { scroll: false }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, search, router, pathname]);

  const list = useQuery({
    queryKey: ["known-issues", search.status, search.q],
    queryFn: ({ signal }) =>
      fetchJson<{ knownIssues: KnownIssueSummary[] }>(`/api/known-issues${knownIssuesSearchString(search)}`, { signal }).then((body) => body.knownIssues),
    initialData: isSameSearch(search, initialSearch) ? initialIssues : undefined,
    placeholderData: keepPreviousData,
  });
  const issues = list.data ?? [];
  const isFiltered = search.status !== "all" || search.q !== "";

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Known issues</h1>
          <p>Recurring problems with their patterns and scope; a peak whose root cause matches one is labelled with it. Times in {timeZone}.</p>
        </div>
        {canEdit ? (
          <Link className="button ki-button-link" href="/known-issues/new">
            New known issue
          </Link>
        ) : null}
      </header>
      <form className="ki-filters" role="search" aria-label="Filter known issues" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="known-issues-q">Search</label>
          <input
            id="known-issues-q"
            type="search"
            value={text}
            maxLength={200}
            placeholder="title, description or exact pattern id"
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="known-issues-status">Status</label>
          <select
            id="known-issues-status"
            value={search.status}
            onChange={(event) => show({ ...search, q: text.trim(), status: event.target.value as StatusFilter })}
          >
            {statusFilters.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </div>
        {isFiltered ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setText("");
              show({ status: "all", q: "" });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </form>
      {list.isError ? (
        <p className="alert alert-error" role="alert">
          Could not load the known issues: {list.error.message}
        </p>
      ) : null}
      {list.isPending ? (
        <section className="card" aria-busy="true" aria-label="Loading the known issues">
          <div className="skeleton" style={{ height: "10rem" }} />
        </section>
      ) : issues.length === 0 ? (
        isFiltered ? (
          <EmptyState title="No known issue matches these filters">
            <p>Search looks in titles and descriptions, and for a whole pattern id. Clear the filters to see every known issue.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No known issues yet">
            <p>
              A known issue names a recurring problem by its error patterns or regular expressions, so that the peaks it causes are labelled instead of alerting
              as new.{" "}
              {canEdit ? (
                <>
                  Create one with <Link href="/known-issues/new">New known issue</Link>, or from a peak&apos;s root cause.
                </>
              ) : (
                "Analysts create them."
              )}
            </p>
          </EmptyState>
        )
      ) : (
        <section className="card" aria-labelledby="known-issues-list" aria-busy={list.isFetching}>
          <h2 id="known-issues-list">
            {formatCount(issues.length)} known {issues.length === 1 ? "issue" : "issues"}
            {list.isPlaceholderData ? <span className="muted ki-updating"> · updating…</span> : null}
          </h2>
          <div className="table-scroll">
            <table className="ki-table">
              <thead>
                <tr>
                  <th scope="col">Title</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Matcher</th>
                  <th scope="col" className="num">
                    Matched peaks
                  </th>
                  <th scope="col">Last matched</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {issues.map((issue) => (
                  <tr key={issue.id}>
                    <td>
                      <Link href={`/known-issues/${issue.id}`} className="ki-title-link">
                        {issue.title}
                      </Link>
                      <span className="muted"> #{issue.id}</span>
                    </td>
                    <td>{describeScope(issue.namespace, issue.appName)}</td>
                    <td className="ki-matcher-cell">
                      <MatcherSummary issue={issue} />
                    </td>
                    <td className="num">{formatCount(issue.matchedPeaks)}</td>
                    <td className="nowrap">{formatDateTime(issue.lastMatchedAt, timeZone)}</td>
                    <td>
                      <KnownIssueStatusBadge status={issue.status} />
                    </td>
                    <td>
                      <span className="nowrap">{formatDateTime(issue.createdAt, timeZone)}</span>
                      <br />
                      <span className="muted">{issue.createdBy ?? "—"}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
