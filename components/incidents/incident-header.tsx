import Link from "next/link";
import { LogsLink } from "@/components/peaks/logs-link";
import { PeakLabel } from "@/components/peaks/peak-label";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import type { IncidentDetail } from "@/lib/incidents/contract";
import { describeSnooze, formatIncidentDuration, regressionNote } from "@/lib/incidents/words";
import { formatCount, formatDateTime } from "@/lib/format";
import { formatLocalTime, localDayOf } from "@/lib/peaks/timeline";
import { IncidentStatus } from "./incident-status";

/** The end of the span: the time alone on the start's local day, else the date and time. */
function spanEnd(incident: IncidentDetail, timeZone: string): string {
  return localDayOf(incident.start, timeZone) === localDayOf(incident.end, timeZone)
    ? formatLocalTime(incident.end, timeZone)
    : formatDateTime(incident.end, timeZone);
}

/** An incident page's header: where, when, how long, how it stands, whose it is, and where its logs are. */
export function IncidentHeader({ incident, timeZone }: { incident: IncidentDetail; timeZone: string }) {
  const returned = incident.reopenCount > 0 ? regressionNote(incident.audit) : null;
  return (
    <header className="page-header">
      <div>
        <p className="pk-breadcrumb">
          <Link href="/incidents">Incidents</Link> › <Link href={`/namespaces/${encodeURIComponent(incident.namespace)}`}>{incident.namespace}</Link>
        </p>
        <h1>
          Incident #{incident.id} in {incident.namespace}
        </h1>
        <div className="pk-head-meta">
          <span>
            {formatDateTime(incident.start, timeZone)}–{incident.ongoing ? "now" : spanEnd(incident, timeZone)} <span className="muted">({timeZone})</span>
          </span>
          {incident.ongoing ? (
            <Badge tone="ongoing">ongoing</Badge>
          ) : (
            <span>
              <Badge tone="ended">ended</Badge> after {formatIncidentDuration(incident)}
            </span>
          )}
          <Badge tone={incident.severity}>{incident.severity}</Badge>
          <IncidentStatus incident={incident} />
          <span>
            {formatCount(incident.windows)} {incident.windows === 1 ? "window" : "windows"}, {formatCount(incident.errors)} errors (+
            {formatCount(incident.excess)} above the baselines)
          </span>
          {incident.logLinks?.window ? <LogsLink href={incident.logLinks.window} subject="this incident" /> : null}
        </div>
        <div className="pk-head-meta">
          <span>Owner: {incident.owner ? <strong data-testid="incident-owner">{incident.owner.email}</strong> : <span className="muted">nobody</span>}</span>
          {incident.snooze ? <span data-testid="incident-snooze">{describeSnooze(incident.snooze, timeZone)}</span> : null}
          {incident.knownIssue || incident.regressionOf ? (
            <span>
              <PeakLabel knownIssue={incident.knownIssue} regressionOf={incident.regressionOf} />
            </span>
          ) : null}
        </div>
        {returned ? (
          <Alert tone="warning" className="ic-regression">
            Regression: {returned.charAt(0).toLowerCase()}
            {returned.slice(1)} {incident.reopenCount > 1 ? `It returned ${incident.reopenCount} times.` : ""}
          </Alert>
        ) : null}
      </div>
    </header>
  );
}
