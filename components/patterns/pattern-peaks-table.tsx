import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { PatternPeak } from "@/lib/patterns/contract";
import { formatCount, formatDateTime } from "@/lib/format";

function patternPeakColumns(timeZone: string): Column<PatternPeak>[] {
  return [
    { key: "peak", header: "Peak", cell: (peak) => <Link href={`/peaks/${peak.id}`}>#{peak.id}</Link> },
    { key: "window", header: "Window", className: "nowrap", cell: (peak) => formatDateTime(peak.timestamp, timeZone) },
    { key: "namespace", header: "Namespace", cell: (peak) => peak.namespace },
    { key: "severity", header: "Severity", cell: (peak) => <Badge tone={peak.severity}>{peak.severity}</Badge> },
    { key: "status", header: "Status", cell: (peak) => peak.status.replaceAll("_", " ") },
    { key: "errors", header: "Errors", align: "end", cell: (peak) => formatCount(peak.errorCount) },
    {
      key: "known-issue",
      header: "Known issue",
      cell: (peak) => (peak.knownIssue ? <Link href={`/known-issues/${peak.knownIssue.id}`}>{peak.knownIssue.title}</Link> : <span className="muted">—</span>),
    },
  ];
}

/** Peaks whose investigation lists the pattern, newest first, each linking to its page. */
export function PatternPeaksTable({ peaks, timeZone }: { peaks: readonly PatternPeak[]; timeZone: string }) {
  return <DataTable rows={peaks} columns={patternPeakColumns(timeZone)} getRowKey={(peak) => peak.id} scroll="horizontal" />;
}
