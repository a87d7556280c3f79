"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { PatternFilters, PatternPage } from "@/lib/patterns/contract";
import { formatCount } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { PatternsFilters } from "./patterns-filters";
import { PatternsResults } from "./patterns-results";
import { patternsApiQuery, type PatternListSearch } from "./search-params";
import { usePatternListSearch } from "./use-pattern-list-search";

export function PatternsClient({
  initialSearch,
  initialPage,
  filters,
  timeZone,
  renderedAt,
}: {
  initialSearch: PatternListSearch;
  initialPage: PatternPage;
  filters: PatternFilters;
  timeZone: string;
  /** When the server read the initial page, in ms since the epoch. */
  renderedAt: number;
}) {
  const { search, navigate, text, setText, submitText, clearFilters } = usePatternListSearch();
  const apiQuery = patternsApiQuery(search);
  const isInitial = apiQuery === patternsApiQuery(initialSearch);

  const list = useQuery({
    queryKey: ["patterns", apiQuery],
    queryFn: () => fetchJson<PatternPage>(`/api/patterns?${apiQuery}`),
    initialData: isInitial ? initialPage : undefined,
    // The moment the server read the data: ages ("3 min ago") render the same on the server and in
    // the browser, which would otherwise each count from their own clock and fail hydration.
    initialDataUpdatedAt: isInitial ? renderedAt : undefined,
    placeholderData: keepPreviousData,
  });
  const page = list.data;
  const hasFilters = search.q !== "" || search.namespace !== "" || search.type !== "";

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Patterns</h1>
          <p>
            Error messages grouped by template, with their trend over the last {search.days} days against the {search.days} before. Days are UTC; times in{" "}
            {timeZone}.
          </p>
        </div>
      </header>

      <PatternsFilters
        search={search}
        filters={filters}
        text={text}
        onTextChange={setText}
        onSubmitText={submitText}
        navigate={navigate}
        onClear={clearFilters}
      />

      {list.isError ? <Alert tone="error">Could not load the patterns: {list.error.message}</Alert> : null}

      {!page ? (
        list.isPending ? (
          <section className="card" aria-busy="true" aria-label="Loading patterns">
            <Skeleton height="2rem" />
            <div style={{ marginTop: "0.5rem" }}>
              <Skeleton height="16rem" />
            </div>
          </section>
        ) : null
      ) : page.total === 0 && !hasFilters ? (
        <EmptyState title="No error patterns yet">
          <p>
            Patterns are found when peaks are investigated: the pipeline run does it for new peaks, <code>npm run peaks -- enrich</code> for those not
            investigated yet, and <code>npm run peaks -- track</code> records the patterns of whole periods.
          </p>
        </EmptyState>
      ) : page.patterns.length === 0 ? (
        <EmptyState title={page.total === 0 ? "No pattern matches these filters" : "This page is past the end of the list"}>
          <p>
            {page.total === 0 ? "Try another search, or " : `There are ${formatCount(page.total)} matching patterns; `}
            <button type="button" className="link-button" onClick={page.total === 0 ? clearFilters : () => navigate({ page: 1 })}>
              {page.total === 0 ? "clear the filters" : "go to the first page"}
            </button>
            .
          </p>
        </EmptyState>
      ) : (
        <PatternsResults page={page} pageNumber={search.page} isFetching={list.isFetching} now={list.dataUpdatedAt} timeZone={timeZone} navigate={navigate} />
      )}
    </>
  );
}
