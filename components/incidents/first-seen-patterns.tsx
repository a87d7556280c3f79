import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { IncidentDetail } from "@/lib/incidents/contract";
import { firstSeenSentence } from "@/lib/incidents/words";
import { formatCount, formatDateTime } from "@/lib/format";

/** The patterns never seen before in the incident's namespace, first seen in one of its windows; nothing when there are none. */
export function FirstSeenPatterns({ incident, timeZone }: { incident: IncidentDetail; timeZone: string }) {
  if (incident.firstSeenPatterns.length === 0) return null;
  return (
    <section className="card" aria-labelledby="incident-first-seen">
      <h2 id="incident-first-seen">First seen</h2>
      <p className="pk-hint">Patterns the stored history of {incident.namespace} never held before this incident.</p>
      <ul className="ic-first-seen">
        {incident.firstSeenPatterns.map((pattern) => (
          <li key={pattern.patternId}>
            <div>
              <Badge tone="new">first seen</Badge> <span className="ic-first-seen-words">{firstSeenSentence(incident.namespace, "incident")}</span>
            </div>
            <Link href={`/patterns/${pattern.patternId}`} className="pk-template ic-first-seen-template">
              {pattern.template}
            </Link>
            <span className="muted">
              {formatCount(pattern.count)} errors in the window of {formatDateTime(pattern.timestamp, timeZone)} (
              <Link href={`/peaks/${pattern.peakId}`}>peak #{pattern.peakId}</Link>)
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
