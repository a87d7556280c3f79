import Link from "next/link";
import { incidentHref } from "@/components/overview/incident-table";
import type { CrossNamespaceEventSummary } from "@/lib/events/contract";
import { formatCount } from "@/lib/format";
import { shortRootCause } from "@/lib/peaks/words";
import { problemPath } from "@/lib/problems/contract";

// The pieces of a cross-namespace event that the overview's card and an incident's page both show.

/** "+3 more" when `total` exceeds what is `shown`; null otherwise. */
export function moreOf(shown: number, total: number): string | null {
  return total > shown ? `+${formatCount(total - shown)} more` : null;
}

/** What an event's root cause is called: its template, else a message of it, else its error type. */
export function eventCauseOf(event: Pick<CrossNamespaceEventSummary, "template" | "example" | "errorType">): string {
  return event.template ?? event.example ?? event.errorType;
}

/** The event's root cause, shortened, as a link to its problem (the full text in the tooltip). */
export function EventCauseLink({ event, className }: { event: CrossNamespaceEventSummary; className?: string }) {
  const cause = eventCauseOf(event);
  return (
    <Link href={problemPath(event.problemId)} className={className} title={cause}>
      {shortRootCause(cause)}
    </Link>
  );
}

/** The event's incidents as links to their pages ("Incidents: #12 orders (ongoing), #14 ledger +2 more"); nothing when it names none. */
export function EventIncidentLinks({ event, label, className }: { event: CrossNamespaceEventSummary; label: string; className?: string }) {
  if (event.incidents.length === 0) return null;
  const more = moreOf(event.incidents.length, event.incidentTotal);
  return (
    <p className={className}>
      <span className="muted">{label}: </span>
      {event.incidents.map((incident, index) => (
        <span key={incident.id}>
          {index > 0 ? ", " : null}
          <Link href={incidentHref(incident.id)} aria-label={`Incident ${incident.id} in ${incident.namespace}${incident.ongoing ? ", ongoing" : ""}`}>
            #{incident.id} {incident.namespace}
          </Link>
          {incident.ongoing ? <span className="muted"> (ongoing)</span> : null}
        </span>
      ))}
      {more ? <span className="muted"> {more}</span> : null}
    </p>
  );
}
