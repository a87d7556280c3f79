import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { namespaceHref } from "@/components/namespaces/namespace-table";
import { Alert } from "@/components/ui/alert";
import { DataTable, type Column } from "@/components/ui/data-table";
import { describeFreshness, type NamespaceFreshness } from "@/lib/completeness/freshness";
import { formatInstantNear, formatRangeNear } from "@/lib/completeness/time-words";
import { formatCount } from "@/lib/format";
import type { NamespaceSparkline, NamespaceSparklines } from "@/lib/namespaces/contract";
import type { CurrentWindow } from "@/lib/overview/contract";

type Row = CurrentWindow & { sparkline: NamespaceSparkline | undefined; freshness: NamespaceFreshness | undefined };
type Clock = { now: number; timeZone: string };

function sparklineLabel(row: NamespaceSparkline): string {
  if (row.windows === 0) return "No windows stored in the last 24 h";
  const errors = `${formatCount(row.errors)} ${row.errors === 1 ? "error" : "errors"} in 24 h`;
  return row.expected === null ? `${errors}, no baseline yet` : `${errors}, expected about ${formatCount(row.expected)}`;
}

/** Above first (the current ones before those whose data stopped), then the rest, each by name. */
function rank(row: CurrentWindow): number {
  if (row.isAbove) return row.isCurrent ? 0 : 1;
  return 2;
}

/** Where the namespace stands now: above or under its threshold in the last completed window, or since when it has no data. */
function Now({ row, clock }: { row: Row; clock: Clock }) {
  if (row.windowEnd === null) return <span className="window-nodata">no data stored</span>;
  if (!row.isCurrent) {
    const behind = row.freshness?.isBehind ?? true;
    return (
      <>
        <span className={behind ? "window-nodata freshness-behind" : "window-nodata"}>
          {behind ? <span aria-hidden="true">⚠ </span> : null}
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

function columns(clock: Clock, isSparklineLoading: boolean): Column<Row>[] {
  return [
    {
      key: "namespace",
      header: "Namespace",
      rowHeader: true,
      className: "namespace-name",
      cell: (row) => <Link href={namespaceHref(row.namespace)}>{row.namespace}</Link>,
    },
    {
      key: "now",
      header: "Now",
      className: (row) => `window-state${row.isAbove && row.isCurrent ? " window-state-above" : ""}`,
      cell: (row) => <Now row={row} clock={clock} />,
    },
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
      key: "sparkline",
      header: "Last 24 h",
      className: "sparkline-cell",
      cell: (row) =>
        row.sparkline ? (
          <Sparkline points={row.sparkline.points} label={sparklineLabel(row.sparkline)} />
        ) : (
          <span className="muted">{isSparklineLoading ? "…" : "–"}</span>
        ),
    },
    {
      key: "freshness",
      header: "Latest error",
      className: "freshness",
      cell: (row) => <span className="freshness-error">{describeFreshness(row.freshness, clock.now, clock.timeZone).lastError}</span>,
    },
  ];
}

/**
 * Each namespace's newest stored window against its threshold (not a 24-hour total): whether it
 * is above now, or since when its data stopped; with its last 24 hours drawn beside.
 */
export function CurrentWindowsCard({
  windows,
  freshness,
  sparklines,
  sparklinesError,
  now,
  timeZone,
}: {
  windows: readonly CurrentWindow[];
  freshness: readonly NamespaceFreshness[];
  sparklines: NamespaceSparklines | undefined;
  sparklinesError: string | null;
  now: number;
  timeZone: string;
}) {
  const freshnessOf = new Map(freshness.map((entry) => [entry.namespace, entry]));
  const sparklineOf = new Map((sparklines?.namespaces ?? []).map((entry) => [entry.namespace, entry]));
  const rows: Row[] = windows
    .map((window) => ({ ...window, sparkline: sparklineOf.get(window.namespace), freshness: freshnessOf.get(window.namespace) }))
    .sort((left, right) => rank(left) - rank(right) || left.namespace.localeCompare(right.namespace));
  return (
    <section className="card namespaces-card" aria-labelledby="namespaces-heading">
      <div className="card-header">
        <h2 id="namespaces-heading">Namespaces now</h2>
        <Link href="/namespaces">All namespaces</Link>
      </div>
      {sparklinesError ? <Alert tone="error">Could not load the last 24 hours: {sparklinesError}</Alert> : null}
      {rows.length === 0 ? (
        <p className="muted">No namespace has stored windows yet.</p>
      ) : (
        <>
          <p className="muted card-note">
            Each namespace&apos;s newest stored window against its threshold: the count from which that window is a peak (the threshold its chart draws, by
            every check but the same-day one, with the thresholds in force). Above threshold first. A namespace without a window in the last completed one says
            since when it has no data; ⚠ when that is further behind than a source may be.
          </p>
          <DataTable
            rows={rows}
            columns={columns({ now, timeZone }, sparklines === undefined && sparklinesError === null)}
            getRowKey={(row) => row.namespace}
            className="namespace-table current-windows-table"
            aria-labelledby="namespaces-heading"
            scroll="sticky-header"
            scrollClassName="namespace-scroll"
          />
        </>
      )}
    </section>
  );
}
