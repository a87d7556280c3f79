import type { IncidentAuditEntry } from "@/lib/incidents/contract";
import { describeIncidentAuditEntry } from "@/lib/incidents/words";
import { formatDateTime } from "@/lib/format";

/** Who did what to the incident, and when, newest first; "pipeline" for what a run did on its own. */
export function IncidentAuditTrail({ entries, timeZone }: { entries: readonly IncidentAuditEntry[]; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="audit-trail">
      <h2 id="audit-trail">Audit trail</h2>
      {entries.length === 0 ? (
        <p className="muted">Nobody has changed this incident yet.</p>
      ) : (
        <ol className="pk-list" aria-label="Changes, newest first">
          {entries.map((entry) => (
            <li key={entry.id}>
              <span className="pk-by">{formatDateTime(entry.createdAt, timeZone)}</span>
              <br />
              <strong>{entry.actor}</strong> {describeIncidentAuditEntry(entry, timeZone)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
