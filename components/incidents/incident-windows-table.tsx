import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { IncidentWindow } from "@/lib/incidents/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { formatRatio } from "@/lib/peaks/explain";
import { formatLocalTime, localDayOf } from "@/lib/peaks/timeline";
import { statusLabels } from "@/lib/peaks/words";

/** The incident's peak windows, oldest first, each linking to its peak's page; times alone when they all fall on one local day. */
export function IncidentWindowsTable({ windows, timeZone }: { windows: readonly IncidentWindow[]; timeZone: string }) {
  const isOneDay = new Set(windows.map((window) => localDayOf(window.timestamp, timeZone))).size <= 1;
  const columns: Column<IncidentWindow>[] = [
    {
      key: "window",
      header: "Window",
      className: "nowrap",
      cell: (window) => (
        <Link href={`/peaks/${window.peakId}`} aria-label={`Peak #${window.peakId} at ${formatDateTime(window.timestamp, timeZone)}`}>
          {isOneDay ? formatLocalTime(window.timestamp, timeZone) : formatDateTime(window.timestamp, timeZone)}
        </Link>
      ),
    },
    { key: "severity", header: "Severity", cell: (window) => <Badge tone={window.severity}>{window.severity}</Badge> },
    { key: "errors", header: "Errors", align: "end", cell: (window) => formatCount(window.errorCount) },
    { key: "baseline", header: "Baseline", align: "end", cell: (window) => formatCount(Math.round(window.baselineMean)) },
    { key: "ratio", header: "× baseline", align: "end", cell: (window) => (window.baselineMean > 0 ? formatRatio(window.ratio) : "new") },
    { key: "status", header: "Status", cell: (window) => <Badge tone={window.status}>{statusLabels[window.status]}</Badge> },
  ];
  return (
    <section className="card table-card" aria-labelledby="incident-windows">
      <h2 id="incident-windows">
        Windows{isOneDay && windows[0] ? <span className="muted"> on {formatDateTime(windows[0].timestamp, timeZone).replace(/,.*$/, "")}</span> : null}
      </h2>
      <DataTable rows={windows} columns={columns} getRowKey={(window) => window.peakId} aria-labelledby="incident-windows" scroll="horizontal" />
    </section>
  );
}
