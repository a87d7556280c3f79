import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { describeFreshness, type NamespaceFreshness } from "@/lib/completeness/freshness";
import type { NamespaceSparkline } from "@/lib/db/namespaces";
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

function FreshnessCell({ namespace, column }: { namespace: string; column: FreshnessColumn }) {
  const freshness = column.byNamespace.get(namespace);
  const words = describeFreshness(freshness, column.now, column.timeZone);
  return (
    <td className="freshness">
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
    </td>
  );
}

/** Every namespace's last 24 hours against its baseline, with its open peaks (and, given, how fresh its data is); one row each. */
export function NamespaceTable({
  namespaces,
  labelledBy,
  freshness,
}: {
  namespaces: readonly NamespaceSparkline[];
  labelledBy: string;
  freshness?: FreshnessColumn;
}) {
  return (
    <table className="namespace-table" aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">Namespace</th>
          <th scope="col">Last 24 h</th>
          {freshness ? <th scope="col">Latest data</th> : null}
          <th scope="col" className="num">
            Errors
          </th>
          <th scope="col" className="num">
            Usual
          </th>
          <th scope="col">Compared with usual</th>
          <th scope="col" className="num">
            Open peaks
          </th>
        </tr>
      </thead>
      <tbody>
        {namespaces.map((row) => {
          const comparison = compareWithUsual(row);
          return (
            <tr key={row.namespace}>
              <th scope="row" className="namespace-name">
                <Link href={namespaceHref(row.namespace)}>{row.namespace}</Link>
              </th>
              <td className="sparkline-cell">
                <Sparkline points={row.points} label={sparklineLabel(row)} />
              </td>
              {freshness ? <FreshnessCell namespace={row.namespace} column={freshness} /> : null}
              <td className="num">{formatCount(row.errors)}</td>
              <td className="num">{row.expected === null ? "–" : formatCount(row.expected)}</td>
              <td className={`usual usual-${comparison.tone}`}>
                <span aria-hidden="true">{comparison.symbol}</span> {comparison.text}
              </td>
              <td className="num">
                {row.openPeaks > 0 ? (
                  <Link
                    href={openPeaksHref(row.namespace)}
                    aria-label={`${formatCount(row.openPeaks)} open ${row.openPeaks === 1 ? "peak" : "peaks"} in ${row.namespace}`}
                  >
                    {formatCount(row.openPeaks)}
                  </Link>
                ) : (
                  <span className="muted">0</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
