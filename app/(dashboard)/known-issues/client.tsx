"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { KnownIssuesTable } from "@/components/known-issues/known-issues-table";
import { Alert } from "@/components/ui/alert";
import type { KnownIssueSummary } from "@/lib/known-issues/contract";
import { formatCount } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { KnownIssuesEmpty } from "./known-issues-empty";
import { KnownIssuesFilters } from "./known-issues-filters";
import { knownIssuesSearchString, type KnownIssuesSearch } from "./search-params";
import { useKnownIssuesSearch } from "./use-known-issues-search";

function isSameSearch(left: KnownIssuesSearch, right: KnownIssuesSearch): boolean {
  return left.status === right.status && left.q === right.q;
}

type KnownIssuesClientProps = { initialSearch: KnownIssuesSearch; initialIssues: KnownIssueSummary[]; timeZone: string; canEdit: boolean };

export function KnownIssuesClient({ initialSearch, initialIssues, timeZone, canEdit }: KnownIssuesClientProps) {
  const { search, text, setText, show } = useKnownIssuesSearch();
  const list = useQuery({
    queryKey: ["known-issues", search.status, search.q],
    queryFn: ({ signal }) =>
      fetchJson<{ knownIssues: KnownIssueSummary[] }>(`/api/known-issues${knownIssuesSearchString(search)}`, { signal }).then((body) => body.knownIssues),
    initialData: isSameSearch(search, initialSearch) ? initialIssues : undefined,
    placeholderData: keepPreviousData,
  });
  const issues = list.data ?? [];

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
      <KnownIssuesFilters search={search} text={text} onTextChange={setText} onShow={show} />
      {list.isError ? <Alert tone="error">Could not load the known issues: {list.error.message}</Alert> : null}
      {list.isPending ? (
        <section className="card" aria-busy="true" aria-label="Loading the known issues">
          <div className="skeleton" style={{ height: "10rem" }} />
        </section>
      ) : issues.length === 0 ? (
        <KnownIssuesEmpty isFiltered={search.status !== "all" || search.q !== ""} canEdit={canEdit} />
      ) : (
        <section className="card" aria-labelledby="known-issues-list" aria-busy={list.isFetching}>
          <h2 id="known-issues-list">
            {formatCount(issues.length)} known {issues.length === 1 ? "issue" : "issues"}
            {list.isPlaceholderData ? <span className="muted ki-updating"> · updating…</span> : null}
          </h2>
          <KnownIssuesTable issues={issues} timeZone={timeZone} />
        </section>
      )}
    </>
  );
}
