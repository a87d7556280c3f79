"use client";

import Link from "next/link";
import { useRef, useState, type KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import type { PeakSummary } from "@/lib/db/peak-triage";
import { formatCount } from "@/lib/format";
import { formatRatio } from "@/lib/peaks/explain";
import { formatLocalDay, formatLocalTime, type DayGroup } from "@/lib/peaks/timeline";
import { statusLabels } from "@/lib/peaks/words";
import { PeakLabel } from "./peak-label";

const COLUMNS = 8;

/** Keys that move the selection, and by how much (Infinity: to an end). */
const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, Home: -Infinity, End: Infinity };

/**
 * The timeline's peaks grouped by local day, one table with a row group per day. One row link
 * is the list's tab stop; ↑/↓ (or j/k), Home and End move it, Enter follows it.
 */
export function TimelineTable({ groups, timeZone, describedBy }: { groups: DayGroup<PeakSummary>[]; timeZone: string; describedBy: string }) {
  const [selected, setSelected] = useState(0);
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  const rowCount = groups.reduce((sum, group) => sum + group.peaks.length, 0);
  // The list may have shrunk (other filters) since the selection was made.
  const current = Math.min(selected, Math.max(0, rowCount - 1));

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const move = moves[event.key];
    if (move === undefined || event.altKey || event.ctrlKey || event.metaKey || rowCount === 0) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(rowCount - 1, move === Infinity ? rowCount - 1 : move === -Infinity ? 0 : current + move));
    setSelected(next);
    links.current[next]?.focus();
  };

  // Row indices run across the days: each day starts after the rows of the days above it.
  const offsets = groups.map((_, groupIndex) => groups.slice(0, groupIndex).reduce((sum, group) => sum + group.peaks.length, 0));
  return (
    <table className="pk-timeline" aria-describedby={describedBy} onKeyDown={onKeyDown}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Namespace</th>
          <th scope="col">Severity</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Errors
          </th>
          <th scope="col" className="num">
            × baseline
          </th>
          <th scope="col">Root cause</th>
          <th scope="col">Label</th>
        </tr>
      </thead>
      {groups.map((group, groupIndex) => (
        <tbody key={group.day}>
          <tr className="pk-day">
            <th scope="rowgroup" colSpan={COLUMNS}>
              {formatLocalDay(group.day)} <span>· {group.peaks.length === 1 ? "1 peak" : `${formatCount(group.peaks.length)} peaks`}</span>
            </th>
          </tr>
          {group.peaks.map((peak, peakIndex) => {
            const rowIndex = (offsets[groupIndex] ?? 0) + peakIndex;
            const time = formatLocalTime(peak.timestamp, timeZone);
            return (
              <tr key={peak.id} className={rowIndex === current ? "pk-row pk-selected" : "pk-row"} data-peak-id={peak.id}>
                <td className="nowrap">
                  <Link
                    href={`/peaks/${peak.id}`}
                    className="pk-row-link"
                    tabIndex={rowIndex === current ? 0 : -1}
                    ref={(element) => {
                      links.current[rowIndex] = element;
                    }}
                    onFocus={() => setSelected(rowIndex)}
                    aria-label={`${time}, ${peak.namespace}, ${peak.severity} peak ${peak.id}`}
                  >
                    {time}
                  </Link>
                  {peak.continuesPeakId !== null ? <div className="pk-hint">continues #{peak.continuesPeakId}</div> : null}
                </td>
                <td>{peak.namespace}</td>
                <td>
                  <Badge tone={peak.severity}>{peak.severity}</Badge>
                </td>
                <td>
                  <Badge tone={peak.status}>{statusLabels[peak.status]}</Badge>
                </td>
                <td className="num">{formatCount(peak.errorCount)}</td>
                <td className="num">{peak.baselineMean > 0 ? formatRatio(peak.ratio) : "new"}</td>
                <td>
                  <div className="pk-clip" title={peak.rootCause ?? undefined}>
                    {peak.rootCause ?? <span className="muted">not investigated yet</span>}
                  </div>
                </td>
                <td>
                  <PeakLabel knownIssue={peak.knownIssue} regressionOf={peak.regressionOf} />
                </td>
              </tr>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}
