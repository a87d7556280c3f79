import Link from "next/link";
import type { ChartPeak } from "@/components/charts/baseline-chart";
import { Badge } from "@/components/ui/badge";
import { formatCount, formatDateTime } from "@/lib/format";

/** The peaks of a chart's range, newest first, each linking to its page. */
export function RangePeaksTable({ peaks, timeZone, labelledBy }: { peaks: readonly ChartPeak[]; timeZone: string; labelledBy: string }) {
  const newestFirst = [...peaks].sort((a, b) => b.start - a.start || b.id - a.id);
  return (
    <div className="table-scroll range-peaks-scroll">
      <table aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Window</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col">Known issue or regression</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((peak) => (
            <tr key={peak.id}>
              <td className="nowrap">
                <Link href={`/peaks/${peak.id}`}>{formatDateTime(new Date(peak.start).toISOString(), timeZone)}</Link>
              </td>
              <td>
                <Badge tone={peak.severity}>{peak.severity}</Badge>
              </td>
              <td>{peak.status.replaceAll("_", " ")}</td>
              <td className="num">{formatCount(peak.errorCount)}</td>
              <td>
                {peak.isRegression ? <Badge tone="regression">regression</Badge> : null}{" "}
                {peak.knownIssueTitle ?? (peak.isRegression ? null : <span className="muted">–</span>)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
