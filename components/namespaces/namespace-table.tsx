import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { DataTable, type Column } from "@/components/ui/data-table";
import { describeFreshness, type NamespaceFreshness } from "@/lib/completeness/freshness";
import type { NamespaceSparkline } from "@/lib/namespaces/contract";
import { formatCount, formatDateTime } from "@/lib/format";
import { compareWithUsual } from "./compare-with-usual";

/** The namespace page's address; names are URL-encoded. */
export function namespaceHref(namespace: string): string {
  return `/namespaces/${encodeURIComponent(namespace)}`;
}

/** The peaks list filtered to a namespace's open peaks. */
export function openPeaksHref(namespace: string): string {
  return `/peaks?${new URLSearchParams({ namespace, status: "open" }).toString()}`;
}

function sparklineLabel(row: NamespaceSparkline): string {
  if (row.windows === 0) return "No windows stored in the last 24 h";
  const errors = `${formatCount(row.errors)} ${row.errors === 1 ? "error" : "errors"} in 24 h`;
  return row.expected === null ? `${errors}, no baseline yet` : `${errors}, expected about ${formatCount(row.expected)}`;
}

/** What the freshness column is told from: each namespace's newest data, and the clock and timezone to say it in. */
export type FreshnessColumn = { byNamespace: ReadonlyMap<string, NamespaceFreshness>; now: number; timeZone: string };

function Freshness({ namespace, column }: { namespace: string; column: FreshnessColumn }) {
  const freshness = column.byNamespace.get(namespace);
  const words = describeFreshness(freshness, column.now, column.timeZone);
  return (
    <>
      <span
        className="freshness-error"
        title={freshness?.lastErrorUntil ? `The newest window with errors ended ${formatDateTime(freshness.lastErrorUntil, column.timeZone)}` : undefined}
      >
        {words.lastError}
      </span>
      {words.behind ? (
        <span className="freshness-behind">
          <span aria-hidden="true">⚠ </span>
          {words.behind}
        </span>
      ) : null}
    </>
  );
}

function OpenPeaks({ row }: { row: NamespaceSparkline }) {
  if (row.openPeaks === 0) return <span className="muted">0</span>;
  return (
    <Link href={openPeaksHref(row.namespace)} aria-label={`${formatCount(row.openPeaks)} open ${row.openPeaks === 1 ? "peak" : "peaks"} in ${row.namespace}`}>
      {formatCount(row.openPeaks)}
    </Link>
  );
}

function Comparison({ row }: { row: NamespaceSparkline }) {
  const comparison = compareWithUsual(row);
  return (
    <>
      <span aria-hidden="true">{comparison.symbol}</span> {comparison.text}
    </>
  );
}

function namespaceColumns(freshness: FreshnessColumn | undefined): Column<NamespaceSparkline>[] {
  return [
    {
      key: "namespace",
      header: "Namespace",
      rowHeader: true,
      className: "namespace-name",
      cell: (row) => <Link href={namespaceHref(row.namespace)}>{row.namespace}</Link>,
    },
    { key: "sparkline", header: "Last 24 h", className: "sparkline-cell", cell: (row) => <Sparkline points={row.points} label={sparklineLabel(row)} /> },
    ...(freshness
      ? [
          {
            key: "freshness",
            header: "Latest data",
            className: "freshness",
            cell: (row) => <Freshness namespace={row.namespace} column={freshness} />,
          } satisfies Column<NamespaceSparkline>,
        ]
      : []),
    { key: "errors", header: "Errors", align: "end", cell: (row) => formatCount(row.errors) },
    { key: "usual", header: "Usual", align: "end", cell: (row) => (row.expected === null ? "–" : formatCount(row.expected)) },
    {
      key: "compared",
      header: "Compared with usual",
      className: (row) => `usual usual-${compareWithUsual(row).tone}`,
      cell: (row) => <Comparison row={row} />,
    },
    { key: "open-peaks", header: "Open peaks", align: "end", cell: (row) => <OpenPeaks row={row} /> },
  ];
}

/**
 * Every namespace's last 24 hours against its baseline, with its open peaks (and, given, how fresh
 * its data is); one row each. "horizontal" scrolls sideways in its card; "sticky-header" also
 * scrolls down inside the card with the header row in view (the overview's list, which may be long).
 */
export function NamespaceTable({
  namespaces,
  labelledBy,
  freshness,
  scroll,
}: {
  namespaces: readonly NamespaceSparkline[];
  labelledBy: string;
  freshness?: FreshnessColumn;
  scroll: "horizontal" | "sticky-header";
}) {
  return (
    <DataTable
      rows={namespaces}
      columns={namespaceColumns(freshness)}
      getRowKey={(row) => row.namespace}
      className="namespace-table"
      aria-labelledby={labelledBy}
      {...(scroll === "sticky-header" ? { scroll, scrollClassName: "namespace-scroll" } : { scroll })}
    />
  );
}
