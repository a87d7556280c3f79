"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { PatternsTable } from "@/components/patterns/patterns-table";
import { ChoiceField } from "@/components/ui/choice-field";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { PatternFilters, PatternPage } from "@/lib/db/patterns";
import { formatCount } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { parsePatternListSearch, patternListQuery, patternsApiQuery, PATTERNS_PAGE_SIZE, TREND_DAY_CHOICES, type PatternListSearch } from "./search-params";

/** Typing pauses this long before the search applies (ms). */
const SEARCH_DELAY_MS = 300;

const SORT_LABELS: Record<PatternListSearch["sort"], string> = {
  last_seen: "Last seen",
  occurrences: "Most occurrences",
  first_seen: "Newest patterns",
  trend: "Rising most",
};

/** The options of a filter, keeping a value from the URL that the list does not hold (any more). */
function optionsWith(values: readonly string[], current: string): string[] {
  return current && !values.includes(current) ? [current, ...values] : [...values];
}

export function PatternsClient({
  initialSearch,
  initialPage,
  filters,
  timeZone,
}: {
  initialSearch: PatternListSearch;
  initialPage: PatternPage;
  filters: PatternFilters;
  timeZone: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = parsePatternListSearch(searchParams);
  const apiQuery = patternsApiQuery(search);
  const isInitial = apiQuery === patternsApiQuery(initialSearch);

  const navigate = useCallback(
    (changes: Partial<PatternListSearch>) => {
      // Any change but paging starts again at the first page.
      const next = { ...parsePatternListSearch(searchParams), page: 1, ...changes };
      const query = patternListQuery(next);
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [pathname, router, searchParams],
  );

  const [text, setText] = useState(search.q);
  useEffect(() => {
    if (text.trim() === search.q) return;
    const timer = setTimeout(() => navigate({ q: text.trim() }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, search.q, navigate]);

  const list = useQuery({
    queryKey: ["patterns", apiQuery],
    queryFn: () => fetchJson<PatternPage>(`/api/patterns?${apiQuery}`),
    initialData: isInitial ? initialPage : undefined,
    placeholderData: keepPreviousData,
  });
  const page = list.data;
  const hasFilters = search.q !== "" || search.namespace !== "" || search.type !== "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() !== search.q) navigate({ q: text.trim() });
  };
  const clearFilters = () => {
    setText("");
    navigate({ q: "", namespace: "", type: "" });
  };

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

      <form className="card patterns-filters" role="search" aria-label="Filter patterns" onSubmit={submit}>
        <div className="field patterns-search">
          <label htmlFor="patterns-q">Search</label>
          <input
            id="patterns-q"
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="Template, error type or pattern id"
            autoComplete="off"
            maxLength={200}
          />
        </div>
        <ChoiceField
          id="patterns-namespace"
          label="Namespace"
          value={search.namespace}
          values={optionsWith(filters.namespaces, search.namespace)}
          allLabel="All namespaces"
          onChange={(namespace) => navigate({ namespace })}
        />
        <ChoiceField
          id="patterns-type"
          label="Error type"
          value={search.type}
          values={optionsWith(filters.errorTypes, search.type)}
          allLabel="All types"
          onChange={(type) => navigate({ type })}
        />
        <div className="field">
          <label htmlFor="patterns-sort">Sort by</label>
          <select id="patterns-sort" value={search.sort} onChange={(event) => navigate({ sort: event.target.value as PatternListSearch["sort"] })}>
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="patterns-days">Trend over</label>
          <select id="patterns-days" value={search.days} onChange={(event) => navigate({ days: Number(event.target.value) })}>
            {optionsWith(TREND_DAY_CHOICES.map(String), String(search.days)).map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </select>
        </div>
        {hasFilters ? (
          <button type="button" className="button button-secondary patterns-clear" onClick={clearFilters}>
            Clear filters
          </button>
        ) : null}
      </form>

      {list.isError ? (
        <p className="alert alert-error" role="alert">
          Could not load the patterns: {list.error.message}
        </p>
      ) : null}

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
        <section className="card table-card patterns-results" aria-labelledby="patterns-heading" aria-busy={list.isFetching}>
          <div className="patterns-list-head">
            <h2 id="patterns-heading">
              {formatCount(page.total)} {page.total === 1 ? "pattern" : "patterns"}
              {page.namespace ? <span className="muted"> in {page.namespace} (its counts only)</span> : null}
            </h2>
            <p className="muted" role="status">
              {list.isFetching ? "Updating…" : `Showing ${formatCount(page.offset + 1)}–${formatCount(page.offset + page.patterns.length)}`}
            </p>
          </div>
          <PatternsTable patterns={page.patterns} window={page.window} timeZone={timeZone} now={list.dataUpdatedAt} />
          {page.offset > 0 || page.nextOffset !== null ? (
            <nav className="patterns-pager" aria-label="Pages of patterns">
              <button type="button" className="button button-secondary" disabled={page.offset === 0} onClick={() => navigate({ page: search.page - 1 })}>
                Previous page
              </button>
              <span className="muted">
                Page {search.page} of {Math.max(1, Math.ceil(page.total / PATTERNS_PAGE_SIZE))}
              </span>
              <button type="button" className="button button-secondary" disabled={page.nextOffset === null} onClick={() => navigate({ page: search.page + 1 })}>
                Next page
              </button>
            </nav>
          ) : null}
        </section>
      )}
    </>
  );
}
