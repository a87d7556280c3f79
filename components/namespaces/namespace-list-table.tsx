import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { DataTable, type Column } from "@/components/ui/data-table";
import { describeFreshness } from "@/lib/completeness/freshness";
import { formatInstantNear, formatRangeNear } from "@/lib/completeness/time-words";
import { formatCount, formatDateTime } from "@/lib/format";
import { sparklinePoints, type NamespaceRow } from "@/lib/namespaces/contract";
import { compareWithUsual } from "./compare-with-usual";

/** The namespace page's address; names are URL-encoded. */
export function namespaceHref(namespace: string): string {
  return `/namespaces/${encodeURIComponent(namespace)}`;
}

/** The peaks list filtered to a namespace's open peaks. */
export function openPeaksHref(namespace: string): string {
  return `/peaks?${new URLSearchParams({ namespace, status: "open" }).toString()}`;
}

/** The incidents list filtered to a namespace's ongoing incidents. */
function ongoingIncidentsHref(namespace: string): string {
  return `/incidents?${new URLSearchParams({ namespace, ongoing: "ongoing" }).toString()}`;
}

/** "now": each namespace's newest window against its threshold (the overview); "day": its last 24 hours against its usual (the namespaces page). */
export type NamespaceListView = "now" | "day";

type Clock = { now: number; timeZone: string };

function sparklineLabel(row: NamespaceRow): string {
  const { sparkline } = row;
  if (sparkline.windows === 0) return "No windows stored in the last 24 h";
  const errors = `${formatCount(sparkline.errors)} ${sparkline.errors === 1 ? "error" : "errors"} in 24 h`;
  return sparkline.expected === null ? `${errors}, no baseline yet` : `${errors}, expected about ${formatCount(sparkline.expected)}`;
}

/** Where the namespace stands now: above or under its threshold in the last completed window, or since when it has no data; and its ongoing incidents. */
function Now({ row, clock }: { row: NamespaceRow; clock: Clock }) {
  return (
    <>
      <WindowState row={row} clock={clock} />
      {row.ongoingIncidents > 0 ? (
        <Link className="window-incidents" href={ongoingIncidentsHref(row.namespace)}>
          <span aria-hidden="true">● </span>
          {formatCount(row.ongoingIncidents)} ongoing {row.ongoingIncidents === 1 ? "incident" : "incidents"}
        </Link>
      ) : null}
    </>
  );
}

function WindowState({ row, clock }: { row: NamespaceRow; clock: Clock }) {
  if (row.windowEnd === null) return <span className="window-nodata">no data stored</span>;
  if (!row.isCurrent) {
    return (
      <>
        <span className={row.isBehind ? "window-nodata freshness-behind" : "window-nodata"}>
          {row.isBehind ? <span aria-hidden="true">⚠ </span> : null}
          no data since {formatInstantNear(Date.parse(row.windowEnd), clock.now, clock.timeZone)}
        </span>
        {row.isAbove ? <span className="window-then">its last window was above threshold</span> : null}
      </>
    );
  }
  if (row.threshold === null) return <span className="muted">too young to judge</span>;
  if (!row.isAbove) return <span className="window-under">under threshold</span>;
  return (
    <span className="window-above">
      <span aria-hidden="true">▲ </span>above threshold
    </span>
  );
}

/** When its last error was; the Now column says when its data stopped. */
function LatestError({ row, clock }: { row: NamespaceRow; clock: Clock }) {
  const words = describeFreshness(
    { namespace: row.namespace, dataUntil: row.windowEnd, lastErrorUntil: row.lastErrorUntil, isBehind: row.isBehind },
    clock.now,
    clock.timeZone,
  );
  return (
    <span
      className="freshness-error"
      title={row.lastErrorUntil ? `The newest window with errors ended ${formatDateTime(row.lastErrorUntil, clock.timeZone)}` : undefined}
    >
      {words.lastError}
    </span>
  );
}

function OpenPeaks({ row }: { row: NamespaceRow }) {
  if (row.openPeaks === 0) return <span className="muted">0</span>;
  return (
    <Link href={openPeaksHref(row.namespace)} aria-label={`${formatCount(row.openPeaks)} open ${row.openPeaks === 1 ? "peak" : "peaks"} in ${row.namespace}`}>
      {formatCount(row.openPeaks)}
    </Link>
  );
}

function Comparison({ row }: { row: NamespaceRow }) {
  const comparison = compareWithUsual(row.sparkline);
  return (
    <>
      <span aria-hidden="true">{comparison.symbol}</span> {comparison.text}
    </>
  );
}

function columns(view: NamespaceListView, clock: Clock): Column<NamespaceRow>[] {
  const name: Column<NamespaceRow> = {
    key: "namespace",
    header: "Namespace",
    rowHeader: true,
    className: "namespace-name",
    cell: (row) => <Link href={namespaceHref(row.namespace)}>{row.namespace}</Link>,
  };
  const now: Column<NamespaceRow> = {
    key: "now",
    header: "Now",
    className: (row) => `window-state${row.attention.includes("above") ? " window-state-above" : ""}`,
    cell: (row) => <Now row={row} clock={clock} />,
  };
  const sparkline: Column<NamespaceRow> = {
    key: "sparkline",
    header: "Last 24 h",
    className: "sparkline-cell",
    cell: (row) => <Sparkline points={sparklinePoints(row.sparkline)} label={sparklineLabel(row)} />,
  };
  if (view === "day") {
    return [
      name,
      now,
      sparkline,
      { key: "errors", header: "Errors", align: "end", cell: (row) => formatCount(row.sparkline.errors) },
      { key: "usual", header: "Usual", align: "end", cell: (row) => (row.sparkline.expected === null ? "–" : formatCount(row.sparkline.expected)) },
      {
        key: "compared",
        header: "Compared with usual",
        className: (row) => `usual usual-${compareWithUsual(row.sparkline).tone}`,
        cell: (row) => <Comparison row={row} />,
      },
      { key: "open-peaks", header: "Open peaks", align: "end", cell: (row) => <OpenPeaks row={row} /> },
      { key: "freshness", header: "Latest error", className: "freshness", cell: (row) => <LatestError row={row} clock={clock} /> },
    ];
  }
  return [
    name,
    now,
    {
      key: "window",
      header: "Newest window",
      className: "nowrap",
      cell: (row) =>
        row.windowStart === null || row.windowEnd === null
          ? "–"
          : formatRangeNear(Date.parse(row.windowStart), Date.parse(row.windowEnd), clock.now, clock.timeZone),
    },
    { key: "errors", header: "Errors", align: "end", cell: (row) => (row.errorCount === null ? "–" : formatCount(row.errorCount)) },
    {
      key: "threshold",
      header: "Threshold",
      align: "end",
      title: (row) => (row.baselineMean === null ? undefined : `Baseline mean of the slot: ${row.baselineMean}`),
      cell: (row) => (row.threshold === null ? "–" : formatCount(row.threshold)),
    },
    {
      key: "deviation",
      header: "× threshold",
      align: "end",
      title: (row) => (row.deviation === null ? undefined : "Errors of the last completed window ÷ its threshold"),
      cell: (row) => (row.deviation === null ? "–" : `${row.deviation.toFixed(2)}×`),
    },
    sparkline,
    { key: "freshness", header: "Latest error", className: "freshness", cell: (row) => <LatestError row={row} clock={clock} /> },
  ];
}

/** One page of namespaces, one row each, in the order the server sorted them. */
export function NamespaceListTable({
  rows,
  view,
  now,
  timeZone,
  labelledBy,
}: {
  rows: readonly NamespaceRow[];
  view: NamespaceListView;
  now: number;
  timeZone: string;
  labelledBy: string;
}) {
  return (
    <DataTable
      rows={rows}
      columns={columns(view, { now, timeZone })}
      getRowKey={(row) => row.namespace}
      className={`namespace-table namespace-table-${view}`}
      aria-labelledby={labelledBy}
      scroll="horizontal"
    />
  );
}
