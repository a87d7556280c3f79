import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { KnownIssueDetail } from "@/lib/known-issues/contract";
import { formatCount, formatDateTime } from "@/lib/format";

type MatchedPeak = KnownIssueDetail["peaks"][number];

function matchedPeakColumns(timeZone: string): Column<MatchedPeak>[] {
  return [
    {
      key: "time",
      header: "Time",
      className: "nowrap",
      cell: (peak) => <Link href={`/peaks/${peak.id}`}>{formatDateTime(peak.timestamp, timeZone)}</Link>,
    },
    { key: "namespace", header: "Namespace", cell: (peak) => peak.namespace },
    { key: "severity", header: "Severity", cell: (peak) => <Badge tone={peak.severity}>{peak.severity}</Badge> },
    { key: "errors", header: "Errors", align: "end", cell: (peak) => formatCount(peak.errorCount) },
    { key: "status", header: "Status", className: "nowrap", cell: (peak) => peak.status.replaceAll("_", " ") },
    {
      key: "root-cause",
      header: "Root cause",
      className: "ki-clip ki-clip-wide",
      title: (peak) => peak.rootCause ?? undefined,
      cell: (peak) => peak.rootCause ?? <span className="muted">—</span>,
    },
  ];
}

/** The peaks labelled with a known issue, newest first; the issue's count covers those not listed. */
export function MatchedPeaks({ issue, timeZone }: { issue: KnownIssueDetail; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="matched-peaks">
      <h2 id="matched-peaks">Matched peaks</h2>
      <DataTable
        rows={issue.peaks}
        columns={matchedPeakColumns(timeZone)}
        getRowKey={(peak) => peak.id}
        scroll="horizontal"
        empty={
          <p className="muted">
            No peak is labelled with this issue yet. Peaks are labelled when the pipeline investigates them; while editing, the preview shows which recent peaks
            the patterns would match.
          </p>
        }
      />
      {issue.matchedPeaks > issue.peaks.length && issue.peaks.length > 0 ? (
        <p className="muted ki-hint">
          The newest {formatCount(issue.peaks.length)} of {formatCount(issue.matchedPeaks)}.
        </p>
      ) : null}
    </section>
  );
}
