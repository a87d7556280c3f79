import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatInstantNear, formatSpan } from "@/lib/completeness/time-words";
import { formatAge, formatCount } from "@/lib/format";
import type { OverviewIncident } from "@/lib/overview/contract";
import { shortRootCause, statusLabels } from "@/lib/peaks/words";

/** An incident's page. */
export function incidentHref(id: number): string {
  return `/incidents/${id}`;
}

/** Where the clock and timezone for ages and times come from: the moment the data was read. */
type Clock = { now: number; timeZone: string };

function Started({ incident, clock }: { incident: OverviewIncident; clock: Clock }) {
  return (
    <>
      <span className="incident-age">started {formatAge(incident.start, clock.now)}</span>
      <span className="muted incident-time">{formatInstantNear(Date.parse(incident.start), clock.now, clock.timeZone)}</span>
    </>
  );
}

/** The last window's count against the count its threshold required. */
function LastWindow({ incident, clock }: { incident: OverviewIncident; clock: Clock }) {
  const { errorCount, requiredCount, timestamp } = incident.latest;
  const words = `${formatCount(errorCount)} errors in the window of ${formatInstantNear(Date.parse(timestamp), clock.now, clock.timeZone)}, where its threshold required ${formatCount(requiredCount)}`;
  return (
    <span title={words}>
      <span className="incident-cell-label">errors / threshold </span>
      <strong>{formatCount(errorCount)}</strong>
      <span className="muted"> / {formatCount(requiredCount)}</span>
    </span>
  );
}

function RootCause({ incident }: { incident: OverviewIncident }) {
  const { rootCause } = incident.lead;
  return (
    <>
      {rootCause ? (
        <span className="incident-cause" title={rootCause}>
          {shortRootCause(rootCause)}
        </span>
      ) : (
        <span className="muted">not investigated yet</span>
      )}
      {incident.knownIssue ? <span className="incident-label">known issue: {incident.knownIssue.title}</span> : null}
      {incident.regressionOf ? <span className="incident-label incident-regression">regression of {incident.regressionOf.title}</span> : null}
      {!incident.regressionOf && incident.reopenCount > 0 ? (
        <span className="incident-label incident-regression">returned after it resolved itself</span>
      ) : null}
    </>
  );
}

function Status({ incident, clock }: { incident: OverviewIncident; clock: Clock }) {
  const snooze = incident.snooze?.state === "active" ? incident.snooze : null;
  return (
    <>
      <span>{statusLabels[incident.status]}</span>
      {snooze ? (
        <span className="incident-snoozed">
          snoozed
          {snooze.until ? ` until ${formatInstantNear(Date.parse(snooze.until), clock.now, clock.timeZone)}` : ""}
          {snooze.until && snooze.growth ? " or" : ""}
          {snooze.growth ? ` until ×${snooze.growth}` : ""}
        </span>
      ) : null}
    </>
  );
}

function incidentColumns(clock: Clock, withDuration: boolean): Column<OverviewIncident>[] {
  return [
    {
      key: "namespace",
      header: "Incident",
      rowHeader: true,
      className: "incident-name",
      cell: (incident) => (
        <Link href={incidentHref(incident.id)} aria-label={`Incident ${incident.id} in ${incident.namespace}`}>
          {incident.namespace}
          <span className="muted"> #{incident.id}</span>
        </Link>
      ),
    },
    { key: "severity", header: "Severity", cell: (incident) => <Badge tone={incident.severity}>{incident.severity}</Badge> },
    { key: "started", header: "Started", className: "incident-started", cell: (incident) => <Started incident={incident} clock={clock} /> },
    ...(withDuration
      ? [
          {
            key: "duration",
            header: "Duration",
            className: "nowrap",
            cell: (incident: OverviewIncident) => `${formatSpan(Date.parse(incident.end) - Date.parse(incident.start))}${incident.ongoing ? ", ongoing" : ""}`,
          } satisfies Column<OverviewIncident>,
        ]
      : []),
    { key: "latest", header: "Errors / threshold", align: "end", cell: (incident) => <LastWindow incident={incident} clock={clock} /> },
    { key: "cause", header: "Root cause", className: "incident-cause-cell", cell: (incident) => <RootCause incident={incident} /> },
    {
      key: "owner",
      header: "Owner",
      cell: (incident) => (
        <>
          <span className="incident-cell-label">owner </span>
          {incident.owner ? incident.owner.email : <span className="muted">nobody</span>}
        </>
      ),
    },
    { key: "status", header: "Status", className: "incident-status", cell: (incident) => <Status incident={incident} clock={clock} /> },
  ];
}

/** Incidents in a table: each links to its page; "Duration" only where asked. Snoozed rows are dimmed and say so. */
export function IncidentTable({
  incidents,
  labelledBy,
  now,
  timeZone,
  withDuration = false,
  empty,
}: {
  incidents: readonly OverviewIncident[];
  labelledBy: string;
  now: number;
  timeZone: string;
  withDuration?: boolean;
  empty: ReactNode;
}) {
  return (
    <DataTable
      rows={incidents}
      columns={incidentColumns({ now, timeZone }, withDuration)}
      getRowKey={(incident) => incident.id}
      className="incident-table"
      aria-labelledby={labelledBy}
      scroll="horizontal"
      rowProps={(incident) => ({ className: incident.snooze?.state === "active" ? "incident-row-snoozed" : undefined, "data-incident": incident.id })}
      empty={empty}
    />
  );
}
