"use client";

import Link from "next/link";
import { useRef, useState, type KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { PeakSummary } from "@/lib/peaks/contract";
import { formatCount } from "@/lib/format";
import { formatRatio } from "@/lib/peaks/explain";
import { formatLocalDay, formatLocalTime, type DayGroup } from "@/lib/peaks/timeline";
import { shortRootCause, statusLabels } from "@/lib/peaks/words";
import { PeakLabel } from "./peak-label";

/** Keys that move the selection, and by how much (Infinity: to an end). */
const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, Home: -Infinity, End: Infinity };

/**
 * The timeline's peaks grouped by local day, one table with a row group per day. One row link
 * is the list's tab stop; ↑/↓ (or j/k), Home and End move it, Enter follows it. Scrolls sideways in its card.
 */
export function TimelineTable({ groups, timeZone, describedBy }: { groups: DayGroup<PeakSummary>[]; timeZone: string; describedBy: string }) {
  const [selected, setSelected] = useState(0);
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  const rowCount = groups.reduce((sum, group) => sum + group.peaks.length, 0);
  // The list may have shrunk (other filters) since the selection was made.
  const current = Math.min(selected, Math.max(0, rowCount - 1));

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const move = moves[event.key];
    if (move === undefined || event.altKey || event.ctrlKey || event.metaKey || rowCount === 0) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(rowCount - 1, move === Infinity ? rowCount - 1 : move === -Infinity ? 0 : current + move));
    setSelected(next);
    links.current[next]?.focus();
  };

  const columns: Column<PeakSummary>[] = [
    {
      key: "time",
      header: "Time",
      className: "nowrap",
      cell: (peak, rowIndex) => {
        const time = formatLocalTime(peak.timestamp, timeZone);
        return (
          <>
            <Link
              href={`/peaks/${peak.id}`}
              className="pk-row-link"
              tabIndex={rowIndex === current ? 0 : -1}
              ref={(element) => {
                links.current[rowIndex] = element;
              }}
              onFocus={() => setSelected(rowIndex)}
              aria-label={`${time}, ${peak.namespace}, ${peak.severity} peak ${peak.id}`}
            >
              {time}
            </Link>
            {peak.continuesPeakId !== null ? <div className="pk-hint">continues #{peak.continuesPeakId}</div> : null}
          </>
        );
      },
    },
    { key: "namespace", header: "Namespace", cell: (peak) => peak.namespace },
    { key: "severity", header: "Severity", cell: (peak) => <Badge tone={peak.severity}>{peak.severity}</Badge> },
    { key: "status", header: "Status", cell: (peak) => <Badge tone={peak.status}>{statusLabels[peak.status]}</Badge> },
    {
      key: "errors",
      header: "Errors",
      align: "end",
      cell: (peak) => (
        <>
          {formatCount(peak.errorCount)}
          <span className="pk-mobile-label"> errors</span>
        </>
      ),
    },
    {
      key: "ratio",
      header: "× baseline",
      align: "end",
      cell: (peak) =>
        peak.baselineMean > 0 ? (
          <>
            {formatRatio(peak.ratio)}
            <span className="pk-mobile-label"> the baseline</span>
          </>
        ) : (
          "new"
        ),
    },
    {
      key: "root-cause",
      header: "Root cause",
      cell: (peak) => (
        <div className="pk-root-cause" title={peak.rootCause ?? undefined}>
          {peak.rootCause ? shortRootCause(peak.rootCause) : <span className="muted">not investigated yet</span>}
        </div>
      ),
    },
    {
      key: "label",
      header: "Label",
      className: "pk-label-cell",
      cell: (peak) => <PeakLabel knownIssue={peak.knownIssue} regressionOf={peak.regressionOf} />,
    },
  ];
  return (
    <DataTable
      groups={groups.map((group) => ({
        key: group.day,
        headerClassName: "pk-day",
        header: (
          <>
            {formatLocalDay(group.day)} <span>· {group.peaks.length === 1 ? "1 peak" : `${formatCount(group.peaks.length)} peaks`}</span>
          </>
        ),
        rows: group.peaks,
      }))}
      columns={columns}
      getRowKey={(peak) => peak.id}
      className="pk-timeline"
      scroll="horizontal"
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
      rowProps={(peak, rowIndex) => ({ className: rowIndex === current ? "pk-row pk-selected" : "pk-row", "data-peak-id": peak.id })}
    />
  );
}
