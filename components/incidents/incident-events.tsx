import Link from "next/link";
import { EventCauseLink, EventIncidentLinks } from "@/components/events/event-parts";
import { formatInstantNear } from "@/lib/completeness/time-words";
import type { CrossNamespaceEventSummary } from "@/lib/events/contract";
import type { IncidentDetail } from "@/lib/incidents/contract";
import { eventNamespacesOf } from "@/lib/incidents/words";
import { formatCount } from "@/lib/format";

function EventSentence({ event, incident, timeZone }: { event: CrossNamespaceEventSummary; incident: IncidentDetail; timeZone: string }) {
  // Times read against the incident's start, which the header gives in full: the time alone on its day.
  const nearMs = Date.parse(incident.start);
  const { named, more } = eventNamespacesOf(event, incident.namespace);
  const from = formatInstantNear(Date.parse(event.from), nearMs, timeZone);
  const until = event.ongoing ? "until now" : `to ${formatInstantNear(Date.parse(event.to), nearMs, timeZone)}`;
  return (
    <li className={`ic-event${event.ongoing ? " ic-event-ongoing" : ""}`} data-problem={event.problemId}>
      <p className="ic-event-words">
        Part of an event across <strong>{formatCount(event.namespaceTotal)} namespaces</strong> ({named.join(", ")}
        {more > 0 ? `, +${formatCount(more)} more` : ""}) from {from} {until}: the same root cause <EventCauseLink event={event} className="ic-event-cause" />{" "}
        <span className="muted">({event.errorType})</span>.
      </p>
      <EventIncidentLinks event={event} label="Other incidents" className="ic-event-list" />
    </li>
  );
}

/**
 * Near the top of an incident's page: the outbreaks across namespaces it is part of (the same
 * root cause elsewhere at the same time), so that one outage is triaged once; nothing when none.
 */
export function IncidentEvents({ incident, timeZone }: { incident: IncidentDetail; timeZone: string }) {
  if (incident.events.length === 0) return null;
  const ongoing = incident.events.some((event) => event.ongoing);
  const unnamed = incident.eventsTotal - incident.events.length;
  return (
    <section className={`card ic-events${ongoing ? " ic-events-ongoing" : ""}`} aria-labelledby="incident-events-heading">
      <h2 id="incident-events-heading">Across namespaces</h2>
      <ul className="ic-event-items">
        {incident.events.map((event) => (
          <EventSentence key={`${event.problemId}@${event.from}`} event={event} incident={incident} timeZone={timeZone} />
        ))}
      </ul>
      {unnamed > 0 ? (
        <p className="muted ic-event-list">
          And {formatCount(unnamed)} more {unnamed === 1 ? "event" : "events"} of its other root causes: see <Link href="/problems">the problems</Link>.
        </p>
      ) : null}
    </section>
  );
}
