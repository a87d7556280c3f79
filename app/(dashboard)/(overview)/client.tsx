"use client";

import { useQuery } from "@tanstack/react-query";
import { NamespaceListCard } from "@/components/namespaces/namespace-list-card";
import { OVERVIEW_NAMESPACE_PAGE_SIZE, type NamespaceListSearch } from "@/components/namespaces/namespace-list-search";
import { DataGapBanner } from "@/components/overview/data-gap-banner";
import { EventsCard } from "@/components/overview/events-card";
import { LastDayCard, OnFireCard } from "@/components/overview/on-fire-card";
import { OverviewMetrics } from "@/components/overview/overview-metrics";
import { TableStatsTable } from "@/components/overview/table-stats-table";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import type { Overview } from "@/lib/overview/contract";
import { fetchJson } from "@/lib/http/fetch-json";

export function OverviewClient({
  initialOverview,
  initialSearch,
  timeZone,
  renderedAt,
}: {
  initialOverview: Overview;
  initialSearch: NamespaceListSearch;
  timeZone: string;
  /** When the server read the initial data, in ms since the epoch. */
  renderedAt: number;
}) {
  const query = useQuery({
    queryKey: ["overview"],
    queryFn: () => fetchJson<Overview>("/api/overview"),
    initialData: initialOverview,
    // The moment the server read the data: ages ("3 min ago") render the same on the server and in
    // the browser, which would otherwise each count from their own clock and fail hydration.
    initialDataUpdatedAt: renderedAt,
    refetchInterval: 60_000,
  });
  const overview = query.data;
  // Ages count from when the server read the data, so the server's and the browser's renders agree.
  const now = Date.parse(overview.readAt);
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Overview</h1>
          <p>Times in {timeZone}.</p>
        </div>
        {query.isError ? <Alert tone="error">Could not refresh: {query.error.message}</Alert> : null}
      </header>
      <DataGapBanner gaps={overview.openDataGaps} now={now} timeZone={timeZone} />
      {overview.hasData ? null : (
        <EmptyState title="No error windows recorded yet">
          <p>
            This page fills once error logs have been ingested: every namespace&apos;s errors per 15-minute window, its learned baseline, and the peaks found in
            it. Load a file or a folder of NDJSON logs with
          </p>
          <pre>npm run peaks -- ingest --input path/to/logs</pre>
          <p>
            or a folder of daily files, baseline first and then with detection, with <code>npm run peaks -- batch --all --input path/to/daily-logs</code>. No
            logs at hand? <code>npm run peaks -- generate --out sample</code> writes a realistic data set to try.
          </p>
        </EmptyState>
      )}
      <div className="grid" style={{ marginTop: "1rem" }}>
        {overview.hasData ? <EventsCard overview={overview} now={now} timeZone={timeZone} /> : null}
        <OnFireCard overview={overview} now={now} timeZone={timeZone} />
        <OverviewMetrics overview={overview} now={now} />
        <LastDayCard overview={overview} now={now} timeZone={timeZone} />
        {overview.hasData ? (
          <NamespaceListCard
            initialList={null}
            initialSearch={initialSearch}
            renderedAt={renderedAt}
            pageSize={OVERVIEW_NAMESPACE_PAGE_SIZE}
            view="now"
            timeZone={timeZone}
            title="Namespaces now"
            headerLink={{ href: "/namespaces", label: "All namespaces" }}
            note={
              <>
                Each namespace&apos;s newest stored window against its threshold: the count from which that window is a peak (the threshold its chart draws, by
                every check but the same-day one, with the thresholds in force). Those above threshold now come first, then those with an ongoing incident, then
                those whose data stopped further back than a source may be (⚠).
              </>
            }
          />
        ) : null}
        <TableStatsTable tables={overview.tables} countedAt={overview.tablesCountedAt} timeZone={timeZone} />
      </div>
    </>
  );
}
