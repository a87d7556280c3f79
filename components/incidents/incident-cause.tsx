import Link from "next/link";
import { LogsLink } from "@/components/peaks/logs-link";
import type { IncidentDetail } from "@/lib/incidents/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { traceLogsLink } from "@/lib/logs-link";
import { formatRatio } from "@/lib/peaks/explain";

/** The lead window's root cause in full, its error type, app and the services its traces touched. */
export function IncidentCause({ incident, timeZone }: { incident: IncidentDetail; timeZone: string }) {
  const { lead } = incident;
  const traceLink = lead.traceId && incident.logLinks ? traceLogsLink(incident.logLinks, lead.traceId) : null;
  return (
    <section className="card" aria-labelledby="incident-cause">
      <h2 id="incident-cause">Root cause</h2>
      {lead.rootCause ? (
        <p className="ic-root-cause">{lead.rootCause}</p>
      ) : (
        <p className="muted">Not investigated yet: the next enrichment finds the root cause of its windows.</p>
      )}
      <dl className="ic-facts">
        <dt>From window</dt>
        <dd>
          <Link href={`/peaks/${lead.peakId}`}>
            Peak #{lead.peakId} at {formatDateTime(lead.timestamp, timeZone)}
          </Link>{" "}
          <span className="muted">
            ({formatCount(lead.errorCount)} errors, {formatRatio(lead.ratio)} the baseline)
          </span>
        </dd>
        <dt>Error type</dt>
        <dd>{lead.errorType ?? <span className="muted">unknown</span>}</dd>
        <dt>App</dt>
        <dd>{lead.appName ?? <span className="muted">unknown</span>}</dd>
        <dt>Affected services</dt>
        <dd>{lead.affectedServices.length > 0 ? lead.affectedServices.join(", ") : <span className="muted">none recorded</span>}</dd>
        {lead.traceId ? (
          <>
            <dt>Representative trace</dt>
            <dd>
              <code>{lead.traceId}</code> {traceLink ? <LogsLink href={traceLink} subject={`trace ${lead.traceId}`} /> : null}
            </dd>
          </>
        ) : null}
        <dt>{incident.ongoing ? "Latest window" : "Last window"}</dt>
        <dd>
          {formatDateTime(incident.latest.timestamp, timeZone)}: {formatCount(incident.latest.errorCount)} errors against a threshold of{" "}
          {formatCount(incident.latest.requiredCount)}
        </dd>
      </dl>
    </section>
  );
}
