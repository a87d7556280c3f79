import Link from "next/link";
import { describeDataGap, type OpenDataGap } from "@/lib/completeness/data-gaps";
import { formatInstantNear } from "@/lib/completeness/time-words";

/**
 * The overview's warning while a data-gap episode is open: a log source that is behind, or
 * namespaces that stopped logging errors where they usually do. Nothing when all is read.
 */
export function DataGapBanner({ gaps, now, timeZone }: { gaps: readonly OpenDataGap[]; now: number; timeZone: string }) {
  if (gaps.length === 0) return null;
  return (
    <section className="alert alert-warning data-gap-banner" aria-labelledby="data-gap-heading">
      <h2 id="data-gap-heading">
        <span aria-hidden="true">⚠</span> Data is missing: quiet here may not mean quiet in production
      </h2>
      <ul>
        {gaps.map((gap) => (
          <li key={gap.id}>
            <strong>{describeDataGap(gap, now, timeZone)}.</strong>{" "}
            <span className="data-gap-detail">
              {/* A stale source's detail repeats the sentence; a silent namespace's says what its baselines expected. */}
              {gap.kind === "silent" && gap.detail ? `${gap.detail.charAt(0).toUpperCase()}${gap.detail.slice(1)}. ` : ""}
              Last checked by a run at {formatInstantNear(Date.parse(gap.lastSeenAt), now, timeZone)}.
            </span>
          </li>
        ))}
      </ul>
      <p className="data-gap-more">
        See <Link href="/runs">Pipeline runs</Link> for what each run read.
      </p>
    </section>
  );
}
