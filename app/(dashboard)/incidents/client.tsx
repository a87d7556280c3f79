"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { IncidentsTable } from "@/components/incidents/incidents-table";
import { NamespaceFilter, StatusFieldset, TriageViewButtons } from "@/components/peaks/list-filters";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useUrlSearch } from "@/components/ui/use-url-search";
import type { IncidentPage } from "@/lib/incidents/contract";
import { formatCount } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import { isEveryStatus } from "@/lib/peaks/status-filter";
import {
  defaultIncidentsSearch,
  incidentsSearchString,
  isFiltered,
  listQueryString,
  ongoingChoices,
  parseIncidentsSearch,
  type IncidentsSearch,
  type OngoingChoice,
} from "./search-params";

const ONGOING_LABELS: Record<OngoingChoice, string> = { "": "Any", ongoing: "Ongoing", ended: "Ended" };

type IncidentsClientProps = { initialSearch: IncidentsSearch; initialPage: IncidentPage; namespaces: string[]; timeZone: string; pageSize: number };

export function IncidentsClient({ initialSearch, initialPage, namespaces, timeZone, pageSize }: IncidentsClientProps) {
  const { search, show } = useUrlSearch(parseIncidentsSearch, incidentsSearchString);
  const searchKey = incidentsSearchString(search);

  const list = useInfiniteQuery({
    queryKey: ["incidents", searchKey, pageSize],
    queryFn: ({ pageParam, signal }) => fetchJson<IncidentPage>(`/api/incidents${listQueryString(search, { limit: pageSize, cursor: pageParam })}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    initialData: searchKey === incidentsSearchString(initialSearch) ? { pages: [initialPage], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
  });
  const incidents = useMemo(() => list.data?.pages.flatMap((page) => page.incidents) ?? [], [list.data]);
  const filtered = isFiltered(search);
  const allStatuses = isEveryStatus(search.status);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Incidents</h1>
          <p>Consecutive peak windows of a namespace, triaged as one. Newest first; times in {timeZone}.</p>
        </div>
      </header>

      <form className="card pk-filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <StatusFieldset statuses={search.status} onChange={(status) => show({ ...search, status })} />
        <NamespaceFilter value={search.namespace} namespaces={namespaces} onChange={(namespace) => show({ ...search, namespace })} />
        <div className="field">
          <label htmlFor="filter-ongoing">Ongoing</label>
          <select id="filter-ongoing" value={search.ongoing} onChange={(event) => show({ ...search, ongoing: event.target.value as OngoingChoice })}>
            {ongoingChoices.map((choice) => (
              <option key={choice} value={choice}>
                {ONGOING_LABELS[choice]}
              </option>
            ))}
          </select>
        </div>
        <TriageViewButtons
          statuses={search.status}
          isDefaultView={!filtered}
          onNeedsTriage={() => show(defaultIncidentsSearch)}
          onEveryStatus={() => show({ ...search, status: [] })}
        />
      </form>

      {list.isError ? <Alert tone="error">Could not load the incidents: {list.error.message}</Alert> : null}

      {list.isPending ? (
        <section className="card" aria-busy="true" aria-label="Loading incidents">
          <Skeleton height="16rem" />
        </section>
      ) : incidents.length === 0 ? (
        filtered ? (
          <EmptyState title="No incident matches these filters">
            <p>Widen the filters, or go back to what needs triage.</p>
            <button className="button" type="button" onClick={() => show(defaultIncidentsSearch)}>
              Needs triage
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="Nothing needs triage">
            <p>No incident is open or acknowledged. Earlier ones are under every status.</p>
            <button className="button" type="button" onClick={() => show({ ...search, status: [] })}>
              Every status
            </button>
          </EmptyState>
        )
      ) : (
        <section className="card table-card" aria-labelledby="incidents-heading" aria-busy={list.isFetching && !list.isFetchingNextPage}>
          <div className="pk-list-head">
            <h2 id="incidents-heading">{allStatuses ? "All incidents" : filtered ? "Matching incidents" : "Needs triage"}</h2>
            <p id="incidents-help" className="pk-hint">
              Keyboard: Tab into the list, then ↑/↓ (or j/k) to move and Enter to open an incident.
            </p>
          </div>
          <IncidentsTable incidents={incidents} timeZone={timeZone} describedBy="incidents-help" />
          <div className="pk-more">
            <p className="muted" role="status" style={{ margin: 0 }}>
              {list.hasNextPage
                ? `Showing the newest ${formatCount(incidents.length)} incidents${filtered ? " that match" : ""}.`
                : `Showing all ${formatCount(incidents.length)} ${incidents.length === 1 ? "incident" : "incidents"}${filtered ? " that match" : ""}.`}
            </p>
            {list.hasNextPage ? (
              <button className="button button-secondary" type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? "Loading…" : "Load older incidents"}
              </button>
            ) : null}
          </div>
        </section>
      )}
    </>
  );
}
