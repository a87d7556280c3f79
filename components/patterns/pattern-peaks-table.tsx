import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { PatternPeak } from "@/lib/db/patterns";
import { formatCount, formatDateTime } from "@/lib/format";

/** Peaks whose investigation lists the pattern, newest first, each linking to its page. */
export function PatternPeaksTable({ peaks, timeZone }: { peaks: readonly PatternPeak[]; timeZone: string }) {
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Peak</th>
            <th scope="col">Window</th>
            <th scope="col">Namespace</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col">Known issue</th>
          </tr>
        </thead>
        <tbody>
          {peaks.map((peak) => (
            <tr key={peak.id}>
              <td>
                <Link href={`/peaks/${peak.id}`}>#{peak.id}</Link>
              </td>
              <td className="nowrap">{formatDateTime(peak.timestamp, timeZone)}</td>
              <td>{peak.namespace}</td>
              <td>
                <Badge tone={peak.severity}>{peak.severity}</Badge>
              </td>
              <td>{peak.status.replaceAll("_", " ")}</td>
              <td className="num">{formatCount(peak.errorCount)}</td>
              <td>{peak.knownIssue ? <Link href={`/known-issues/${peak.knownIssue.id}`}>{peak.knownIssue.title}</Link> : <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
