"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { SwimLanes } from "@/components/peaks/swim-lanes";
import { TimelineTable } from "@/components/peaks/timeline-table";
import { PeakFilters } from "./peak-filters";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useUrlSearch } from "@/components/ui/use-url-search";
import type { PeakPage } from "@/lib/peaks/contract";
import { formatCount } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { isEveryStatus, isTriageStatuses } from "@/lib/peaks/status-filter";
import { groupByLocalDay } from "@/lib/peaks/timeline";
import { defaultPeaksSearch, isFiltered, listQueryString, parsePeaksSearch, peaksSearchString, type PeaksSearch } from "./search-params";

type PeaksClientProps = { initialSearch: PeaksSearch; initialPage: PeakPage; namespaces: string[]; timeZone: string; pageSize: number };

export function PeaksClient({ initialSearch, initialPage, namespaces, timeZone, pageSize }: PeaksClientProps) {
  const { search, show } = useUrlSearch(parsePeaksSearch, peaksSearchString);
  const searchKey = peaksSearchString(search);

  const list = useInfiniteQuery({
    queryKey: ["peaks", searchKey, pageSize],
    queryFn: ({ pageParam, signal }) =>
      fetchJson<PeakPage>(`/api/peaks${listQueryString(search, timeZone, { limit: pageSize, cursor: pageParam })}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    initialData: searchKey === peaksSearchString(initialSearch) ? { pages: [initialPage], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
  });
  const peaks = useMemo(() => list.data?.pages.flatMap((page) => page.peaks) ?? [], [list.data]);
  const groups = useMemo(() => groupByLocalDay(peaks, timeZone), [peaks, timeZone]);
  const filtered = isFiltered(search);
  const allStatuses = isEveryStatus(search.status);
  // Filters other than the status: with none, an empty list says something about the statuses alone.
  const filteredBeyondStatus = isFiltered({ ...search, status: defaultPeaksSearch.status });

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Peaks</h1>
          <p>Flagged windows, newest first, grouped by day: what needs triage (open and acknowledged) unless the filters say otherwise. Times in {timeZone}.</p>
        </div>
      </header>

      <PeakFilters search={search} show={show} namespaces={namespaces} />

      {list.isError ? <Alert tone="error">Could not load the peaks: {list.error.message}</Alert> : null}

      {list.isPending ? (
        <section className="card" aria-busy="true" aria-label="Loading peaks">
          <Skeleton height="16rem" />
        </section>
      ) : peaks.length === 0 ? (
        filteredBeyondStatus || !(allStatuses || isTriageStatuses(search.status)) ? (
          <EmptyState title="No peak matches these filters">
            <p>Widen the filters, or go back to what needs triage.</p>
            <button className="button" type="button" onClick={() => show(defaultPeaksSearch)}>
              Needs triage
            </button>
          </EmptyState>
        ) : !allStatuses ? (
          <EmptyState title="Nothing needs triage">
            <p>No peak is open or acknowledged. Earlier ones are under every status.</p>
            <button className="button" type="button" onClick={() => show({ ...search, status: [] })}>
              Every status
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No peak has been detected yet">
            <p>
              Peaks appear once windows are ingested with detection: by the pipeline runs, or from the command line with{" "}
              <code>npm run peaks -- batch --all</code>.
            </p>
          </EmptyState>
        )
      ) : (
        <section className="card table-card" aria-labelledby="timeline-heading" aria-busy={list.isFetching && !list.isFetchingNextPage}>
          <div className="pk-list-head">
            <h2 id="timeline-heading">Timeline</h2>
            <p id="timeline-help" className="pk-hint">
              Keyboard: Tab into the list, then ↑/↓ (or j/k) to move and Enter to open a peak.
            </p>
          </div>
          <SwimLanes peaks={peaks} timeZone={timeZone} />
          <TimelineTable groups={groups} timeZone={timeZone} describedBy="timeline-help" />
          <div className="pk-more">
            <p className="muted" role="status" style={{ margin: 0 }}>
              {list.hasNextPage
                ? `Showing the newest ${formatCount(peaks.length)} peaks${filtered ? " that match" : ""}.`
                : `Showing all ${formatCount(peaks.length)} ${peaks.length === 1 ? "peak" : "peaks"}${filtered ? " that match" : ""}.`}
            </p>
            {list.hasNextPage ? (
              <button className="button button-secondary" type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? "Loading…" : "Load older peaks"}
              </button>
            ) : null}
          </div>
        </section>
      )}
    </>
  );
}
