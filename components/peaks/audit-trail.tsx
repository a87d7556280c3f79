import type { PeakAuditEntry } from "@/lib/peaks/contract";
import { formatDateTime } from "@/lib/format";
import { describeAuditEntry } from "@/lib/peaks/words";

/** Who did what to the peak, and when, newest first. */
export function AuditTrail({ entries, timeZone }: { entries: PeakAuditEntry[]; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="audit-trail">
      <h2 id="audit-trail">Audit trail</h2>
      {entries.length === 0 ? (
        <p className="muted">Nobody has changed this peak yet.</p>
      ) : (
        <ol className="pk-list" aria-label="Changes, newest first">
          {entries.map((entry) => (
            <li key={entry.id}>
              <span className="pk-by">{formatDateTime(entry.createdAt, timeZone)}</span>
              <br />
              <strong>{entry.actor}</strong> {describeAuditEntry(entry)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
