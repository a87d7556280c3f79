import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import type { NamespaceSparkline } from "@/lib/db/namespaces";
import { formatCount } from "@/lib/format";
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

/** Every namespace's last 24 hours against its baseline, with its open peaks; one row each. */
export function NamespaceTable({ namespaces, labelledBy }: { namespaces: readonly NamespaceSparkline[]; labelledBy: string }) {
  return (
    <table className="namespace-table" aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">Namespace</th>
          <th scope="col">Last 24 h</th>
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
              <td className="num">{formatCount(row.errors)}</td>
              <td className="num">{row.expected === null ? "–" : formatCount(row.expected)}</td>
              <td className={`usual usual-${comparison.tone}`}>
                <span aria-hidden="true">{comparison.symbol}</span> {comparison.text}
              </td>
              <td className="num">
                {row.openPeaks > 0 ? (
                  <Link href={openPeaksHref(row.namespace)} aria-label={`${formatCount(row.openPeaks)} open ${row.openPeaks === 1 ? "peak" : "peaks"} in ${row.namespace}`}>
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
