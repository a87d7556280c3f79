import Link from "next/link";
import { EventCauseLink, EventIncidentLinks, moreOf } from "@/components/events/event-parts";
import { namespaceHref } from "@/components/namespaces/namespace-list-table";
import { Badge } from "@/components/ui/badge";
import { formatInstantNear, formatSpan } from "@/lib/completeness/time-words";
import { formatCount } from "@/lib/format";
import type { Overview, OverviewEvent } from "@/lib/overview/contract";

function EventItem({ event, now, timeZone }: { event: OverviewEvent; now: number; timeZone: string }) {
  const fromMs = Date.parse(event.from);
  const toMs = Date.parse(event.to);
  const namespacesMore = moreOf(event.namespaces.length, event.namespaceTotal);
  return (
    <li className={`event${event.ongoing ? " event-ongoing" : ""}`} data-problem={event.problemId}>
      <div className="event-title">
        <Badge tone={event.ongoing ? "critical" : "ok"}>{event.ongoing ? "ongoing" : "ended"}</Badge> <EventCauseLink event={event} className="event-cause" />
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
      <EventIncidentLinks event={event} label="Incidents" className="event-list" />
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
