"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { openPeaksHref } from "@/components/namespaces/namespace-list-table";
import { NoWindowsInRange } from "@/components/namespaces/no-windows-in-range";
import { RangeControls } from "@/components/namespaces/range-controls";
import { RangePeaksTable } from "@/components/namespaces/range-peaks-table";
import { SeriesChartCard } from "@/components/namespaces/series-chart-card";
import { SeriesTotals } from "@/components/namespaces/series-totals";
import { Alert } from "@/components/ui/alert";
import type { NamespaceSeries } from "@/lib/namespaces/contract";
import { formatCount } from "@/lib/format";
import { NewNormalsSection } from "./new-normals-section";
import { describePreset, instantToLocalInput, isFixedRange, parseCustomRange, presetLabels, rangePresets, type RangePreset } from "./search-params";
import { useNamespaceSeries } from "./use-namespace-series";

const presetOptions = rangePresets.map((value) => ({ value, label: presetLabels[value], description: describePreset(value) }));

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
  const { search, key, query, series, isBusy, navigate, showFixed } = useNamespaceSeries(namespace, initialSeries, initialKey, points);
  const isFixed = isFixedRange(search);

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

        {query.isError ? <Alert tone="error">Could not load the chart: {query.error.message}</Alert> : null}

        {series ? <SeriesTotals series={series} isBusy={isBusy} /> : null}

        {series && series.totals.windows === 0 ? (
          <NoWindowsInRange namespace={namespace} series={series} timeZone={timeZone} onShowFixed={showFixed} />
        ) : (
          <SeriesChartCard
            series={series}
            isBusy={isBusy}
            isError={query.isError}
            timeZone={timeZone}
            onPeakSelect={(id) => router.push(`/peaks/${id}`)}
            onZoom={({ from, to }) => showFixed(from, to)}
          />
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
