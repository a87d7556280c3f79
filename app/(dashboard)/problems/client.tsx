"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ProblemsTable } from "@/components/problems/problems-table";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { formatCount, formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import type { ProblemPage } from "@/lib/problems/contract";
import { describePeriod } from "@/lib/problems/words";
import { ProblemsFilters } from "./problems-filters";
import { hasProblemFilters, problemHref, problemsApiQuery, PROBLEMS_PAGE_SIZE, type ProblemListSearch } from "./search-params";
import { useProblemListSearch } from "./use-problem-list-search";
import { Pager } from "@/components/ui/pager";

export function ProblemsClient({ initialSearch, initialPage, timeZone }: { initialSearch: ProblemListSearch; initialPage: ProblemPage; timeZone: string }) {
  const { search, navigate, text, setText, submitText, clearFilters } = useProblemListSearch();
  const apiQuery = problemsApiQuery(search);
  const list = useQuery({
    queryKey: ["problems", apiQuery],
    queryFn: () => fetchJson<ProblemPage>(`/api/problems?${apiQuery}`),
    initialData: apiQuery === problemsApiQuery(initialSearch) ? initialPage : undefined,
    placeholderData: keepPreviousData,
  });
  const page = list.data;
  const period = describePeriod(search.since);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Problems</h1>
          <p>
            Peak windows grouped by root cause and error type across namespaces, most actionable first: without a known issue, growing, wide, big. Trend against
            the {period} before; times in {timeZone}.
          </p>
        </div>
      </header>

      <ProblemsFilters search={search} text={text} onTextChange={setText} onSubmitText={submitText} navigate={navigate} onClear={clearFilters} />

      {list.isError ? <Alert tone="error">Could not load the problems: {list.error.message}</Alert> : null}

      {!page ? (
        list.isPending ? (
          <section className="card" aria-busy="true" aria-label="Loading problems">
            <Skeleton height="16rem" />
          </section>
        ) : null
      ) : page.total === 0 && !hasProblemFilters(search) ? (
        <EmptyState title={`No problems in the last ${period}`}>
          <p>
            No investigated peak window falls between {formatDateTime(page.period.from, timeZone)} and {formatDateTime(page.period.to, timeZone)}
            {page.windowsWithoutRootCause > 0
              ? `: ${formatCount(page.windowsWithoutRootCause)} peak ${page.windowsWithoutRootCause === 1 ? "window waits" : "windows wait"} for investigation (their root cause makes the problem).`
              : ": no incident in the period, or only false positives."}{" "}
            {search.since !== "90d" ? (
              <button type="button" className="link-button" onClick={() => navigate({ since: "90d" })}>
                Look at the last 90 days
              </button>
            ) : null}
          </p>
        </EmptyState>
      ) : page.problems.length === 0 ? (
        <EmptyState title={page.total === 0 ? "No problem matches these filters" : "This page is past the end of the list"}>
          <p>
            {page.total === 0 ? `The last ${period} have problems, but none like this. ` : `There are ${formatCount(page.total)} matching problems; `}
            <button type="button" className="link-button" onClick={page.total === 0 ? clearFilters : () => navigate({ page: 1 })}>
              {page.total === 0 ? "Clear the filters" : "go to the first page"}
            </button>
            .
          </p>
        </EmptyState>
      ) : (
        <section className="card table-card problems-results" aria-labelledby="problems-heading" aria-busy={list.isFetching}>
          <div className="problems-list-head">
            <h2 id="problems-heading">
              {formatCount(page.total)} {page.total === 1 ? "problem" : "problems"} in the last {period}
            </h2>
            <p className="muted" role="status">
              {list.isFetching ? "Updating…" : `Showing ${formatCount(page.offset + 1)}–${formatCount(page.offset + page.problems.length)}`}
            </p>
          </div>
          {page.windowsWithoutRootCause > 0 ? (
            <p className="muted problems-note">
              {formatCount(page.windowsWithoutRootCause)} peak {page.windowsWithoutRootCause === 1 ? "window" : "windows"} of the period{" "}
              {page.windowsWithoutRootCause === 1 ? "is" : "are"} not investigated yet and in no problem.
            </p>
          ) : null}
          <ProblemsTable
            problems={page.problems}
            timeZone={timeZone}
            caption={`Problems of the last ${period}, most actionable first`}
            hrefOf={(id) => problemHref(id, search.since)}
          />
          <Pager
            label="Pages of problems"
            page={search.page}
            pages={Math.ceil(page.total / PROBLEMS_PAGE_SIZE)}
            hasNext={page.nextOffset !== null}
            onPage={(number) => navigate({ page: number })}
          />
        </section>
      )}
    </>
  );
}
