"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { KnownIssuesTable } from "@/components/known-issues/known-issues-table";
import { Alert } from "@/components/ui/alert";
import type { KnownIssuePage } from "@/lib/known-issues/contract";
import { formatCount } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { KnownIssuesEmpty } from "./known-issues-empty";
import { KnownIssuesFilters } from "./known-issues-filters";
import { KNOWN_ISSUES_PAGE_SIZE, knownIssuesApiQuery, type KnownIssuesSearch } from "./search-params";
import { useKnownIssuesSearch } from "./use-known-issues-search";
import { Pager } from "@/components/ui/pager";

type KnownIssuesClientProps = { initialSearch: KnownIssuesSearch; initialPage: KnownIssuePage; timeZone: string; canEdit: boolean };

export function KnownIssuesClient({ initialSearch, initialPage, timeZone, canEdit }: KnownIssuesClientProps) {
  const { search, text, setText, show } = useKnownIssuesSearch();
  const apiQuery = knownIssuesApiQuery(search);
  const list = useQuery({
    queryKey: ["known-issues", apiQuery],
    queryFn: ({ signal }) => fetchJson<KnownIssuePage>(`/api/known-issues?${apiQuery}`, { signal }),
    initialData: apiQuery === knownIssuesApiQuery(initialSearch) ? initialPage : undefined,
    placeholderData: keepPreviousData,
  });
  const page = list.data;
  const issues = page?.knownIssues ?? [];

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
      ) : !page || page.total === 0 ? (
        <KnownIssuesEmpty isFiltered={search.status !== "all" || search.q !== ""} canEdit={canEdit} />
      ) : (
        <section className="card" aria-labelledby="known-issues-list" aria-busy={list.isFetching}>
          <h2 id="known-issues-list">
            {formatCount(page.total)} known {page.total === 1 ? "issue" : "issues"}
            {list.isPlaceholderData ? <span className="muted ki-updating"> · updating…</span> : null}
          </h2>
          {issues.length === 0 ? (
            <p className="muted">No known issue on this page: the list is shorter now.</p>
          ) : (
            <KnownIssuesTable issues={issues} timeZone={timeZone} />
          )}
          <Pager
            label="Pages of known issues"
            page={search.page}
            pages={Math.ceil(page.total / KNOWN_ISSUES_PAGE_SIZE)}
            hasNext={page.nextOffset !== null}
            onPage={(number) => show({ ...search, page: number })}
            summary={`Showing ${formatCount(page.offset + 1)}–${formatCount(page.offset + issues.length)} · page ${formatCount(search.page)} of ${formatCount(Math.max(1, Math.ceil(page.total / KNOWN_ISSUES_PAGE_SIZE)))}`}
          />
        </section>
      )}
    </>
  );
}
