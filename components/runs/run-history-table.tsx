import { DataTable, type Column } from "@/components/ui/data-table";
import { summarizeFindings } from "@/lib/completeness/run-findings";
import { formatRangeNear } from "@/lib/completeness/time-words";
import type { PipelineRunRecord } from "@/lib/runs/contract";
import { formatAge, formatCount, formatDateTime } from "@/lib/format";
import type { Jsonified } from "@/lib/http/jsonified";
import { RunBadge } from "./run-badge";

type Run = Jsonified<PipelineRunRecord>;

/** A run's range in full, for its tooltip and its detail. */
export function runRangeText(run: Run, timeZone: string): string {
  return `${formatDateTime(run.rangeFrom, timeZone)} – ${formatDateTime(run.rangeTo, timeZone)}`;
}

type RunHistoryTableProps = {
  runs: readonly Run[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  /** When the list was fetched (UTC ms): ages and ranges are told relative to it. */
  now: number;
  timeZone: string;
};

/** Runs newest first, one selectable row each, with their range, status and counts. */
export function RunHistoryTable({ runs, selectedId, onSelect, now, timeZone }: RunHistoryTableProps) {
  const columns: Column<Run>[] = [
    {
      key: "run",
      header: "Run",
      cell: (run) => (
        <>
          <button type="button" className="link-button" aria-pressed={run.id === selectedId} onClick={() => onSelect(run.id)}>
            #{run.id}
          </button>
          <span className="muted"> {run.trigger}</span>
        </>
      ),
    },
    {
      key: "started",
      header: "Started",
      className: "nowrap",
      title: (run) => formatDateTime(run.startedAt, timeZone),
      cell: (run) => formatAge(run.startedAt, now),
    },
    {
      key: "range",
      header: "Range",
      title: (run) => runRangeText(run, timeZone),
      cell: (run) => {
        const summary = summarizeFindings(run, now, timeZone);
        return (
          <>
            {formatRangeNear(Date.parse(run.rangeFrom), Date.parse(run.rangeTo), now, timeZone)}
            {summary ? <span className="run-summary">{summary}</span> : null}
          </>
        );
      },
    },
    { key: "status", header: "Status", className: "run-status", cell: (run) => <RunBadge run={run} /> },
    { key: "errors", header: "Errors", align: "end", cell: (run) => formatCount(run.documentsSeen) },
    { key: "peaks", header: "Peaks", align: "end", cell: (run) => formatCount(run.peaksFound) },
    { key: "sent", header: "Sent", align: "end", cell: (run) => formatCount(run.notificationsSent) },
  ];
  return (
    <DataTable
      rows={runs}
      columns={columns}
      getRowKey={(run) => run.id}
      scroll="horizontal"
      rowProps={(run) => ({ className: run.id === selectedId ? "selected" : undefined })}
    />
  );
}
