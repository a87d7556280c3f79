"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { BaselineChart } from "@/components/charts/baseline-chart";
import { newNormalMarkerText } from "@/components/new-normal/format";
import { Alert } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import { summarizeSeriesGaps } from "@/lib/completeness/series-gaps";
import type { NamespaceSeries } from "@/lib/namespaces/contract";
import { formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";

/** Hours shown on each side of the peak. */
const HOURS_AROUND = 12;
/** More points than the range has windows, so that every window is drawn. */
const POINTS = 200;

/** The namespace's errors against its baseline around the peak; the other peaks' markers open them. */
export function PeakChart({
  peakId,
  namespace,
  timestamp,
  windowMinutes,
  timeZone,
}: {
  peakId: number;
  namespace: string;
  timestamp: string;
  windowMinutes: number;
  timeZone: string;
}) {
  const router = useRouter();
  const start = Date.parse(timestamp);
  const from = new Date(start - HOURS_AROUND * 3_600_000).toISOString();
  const to = new Date(start + windowMinutes * 60_000 + HOURS_AROUND * 3_600_000).toISOString();
  const series = useQuery({
    queryKey: ["namespace-series", namespace, from, to, POINTS],
    queryFn: ({ signal }) =>
      fetchJson<NamespaceSeries>(
        `/api/namespaces/${encodeURIComponent(namespace)}/series?${new URLSearchParams({ from, to, points: String(POINTS) }).toString()}`,
        { signal },
      ),
  });
  const gapWords = series.data ? summarizeSeriesGaps(series.data.gaps) : null;
  return (
    <section className="card" aria-labelledby="peak-chart">
      <h2 id="peak-chart">
        {namespace}, {HOURS_AROUND} hours either side
      </h2>
      {series.isPending ? (
        <Skeleton height="320px" />
      ) : series.isError ? (
        <Alert tone="error">Could not load the chart: {series.error.message}</Alert>
      ) : series.data.points.length === 0 ? (
        <p className="muted">No windows of {namespace} are stored around this peak (they may have passed their retention).</p>
      ) : (
        <BaselineChart
          points={series.data.points}
          gaps={series.data.gaps}
          peaks={series.data.peaks}
          newNormals={series.data.newNormals}
          from={series.data.from}
          to={series.data.to}
          bucketMinutes={series.data.bucketMinutes}
          timeZone={timeZone}
          highlightPeakId={peakId}
          onPeakSelect={(id) => {
            if (id !== peakId) router.push(`/peaks/${id}`);
          }}
          label={`Errors per window in ${namespace} from ${formatDateTime(from, timeZone)} to ${formatDateTime(to, timeZone)} against the baseline, with ${series.data.peaks.length} peak${series.data.peaks.length === 1 ? "" : "s"}; this peak is the large marker${gapWords ? `; ${gapWords}` : ""}${series.data.newNormals
            .map(
              (entry) =>
                `; ${newNormalMarkerText(entry.levelOffset, entry.revertedAt !== null)} from ${formatDateTime(new Date(entry.from).toISOString(), timeZone)}`,
            )
            .join("")}.`}
        />
      )}
    </section>
  );
}
