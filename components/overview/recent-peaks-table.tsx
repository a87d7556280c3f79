import Link from "next/link";
import { namespaceHref } from "@/components/namespaces/namespace-table";
import { Badge } from "@/components/ui/badge";
import { formatCount, formatDateTime } from "@/lib/format";
import type { Overview } from "@/lib/db/overview";

export function RecentPeaksTable({ peaks, timeZone }: { peaks: Overview["recentPeaks"]; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="recent-peaks">
      <h2 id="recent-peaks">Latest peaks</h2>
      {peaks.length === 0 ? (
        <p className="muted">No peak has been detected yet.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Window</th>
                <th scope="col">Namespace</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Errors
                </th>
                <th scope="col" className="num">
                  × baseline
                </th>
              </tr>
            </thead>
            <tbody>
              {peaks.map((peak) => (
                <tr key={peak.id}>
                  <td className="nowrap">{formatDateTime(peak.timestamp, timeZone)}</td>
                  <td>
                    <Link href={namespaceHref(peak.namespace)}>{peak.namespace}</Link>
                  </td>
                  <td>
                    <Badge tone={peak.severity}>{peak.severity}</Badge>
                  </td>
                  <td>{peak.status.replace("_", " ")}</td>
                  <td className="num">{formatCount(peak.errorCount)}</td>
                  <td className="num">{peak.ratio >= 999 ? "new" : peak.ratio.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
