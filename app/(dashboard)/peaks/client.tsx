"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { StatusFieldset } from "@/components/peaks/status-fieldset";
import { SwimLanes } from "@/components/peaks/swim-lanes";
import { TimelineTable } from "@/components/peaks/timeline-table";
import { Alert } from "@/components/ui/alert";
import { ChoiceField } from "@/components/ui/choice-field";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { PeakPage } from "@/lib/peaks/contract";
import { formatCount } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { peakSeverities, type PeakSeverity } from "@/lib/peaks/contract";
import { isEveryStatus, isTriageStatuses } from "@/lib/peaks/status-filter";
import { groupByLocalDay } from "@/lib/peaks/timeline";
import { defaultPeaksSearch, isFiltered, listQueryString, parsePeaksSearch, peaksSearchString, type PeaksSearch } from "./search-params";

const LABEL_OPTIONS: { value: PeaksSearch["label"]; text: string }[] = [
  { value: "", text: "Any" },
  { value: "known", text: "Known issue" },
  { value: "regression", text: "Regression" },
  { value: "unknown", text: "Unknown" },
];

function toggled<Value extends string>(values: readonly Value[], value: Value, isOn: boolean, order: readonly Value[]): Value[] {
  const next = new Set(values);
  if (isOn) next.add(value);
  else next.delete(value);
  return order.filter((candidate) => next.has(candidate));
}

type PeaksClientProps = { initialSearch: PeaksSearch; initialPage: PeakPage; namespaces: string[]; timeZone: string; pageSize: number };

export function PeaksClient({ initialSearch, initialPage, namespaces, timeZone, pageSize }: PeaksClientProps) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const searchText = searchParams.toString();
  const urlSearch = useMemo(() => parsePeaksSearch(new URLSearchParams(searchText)), [searchText]);
  // The controls show a change at once; the URL follows (router.replace is asynchronous), and
  // back and forward change the URL under them.
  const [search, setSearch] = useState(urlSearch);
  const [syncedText, setSyncedText] = useState(searchText);
  if (searchText !== syncedText) {
    setSyncedText(searchText);
    setSearch(urlSearch);
  }
  const searchKey = peaksSearchString(search);
  const show = (next: PeaksSearch) => {
    setSearch(next);
    router.replace(`${pathname}${peaksSearchString(next)}`, { scroll: false });
  };

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
  // Namespaces of old peaks may have left the windows; the filtered one stays choosable.
  const namespaceOptions = search.namespace !== "" && !namespaces.includes(search.namespace) ? [...namespaces, search.namespace] : namespaces;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Peaks</h1>
          <p>Flagged windows, newest first, grouped by day: what needs triage (open and acknowledged) unless the filters say otherwise. Times in {timeZone}.</p>
        </div>
      </header>

      <form className="card pk-filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <StatusFieldset statuses={search.status} onChange={(status) => show({ ...search, status })} />
        <fieldset>
          <legend>Severity</legend>
          {peakSeverities.map((severity) => (
            <label key={severity} className="pk-check">
              <input
                type="checkbox"
                checked={search.severity.includes(severity)}
                onChange={(event) => show({ ...search, severity: toggled<PeakSeverity>(search.severity, severity, event.target.checked, peakSeverities) })}
              />
              {severity}
            </label>
          ))}
        </fieldset>
        <ChoiceField
          id="filter-namespace"
          label="Namespace"
          value={search.namespace}
          values={namespaceOptions}
          allLabel="All"
          onChange={(namespace) => show({ ...search, namespace })}
        />
        <div className="field">
          <label htmlFor="filter-label">Label</label>
          <select id="filter-label" value={search.label} onChange={(event) => show({ ...search, label: event.target.value as PeaksSearch["label"] })}>
            {LABEL_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.text}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-from">From day</label>
          <input
            id="filter-from"
            type="date"
            value={search.from}
            max={search.to || undefined}
            onChange={(event) => show({ ...search, from: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-to">To day (included)</label>
          <input
            id="filter-to"
            type="date"
            value={search.to}
            min={search.from || undefined}
            onChange={(event) => show({ ...search, to: event.target.value })}
          />
        </div>
        <div className="pk-filter-actions">
          <button className="button button-secondary" type="button" onClick={() => show(defaultPeaksSearch)} disabled={!filtered}>
            Needs triage
          </button>{" "}
          <button className="button button-secondary" type="button" onClick={() => show({ ...search, status: [] })} disabled={allStatuses}>
            Every status
          </button>
        </div>
      </form>

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
