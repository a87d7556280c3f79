import Link from "next/link";
import type { ChartPeak } from "@/components/charts/baseline-chart";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import { formatCount, formatDateTime } from "@/lib/format";

function rangePeakColumns(timeZone: string): Column<ChartPeak>[] {
  return [
    {
      key: "window",
      header: "Window",
      className: "nowrap",
      cell: (peak) => <Link href={`/peaks/${peak.id}`}>{formatDateTime(new Date(peak.start).toISOString(), timeZone)}</Link>,
    },
    { key: "severity", header: "Severity", cell: (peak) => <Badge tone={peak.severity}>{peak.severity}</Badge> },
    { key: "status", header: "Status", cell: (peak) => peak.status.replaceAll("_", " ") },
    { key: "errors", header: "Errors", align: "end", cell: (peak) => formatCount(peak.errorCount) },
    {
      key: "label",
      header: "Known issue or regression",
      cell: (peak) => (
        <>
          {peak.isRegression ? <Badge tone="regression">regression</Badge> : null}{" "}
          {peak.knownIssueTitle ?? (peak.isRegression ? null : <span className="muted">–</span>)}
        </>
      ),
    },
  ];
}

/** The peaks of a chart's range, newest first, each linking to its page; a long list scrolls with its header in view. */
export function RangePeaksTable({ peaks, timeZone, labelledBy }: { peaks: readonly ChartPeak[]; timeZone: string; labelledBy: string }) {
  const newestFirst = [...peaks].sort((a, b) => b.start - a.start || b.id - a.id);
  return (
    <DataTable
      rows={newestFirst}
      columns={rangePeakColumns(timeZone)}
      getRowKey={(peak) => peak.id}
      aria-labelledby={labelledBy}
      scroll="sticky-header"
      scrollClassName="range-peaks-scroll"
    />
  );
}
