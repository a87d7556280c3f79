import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatCount, formatDateTime } from "@/lib/format";
import type { ProblemIncident } from "@/lib/problems/contract";
import { statusLabels } from "@/lib/peaks/words";

function incidentColumns(timeZone: string): Column<ProblemIncident>[] {
  return [
    {
      key: "incident",
      header: "Incident",
      rowHeader: true,
      className: "nowrap",
      cell: (incident) =>
        incident.incidentId === null ? (
          <span className="muted">not placed yet</span>
        ) : (
          <Link href={`/incidents/${incident.incidentId}`}>#{incident.incidentId}</Link>
        ),
    },
    { key: "namespace", header: "Namespace", cell: (incident) => incident.namespace },
    { key: "start", header: "From", className: "nowrap", cell: (incident) => formatDateTime(incident.start, timeZone) },
    { key: "end", header: "To", className: "nowrap", cell: (incident) => formatDateTime(incident.end, timeZone) },
    { key: "windows", header: "Windows", align: "end", cell: (incident) => formatCount(incident.windows) },
    { key: "errors", header: "Errors", align: "end", cell: (incident) => formatCount(incident.errors) },
    {
      key: "status",
      header: "Status",
      className: "nowrap",
      cell: (incident) =>
        incident.status === null ? (
          <span className="muted">–</span>
        ) : (
          <>
            <Badge tone={incident.status}>{statusLabels[incident.status]}</Badge>
            {incident.isOngoing ? <span className="muted"> · ongoing</span> : null}
          </>
        ),
    },
  ];
}

/** A problem's incidents of the period, newest first: the timeline's marks as a table, each linking to its incident. */
export function ProblemIncidentsTable({ incidents, timeZone, labelledBy }: { incidents: readonly ProblemIncident[]; timeZone: string; labelledBy: string }) {
  return (
    <DataTable
      rows={incidents}
      columns={incidentColumns(timeZone)}
      getRowKey={(incident) => `${incident.incidentId ?? "window"}-${incident.namespace}-${incident.start}`}
      rowProps={(incident) => ({ "data-incident-id": incident.incidentId ?? undefined })}
      aria-labelledby={labelledBy}
      scroll="horizontal"
      scrollLabel="Incidents of the problem, scroll sideways"
    />
  );
}
