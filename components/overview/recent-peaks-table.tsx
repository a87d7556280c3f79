import Link from "next/link";
import { namespaceHref } from "@/components/namespaces/namespace-table";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatCount, formatDateTime } from "@/lib/format";
import type { Overview } from "@/lib/overview/contract";

type RecentPeak = Overview["recentPeaks"][number];

function recentPeakColumns(timeZone: string): Column<RecentPeak>[] {
  return [
    { key: "window", header: "Window", className: "nowrap", cell: (peak) => formatDateTime(peak.timestamp, timeZone) },
    { key: "namespace", header: "Namespace", cell: (peak) => <Link href={namespaceHref(peak.namespace)}>{peak.namespace}</Link> },
    { key: "severity", header: "Severity", cell: (peak) => <Badge tone={peak.severity}>{peak.severity}</Badge> },
    { key: "status", header: "Status", cell: (peak) => peak.status.replace("_", " ") },
    { key: "errors", header: "Errors", align: "end", cell: (peak) => formatCount(peak.errorCount) },
    // 999 stands for a window without a baseline to compare with.
    { key: "ratio", header: "× baseline", align: "end", cell: (peak) => (peak.ratio >= 999 ? "new" : peak.ratio.toFixed(1)) },
  ];
}

export function RecentPeaksTable({ peaks, timeZone }: { peaks: Overview["recentPeaks"]; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="recent-peaks">
      <h2 id="recent-peaks">Latest peaks</h2>
      <DataTable
        rows={peaks}
        columns={recentPeakColumns(timeZone)}
        getRowKey={(peak) => peak.id}
        scroll="horizontal"
        empty={<p className="muted">No peak has been detected yet.</p>}
      />
    </section>
  );
}
