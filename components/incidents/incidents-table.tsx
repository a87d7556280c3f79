"use client";

import Link from "next/link";
import { useRef, useState, type KeyboardEvent } from "react";
import { PeakLabel } from "@/components/peaks/peak-label";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { IncidentSummary } from "@/lib/incidents/contract";
import { formatIncidentDuration } from "@/lib/incidents/words";
import { formatCount, formatDateTime } from "@/lib/format";
import { shortRootCause } from "@/lib/peaks/words";
import { IncidentStatus } from "./incident-status";

/** Keys that move the selection, and by how much (Infinity: to an end). */
const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, Home: -Infinity, End: Infinity };

/**
 * The incidents, newest first. One row link is the list's tab stop; ↑/↓ (or j/k), Home and End
 * move it, Enter follows it (as on the peaks timeline). Scrolls sideways in its card.
 */
export function IncidentsTable({ incidents, timeZone, describedBy }: { incidents: readonly IncidentSummary[]; timeZone: string; describedBy: string }) {
  const [selected, setSelected] = useState(0);
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  // The list may have shrunk (other filters) since the selection was made.
  const current = Math.min(selected, Math.max(0, incidents.length - 1));

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const move = moves[event.key];
    if (move === undefined || event.altKey || event.ctrlKey || event.metaKey || incidents.length === 0) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(incidents.length - 1, move === Infinity ? incidents.length - 1 : move === -Infinity ? 0 : current + move));
    setSelected(next);
    links.current[next]?.focus();
  };

  const columns: Column<IncidentSummary>[] = [
    {
      key: "start",
      header: "Started",
      className: "nowrap",
      cell: (incident, rowIndex) => {
        const start = formatDateTime(incident.start, timeZone);
        return (
          <>
            <Link
              href={`/incidents/${incident.id}`}
              className="pk-row-link"
              tabIndex={rowIndex === current ? 0 : -1}
              ref={(element) => {
                links.current[rowIndex] = element;
              }}
              onFocus={() => setSelected(rowIndex)}
              aria-label={`Incident ${incident.id}: ${incident.namespace}, ${incident.severity}, started ${start}`}
            >
              {start}
            </Link>
            <div className="pk-hint">{incident.ongoing ? <strong className="ic-ongoing">ongoing</strong> : `lasted ${formatIncidentDuration(incident)}`}</div>
          </>
        );
      },
    },
    { key: "namespace", header: "Namespace", cell: (incident) => incident.namespace },
    { key: "severity", header: "Severity", cell: (incident) => <Badge tone={incident.severity}>{incident.severity}</Badge> },
    { key: "status", header: "Status", cell: (incident) => <IncidentStatus incident={incident} /> },
    {
      key: "windows",
      header: "Windows",
      align: "end",
      cell: (incident) => (
        <>
          <span className="ic-mobile-label">Windows: </span>
          {formatCount(incident.windows)}
        </>
      ),
    },
    {
      key: "errors",
      header: "Errors (excess)",
      align: "end",
      className: "nowrap",
      cell: (incident) => (
        <>
          <span className="ic-mobile-label">Errors: </span>
          {formatCount(incident.errors)}
          <div className="pk-hint">
            +{formatCount(incident.excess)}
            <span className="ic-mobile-label"> excess</span>
          </div>
        </>
      ),
    },
    {
      key: "root-cause",
      header: "Root cause",
      cell: (incident) => (
        <div className="pk-root-cause" title={incident.lead.rootCause ?? undefined}>
          {incident.lead.rootCause ? shortRootCause(incident.lead.rootCause) : <span className="muted">not investigated yet</span>}
        </div>
      ),
    },
    {
      key: "owner",
      header: "Owner",
      cell: (incident) => (
        <>
          <span className="ic-mobile-label">Owner: </span>
          {incident.owner ? incident.owner.email : <span className="muted">nobody</span>}
        </>
      ),
    },
    { key: "label", header: "Label", cell: (incident) => <PeakLabel knownIssue={incident.knownIssue} regressionOf={incident.regressionOf} /> },
  ];
  return (
    <DataTable
      rows={incidents}
      columns={columns}
      getRowKey={(incident) => incident.id}
      className="pk-timeline ic-table"
      scroll="horizontal"
      aria-labelledby="incidents-heading"
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
      rowProps={(incident, rowIndex) => ({ className: rowIndex === current ? "ic-row ic-selected" : "ic-row", "data-incident-id": incident.id })}
    />
  );
}
