import Link from "next/link";
import { namespaceHref } from "@/components/namespaces/namespace-list-table";
import { Badge } from "@/components/ui/badge";
import { formatInstantNear, formatSpan } from "@/lib/completeness/time-words";
import { formatCount } from "@/lib/format";
import type { Overview, OverviewEvent } from "@/lib/overview/contract";
import { shortRootCause } from "@/lib/peaks/words";
import { problemPath } from "@/lib/problems/contract";
import { incidentHref } from "./incident-table";

function more(shown: number, total: number): string | null {
  return total > shown ? `+${formatCount(total - shown)} more` : null;
}

function EventItem({ event, now, timeZone }: { event: OverviewEvent; now: number; timeZone: string }) {
  const fromMs = Date.parse(event.from);
  const toMs = Date.parse(event.to);
  const cause = event.template ?? event.example ?? event.errorType;
  const namespacesMore = more(event.namespaces.length, event.namespaceTotal);
  const incidentsMore = more(event.incidents.length, event.incidentTotal);
  return (
    <li className={`event${event.ongoing ? " event-ongoing" : ""}`} data-problem={event.problemId}>
      <div className="event-title">
        <Badge tone={event.ongoing ? "critical" : "ok"}>{event.ongoing ? "ongoing" : "ended"}</Badge>{" "}
        <Link href={problemPath(event.problemId)} className="event-cause" title={cause}>
          {shortRootCause(cause)}
        </Link>
      </div>
      <p className="event-facts">
        <strong>{formatCount(event.namespaceTotal)} namespaces</strong>, up to {formatCount(event.mostAtOnce)} at once · from{" "}
        {formatInstantNear(fromMs, now, timeZone)} {event.ongoing ? "until now" : `to ${formatInstantNear(toMs, now, timeZone)}`} ({formatSpan(toMs - fromMs)})
        · {formatCount(event.errors)} errors in {formatCount(event.windows)} peak {event.windows === 1 ? "window" : "windows"} · {event.errorType}
      </p>
      <p className="event-list">
        <span className="muted">Namespaces: </span>
        {event.namespaces.map((namespace, index) => (
          <span key={namespace}>
            {index > 0 ? ", " : null}
            <Link href={namespaceHref(namespace)}>{namespace}</Link>
          </span>
        ))}
        {namespacesMore ? <span className="muted"> {namespacesMore}</span> : null}
      </p>
      {event.incidents.length > 0 ? (
        <p className="event-list">
          <span className="muted">Incidents: </span>
          {event.incidents.map((incident, index) => (
            <span key={incident.id}>
              {index > 0 ? ", " : null}
              <Link href={incidentHref(incident.id)} aria-label={`Incident ${incident.id} in ${incident.namespace}${incident.ongoing ? ", ongoing" : ""}`}>
                #{incident.id} {incident.namespace}
              </Link>
              {incident.ongoing ? <span className="muted"> (ongoing)</span> : null}
            </span>
          ))}
          {incidentsMore ? <span className="muted"> {incidentsMore}</span> : null}
        </p>
      ) : null}
    </li>
  );
}

/**
 * The top of the overview: one root cause hitting several namespaces at once in the last 24
 * hours, each such event with the namespaces and incidents it links. Ongoing ones first.
 */
export function EventsCard({ overview, now, timeZone }: { overview: Overview; now: number; timeZone: string }) {
  const { events, eventsTotal } = overview;
  const ongoing = events.some((event) => event.ongoing);
  return (
    <section className={`card events${ongoing ? " events-ongoing" : ""}`} aria-labelledby="events-heading">
      <div className="card-header">
        <h2 id="events-heading">Across namespaces{eventsTotal > 0 ? ` (${formatCount(eventsTotal)})` : ""}</h2>
        <Link href="/problems">All problems</Link>
      </div>
      {events.length === 0 ? (
        <p className="muted card-note">No root cause hit several namespaces at the same time in the last 24 hours.</p>
      ) : (
        <>
          <p className="muted card-note">
            One root cause (pattern and error type) in several namespaces at overlapping or back-to-back windows in the last 24 hours, linked as one event:
            ongoing ones first, then the widest.{eventsTotal > events.length ? ` The ${formatCount(events.length)} first of ${formatCount(eventsTotal)}.` : ""}
          </p>
          <ol className="event-items">
            {events.map((event) => (
              <EventItem key={`${event.problemId}@${event.from}`} event={event} now={now} timeZone={timeZone} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
