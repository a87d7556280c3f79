import Link from "next/link";
import { formatInstantNear } from "@/lib/completeness/time-words";
import { formatAge, formatCount } from "@/lib/format";
import type { Overview } from "@/lib/overview/contract";
import { IncidentTable } from "./incident-table";

/** Nothing on fire, said plainly, with since when. */
function QuietSince({ quietSince, now, timeZone }: { quietSince: string | null; now: number; timeZone: string }) {
  return (
    <p className="on-fire-quiet">
      <span aria-hidden="true">✓ </span>
      {quietSince ? (
        <>
          Nothing is on fire: no incident is ongoing since {formatInstantNear(Date.parse(quietSince), now, timeZone)} ({formatAge(quietSince, now)}), when the
          last one ended.
        </>
      ) : (
        "Nothing is on fire: no incident is ongoing, and none has been recorded yet."
      )}
    </p>
  );
}

/**
 * The top of the overview: the incidents still going on that nobody resolved or dismissed (acknowledged
 * and known-issue ones included), worst first, snoozed ones last.
 */
export function OnFireCard({ overview, now, timeZone }: { overview: Overview; now: number; timeZone: string }) {
  const { onFire, onFireTotal } = overview;
  return (
    <section className={`card on-fire${onFire.length > 0 ? " on-fire-burning" : ""}`} aria-labelledby="on-fire-heading">
      <div className="card-header">
        <h2 id="on-fire-heading">On fire now{onFireTotal > 0 ? ` (${formatCount(onFireTotal)})` : ""}</h2>
        <Link href="/incidents?ongoing=true">Ongoing incidents</Link>
      </div>
      {onFire.length === 0 ? (
        <QuietSince quietSince={overview.quietSince} now={now} timeZone={timeZone} />
      ) : (
        <>
          <p className="muted card-note">
            Incidents still going on that are not resolved or false positives: worst first, snoozed ones last. Errors / threshold: the incident&apos;s newest
            window against the count its threshold required.
            {onFireTotal > onFire.length ? ` The ${formatCount(onFire.length)} first of ${formatCount(onFireTotal)}.` : ""}
          </p>
          <IncidentTable incidents={onFire} labelledBy="on-fire-heading" now={now} timeZone={timeZone} empty={null} />
        </>
      )}
    </section>
  );
}

/** The incidents that started in the last 24 hours, whatever became of them. */
export function LastDayCard({ overview, now, timeZone }: { overview: Overview; now: number; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="last-day-heading">
      <div className="card-header">
        <h2 id="last-day-heading">Last 24 hours</h2>
        <Link href="/incidents">All incidents</Link>
      </div>
      <p className="muted card-note">
        Incidents that started in the last 24 hours, newest first{overview.lastDayHasMore ? ` (the ${formatCount(overview.lastDay.length)} newest)` : ""}.
      </p>
      <IncidentTable
        incidents={overview.lastDay}
        labelledBy="last-day-heading"
        now={now}
        timeZone={timeZone}
        withDuration
        empty={<p className="muted">No incident started in the last 24 hours.</p>}
      />
    </section>
  );
}
