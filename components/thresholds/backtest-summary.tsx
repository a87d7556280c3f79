import { DataTable, type Column } from "@/components/ui/data-table";
import { formatCount, formatDateTime } from "@/lib/format";
import type { BacktestPeak } from "@/lib/pipeline/backtest";
import type { BacktestAnswer } from "@/lib/thresholds/contract";

function signed(value: number, sign: "+" | "−"): string {
  return value === 0 ? "0" : `${sign}${formatCount(value)}`;
}

function PeakTimes({ title, peaks, timeZone }: { title: string; peaks: readonly BacktestPeak[]; timeZone: string }) {
  if (peaks.length === 0) return null;
  return (
    <div>
      <h4>{title}</h4>
      <ul className="backtest-peaks">
        {peaks.map((peak) => (
          <li key={peak.start}>
            {formatDateTime(new Date(peak.start).toISOString(), timeZone)}: {formatCount(peak.count)} errors, {peak.severity}
            {peak.isContinuation ? " (continues a plateau)" : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

type NamespaceBacktest = BacktestAnswer["namespaces"][number];

function backtestColumns(selected: string | null, onSelect: (namespace: string) => void): Column<NamespaceBacktest>[] {
  return [
    {
      key: "namespace",
      header: "Namespace",
      rowHeader: true,
      cell: (entry) => (
        <button type="button" className="link-button" aria-pressed={entry.namespace === selected} onClick={() => onSelect(entry.namespace)}>
          {entry.namespace}
        </button>
      ),
    },
    { key: "stored", header: "Stored peaks", align: "end", cell: (entry) => formatCount(entry.stored) },
    { key: "current", header: "In force", align: "end", cell: (entry) => formatCount(entry.current) },
    { key: "proposed", header: "Proposed", align: "end", cell: (entry) => formatCount(entry.proposed) },
    { key: "added", header: "Added", align: "end", className: "added", cell: (entry) => signed(entry.added.length, "+") },
    { key: "removed", header: "Removed", align: "end", className: "removed", cell: (entry) => signed(entry.removed.length, "−") },
  ];
}

/** Totals of a backtest and its per-namespace table; a row's button puts that namespace on the chart. */
export function BacktestSummary({
  answer,
  timeZone,
  selected,
  onSelect,
}: {
  answer: BacktestAnswer;
  timeZone: string;
  selected: string | null;
  onSelect: (namespace: string) => void;
}) {
  const { totals } = answer;
  const rows = [...answer.namespaces].sort(
    (left, right) => right.added.length + right.removed.length - (left.added.length + left.removed.length) || left.namespace.localeCompare(right.namespace),
  );
  const chosen = answer.namespaces.find((entry) => entry.namespace === selected);
  return (
    <>
      <p className="backtest-totals" role="status">
        From {formatDateTime(new Date(answer.from).toISOString(), timeZone)} to {formatDateTime(new Date(answer.to).toISOString(), timeZone)} ({answer.days}{" "}
        {answer.days === 1 ? "day" : "days"}, after {answer.warmupDays} days of warm-up): the values in force flag{" "}
        <strong>{formatCount(totals.current)}</strong> windows, the proposed values <strong>{formatCount(totals.proposed)}</strong>:{" "}
        <strong className="added">{signed(totals.added, "+")} added</strong>, <strong className="removed">{signed(totals.removed, "−")} removed</strong>.{" "}
        {formatCount(totals.stored)} peaks are stored for the range.
      </p>
      <DataTable
        rows={rows}
        columns={backtestColumns(selected, onSelect)}
        getRowKey={(entry) => entry.namespace}
        caption="Peak windows per namespace; choose one to see it on the chart."
        captionClassName="muted"
        scroll="horizontal"
        scrollClassName="backtest-table"
        rowProps={(entry) => ({ className: entry.namespace === selected ? "selected" : undefined })}
      />
      {chosen && chosen.added.length + chosen.removed.length > 0 ? (
        <details className="backtest-changes">
          <summary>
            Windows of {chosen.namespace} that change ({chosen.added.length + chosen.removed.length})
          </summary>
          <div className="grid grid-2">
            <PeakTimes title="Added by the proposed values" peaks={chosen.added} timeZone={timeZone} />
            <PeakTimes title="No longer flagged" peaks={chosen.removed} timeZone={timeZone} />
          </div>
        </details>
      ) : null}
    </>
  );
}
