"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { BaselineChart } from "@/components/charts/baseline-chart";
import { describeBucket } from "@/components/namespaces/describe-bucket";
import { openPeaksHref } from "@/components/namespaces/namespace-table";
import { RangeControls } from "@/components/namespaces/range-controls";
import { RangePeaksTable } from "@/components/namespaces/range-peaks-table";
import { newNormalMarkerText } from "@/components/new-normal/format";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { summarizeSeriesGaps } from "@/lib/completeness/series-gaps";
import type { NamespaceSeries } from "@/lib/db/namespaces";
import { formatCount, formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import {
  describePreset,
  instantToLocalInput,
  isFixedRange,
  namespaceSearchString,
  parseCustomRange,
  parseNamespaceSearch,
  presetLabels,
  rangeKey,
  rangePresets,
  seriesQuery,
  type NamespaceSearch,
  type RangePreset,
} from "./search-params";
import { NewNormalsSection } from "./new-normals-section";

/** Height of the chart's drawing (px); the skeleton keeps it so that nothing jumps when it loads. */
const CHART_HEIGHT = 320;
const presetOptions = rangePresets.map((value) => ({ value, label: presetLabels[value], description: describePreset(value) }));

const isoOf = (ms: number) => new Date(ms).toISOString();

/** The series of a range; a preset's instants are taken when it is fetched. */
function fetchSeries(namespace: string, search: NamespaceSearch, points: number): Promise<NamespaceSeries> {
  return fetchJson<NamespaceSeries>(`/api/namespaces/${encodeURIComponent(namespace)}/series?${seriesQuery(search, Date.now(), points)}`);
}

function chartLabel(series: NamespaceSeries, timeZone: string): string {
  const range = `from ${formatDateTime(isoOf(series.from), timeZone)} to ${formatDateTime(isoOf(series.to), timeZone)}`;
  let busiest: { count: number; at: number } | null = null;
  for (const point of series.points) {
    if (point.count !== null && (!busiest || point.count > busiest.count)) busiest = { count: point.count, at: point.windowStart };
  }
  const peaks = `${formatCount(series.totals.peaks)} ${series.totals.peaks === 1 ? "peak" : "peaks"}`;
  const top = busiest ? `; the busiest window had ${formatCount(busiest.count)} errors at ${formatDateTime(isoOf(busiest.at), timeZone)}` : "";
  const gaps = summarizeSeriesGaps(series.gaps);
  const newNormals = series.newNormals
    .map((entry) => `; ${newNormalMarkerText(entry.levelOffset, entry.revertedAt !== null)} from ${formatDateTime(isoOf(entry.from), timeZone)}`)
    .join("");
  return `Errors of ${series.namespace} against its baseline ${range}: ${formatCount(series.totals.errors)} errors in ${formatCount(series.totals.windows)} windows, ${peaks}${top}${gaps ? `; ${gaps}` : ""}${newNormals}.`;
}

export type NamespaceClientProps = {
  namespace: string;
  /** The series of the URL's range as the server rendered it; null when the API refused the range. */
  initialSeries: NamespaceSeries | null;
  initialKey: string;
  timeZone: string;
  points: number;
  maxDays: number;
  /** Analysts and admins: may take an accepted new normal back. */
  canEdit: boolean;
};

export function NamespaceClient({ namespace, initialSeries, initialKey, timeZone, points, maxDays, canEdit }: NamespaceClientProps) {
  const router = useRouter();
  const pathname = usePathname();
  const search = parseNamespaceSearch(useSearchParams());
  const key = rangeKey(search);
  const [isNavigating, startTransition] = useTransition();

  const query = useQuery({
    queryKey: ["namespace-series", namespace, key],
    queryFn: () => fetchSeries(namespace, search, points),
    // Every range change goes through the server page, which answers with the new range's series.
    initialData: key === initialKey && initialSeries ? initialSeries : undefined,
    placeholderData: keepPreviousData,
    // A preset's range moves with the clock; a fixed one does not change.
    refetchInterval: isFixedRange(search) ? false : 60_000,
  });

  // Every range change is a history entry, so the browser's back button undoes a zoom or a preset.
  const navigate = (next: NamespaceSearch) => startTransition(() => router.push(`${pathname}${namespaceSearchString(next)}`, { scroll: false }));
  const showFixed = (from: number, to: number) => navigate({ range: search.range, from: isoOf(from), to: isoOf(to) });

  const series = query.data;
  const isFixed = isFixedRange(search);
  const isBusy = isNavigating || query.isPlaceholderData || (query.isFetching && !series);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>{namespace}</h1>
          <p>Errors against the learned baseline. Times in {timeZone}.</p>
        </div>
        <nav className="header-links" aria-label="Namespace">
          <Link href="/namespaces">All namespaces</Link>
          <Link href={openPeaksHref(namespace)}>Open peaks</Link>
        </nav>
      </header>

      <div className="grid namespace-page">
        <RangeControls
          // New values for the inputs once the range's own series is there; a refetch of the same range keeps what is typed.
          key={series && !query.isPlaceholderData ? key : `${key}|pending`}
          presets={presetOptions}
          activePreset={isFixed ? null : search.range}
          resetPreset={isFixed ? { value: search.range, description: describePreset(search.range) } : null}
          fromValue={series ? instantToLocalInput(series.from, timeZone) : ""}
          toValue={series ? instantToLocalInput(series.to, timeZone) : ""}
          timeZone={timeZone}
          onPreset={(preset: RangePreset) => navigate({ range: preset, from: null, to: null })}
          onCustom={(fromValue, toValue) => {
            const range = parseCustomRange(fromValue, toValue, timeZone, maxDays);
            if (!range.ok) return { field: range.field, message: range.message };
            showFixed(range.from, range.to);
            return null;
          }}
          onReset={() => navigate({ range: search.range, from: null, to: null })}
        />

        {query.isError ? (
          <p className="alert alert-error" role="alert">
            Could not load the chart: {query.error.message}
          </p>
        ) : null}

        {series ? (
          <dl className="series-totals" aria-label="Totals in the range" aria-busy={isBusy}>
            <div className="card metric">
              <dt className="metric-label">Errors</dt>
              <dd className="metric-value" data-testid="total-errors">
                {formatCount(series.totals.errors)}
              </dd>
            </div>
            <div className="card metric">
              <dt className="metric-label">Windows stored</dt>
              <dd className="metric-value">{formatCount(series.totals.windows)}</dd>
            </div>
            <div className="card metric">
              <dt className="metric-label">Peaks</dt>
              <dd className="metric-value">{formatCount(series.totals.peaks)}</dd>
            </div>
            <div className="card metric">
              <dt className="metric-label">Threshold line</dt>
              <dd className="metric-value metric-value-small">
                {series.thresholdsVersion === null ? "values.yaml defaults" : `Thresholds version ${series.thresholdsVersion}`}
              </dd>
            </div>
          </dl>
        ) : null}

        {series && series.totals.windows === 0 ? (
          <EmptyState title="No error windows in this range">
            <p>
              Nothing is stored for {namespace} here: no source covered this range, or its windows passed their retention. It is a gap in the data, not a time
              without errors.
            </p>
            {series.latestWindow !== null ? (
              <>
                <p>
                  The newest window stored for {namespace} starts {formatDateTime(isoOf(series.latestWindow), timeZone)}.
                </p>
                <p>
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      // Keep the range's length, ending just after the newest window.
                      const to = series.latestWindow! + series.windowMinutes * 60_000;
                      showFixed(to - (series.to - series.from), to);
                    }}
                  >
                    Show the newest stored window
                  </button>
                </p>
              </>
            ) : (
              <p>No window is stored for {namespace} yet, only its baseline.</p>
            )}
          </EmptyState>
        ) : (
          <section className={`card series-card${isBusy ? " is-busy" : ""}`} aria-labelledby="chart-heading" aria-busy={isBusy}>
            <h2 id="chart-heading">
              {series ? `${formatDateTime(isoOf(series.from), timeZone)} – ${formatDateTime(isoOf(series.to), timeZone)}` : "Errors against the baseline"}
            </h2>
            {series ? (
              <>
                <p className="muted chart-note">
                  {describeBucket(series.windowMinutes, series.bucketMinutes)} Drag across the chart to zoom in; a marker opens its peak.
                </p>
                <BaselineChart
                  points={series.points}
                  gaps={series.gaps}
                  peaks={series.peaks}
                  newNormals={series.newNormals}
                  from={series.from}
                  to={series.to}
                  bucketMinutes={series.bucketMinutes}
                  timeZone={timeZone}
                  height={CHART_HEIGHT}
                  label={chartLabel(series, timeZone)}
                  onPeakSelect={(id) => router.push(`/peaks/${id}`)}
                  onZoom={({ from, to }) => showFixed(from, to)}
                />
              </>
            ) : query.isError ? (
              <p className="muted">Pick a preset above to show a range the chart can draw.</p>
            ) : (
              <>
                <Skeleton height="1.2rem" width="28rem" />
                <Skeleton height={`${CHART_HEIGHT + 36}px`} />
              </>
            )}
          </section>
        )}

        <NewNormalsSection namespace={namespace} timeZone={timeZone} canEdit={canEdit} />

        {series && (series.peaks.length > 0 || series.totals.windows > 0) ? (
          <section className="card" aria-labelledby="range-peaks-heading">
            <h2 id="range-peaks-heading">Peaks, newest first</h2>
            {series.peaks.length === 0 ? (
              <p className="muted">No peak was detected in this range.</p>
            ) : (
              <>
                {series.peaksTruncated ? (
                  <p className="muted">
                    The newest {formatCount(series.peaks.length)} of {formatCount(series.totals.peaks)} peaks; zoom in to see the others.
                  </p>
                ) : null}
                <RangePeaksTable peaks={series.peaks} timeZone={timeZone} labelledBy="range-peaks-heading" />
              </>
            )}
          </section>
        ) : null}
      </div>
    </>
  );
}
