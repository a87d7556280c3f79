import { BaselineChart } from "@/components/charts/baseline-chart";
import { newNormalMarkerText } from "@/components/new-normal/format";
import { Skeleton } from "@/components/ui/skeleton";
import { summarizeSeriesGaps } from "@/lib/completeness/series-gaps";
import type { NamespaceSeries } from "@/lib/namespaces/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { describeBucket } from "./describe-bucket";

/** Height of the chart's drawing (px); the skeleton keeps it so that nothing jumps when it loads. */
const CHART_HEIGHT = 320;

const isoOf = (ms: number) => new Date(ms).toISOString();

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
  const start = startsBeforeData(series) ? `; data starts ${formatDateTime(isoOf(series.firstWindow!), timeZone)}, nothing was stored before` : "";
  const deploys = deployWords(series, timeZone);
  return `Errors of ${series.namespace} against its baseline ${range}: ${formatCount(series.totals.errors)} errors in ${formatCount(series.totals.windows)} windows, ${peaks}${top}${start}${gaps ? `; ${gaps}` : ""}${newNormals}${deploys}.`;
}

/** Deploys named in the chart's summary; the list under the chart has more. */
const SUMMARIZED_DEPLOYS = 10;

/** The range's deploys for the chart's summary: "; 2 versions first seen: 1.5.0 at 2 Mar 2026, 10:15, …". */
function deployWords(series: NamespaceSeries, timeZone: string): string {
  const count = series.deploys.length;
  if (count === 0) return "";
  const named = series.deploys.slice(-SUMMARIZED_DEPLOYS).map((deploy) => `${deploy.version} at ${formatDateTime(isoOf(deploy.at), timeZone)}`);
  const more = count > SUMMARIZED_DEPLOYS || series.deploysTruncated ? " and earlier ones" : "";
  return `; ${count} ${count === 1 ? "version" : "versions"} first seen${more ? " (the newest named)" : ""}: ${named.join(", ")}${more}`;
}

/** Whether the range starts before the namespace's oldest stored window (and reaches it). */
export function startsBeforeData(series: Pick<NamespaceSeries, "from" | "to" | "firstWindow">): boolean {
  return series.firstWindow !== null && series.firstWindow > series.from && series.firstWindow < series.to;
}

type SeriesChartCardProps = {
  /** The range's series; undefined while the first one loads or when the API refused the range. */
  series: NamespaceSeries | undefined;
  isBusy: boolean;
  isError: boolean;
  timeZone: string;
  onPeakSelect: (id: number) => void;
  /** A range dragged across the chart, UTC ms. */
  onZoom: (range: { from: number; to: number }) => void;
};

/** The chart card of a namespace's range: errors against the baseline, with peaks, gaps, new normals and deploys. */
export function SeriesChartCard({ series, isBusy, isError, timeZone, onPeakSelect, onZoom }: SeriesChartCardProps) {
  return (
    <section className={`card series-card${isBusy ? " is-busy" : ""}`} aria-labelledby="chart-heading" aria-busy={isBusy}>
      <h2 id="chart-heading">
        {series ? `${formatDateTime(isoOf(series.from), timeZone)} – ${formatDateTime(isoOf(series.to), timeZone)}` : "Errors against the baseline"}
      </h2>
      {series ? (
        <>
          <p className="muted chart-note">
            {describeBucket(series.windowMinutes, series.bucketMinutes)} Drag across the chart to zoom in; a marker opens its peak.
          </p>
          {startsBeforeData(series) ? (
            <p className="chart-data-start-note" role="note">
              Data starts {formatDateTime(isoOf(series.firstWindow!), timeZone)}: nothing was stored for {series.namespace} before, so the chart has no data
              there (a gap, not zero errors).
            </p>
          ) : null}
          <BaselineChart
            points={series.points}
            gaps={series.gaps}
            peaks={series.peaks}
            newNormals={series.newNormals}
            deploys={series.deploys}
            from={series.from}
            to={series.to}
            dataStart={startsBeforeData(series) ? series.firstWindow : null}
            bucketMinutes={series.bucketMinutes}
            timeZone={timeZone}
            height={CHART_HEIGHT}
            label={chartLabel(series, timeZone)}
            onPeakSelect={onPeakSelect}
            onZoom={onZoom}
          />
        </>
      ) : isError ? (
        <p className="muted">Pick a preset above to show a range the chart can draw.</p>
      ) : (
        <>
          <Skeleton height="1.2rem" width="28rem" />
          <Skeleton height={`${CHART_HEIGHT + 36}px`} />
        </>
      )}
    </section>
  );
}
