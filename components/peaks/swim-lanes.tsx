import Link from "next/link";
import { chartColors } from "@/components/charts/baseline-chart";
import type { PeakSummary } from "@/lib/peaks/contract";
import { formatDateTime } from "@/lib/format";

/** Lanes drawn at most; the rest are summed up in words. */
const MAX_LANES = 12;

/** Position of an instant between the first and the last peak, in percent (the middle when all share one instant). */
function positionOf(ms: number, first: number, last: number): number {
  return last === first ? 50 : ((ms - first) / (last - first)) * 100;
}

/**
 * One lane per namespace with a marker per peak shown in the list below it, over the list's time
 * span. A pointer shortcut only: the list holds the same peaks for the keyboard and screen readers.
 */
export function SwimLanes({ peaks, timeZone }: { peaks: readonly PeakSummary[]; timeZone: string }) {
  if (peaks.length < 2) return null;
  const times = peaks.map((peak) => Date.parse(peak.timestamp));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const byNamespace = new Map<string, PeakSummary[]>();
  for (const peak of peaks) byNamespace.set(peak.namespace, [...(byNamespace.get(peak.namespace) ?? []), peak]);
  const lanes = [...byNamespace.entries()].sort(([left], [right]) => left.localeCompare(right));
  const shown = lanes.slice(0, MAX_LANES);
  return (
    <div className="pk-lanes" aria-hidden="true">
      {shown.map(([namespace, lanePeaks]) => (
        <div key={namespace} className="pk-lane">
          <span className="pk-lane-name" title={namespace}>
            {namespace}
          </span>
          <span className="pk-lane-track">
            {lanePeaks.map((peak) => (
              <Link
                key={peak.id}
                href={`/peaks/${peak.id}`}
                tabIndex={-1}
                className="pk-lane-dot"
                title={`${formatDateTime(peak.timestamp, timeZone)}: ${peak.severity}, ${peak.errorCount} errors`}
                style={{
                  left: `${positionOf(Date.parse(peak.timestamp), first, last)}%`,
                  background: chartColors.severity[peak.severity] ?? chartColors.threshold,
                }}
              />
            ))}
          </span>
        </div>
      ))}
      <div className="pk-lane-axis">
        <span>{formatDateTime(new Date(first).toISOString(), timeZone)}</span>
        {lanes.length > shown.length ? <span>and {lanes.length - shown.length} more namespaces</span> : null}
        <span>{formatDateTime(new Date(last).toISOString(), timeZone)}</span>
      </div>
    </div>
  );
}
