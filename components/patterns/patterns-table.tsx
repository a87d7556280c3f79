import { PatternSparkline } from "@/components/charts/pattern-sparkline";
import type { PatternListItem, TrendWindow } from "@/lib/db/patterns";
import { formatAge, formatCount, formatDateTime } from "@/lib/format";
import { PatternTemplate } from "./pattern-template";
import { TrendLabel, trendText } from "./pattern-trend";

/** Namespaces shown in a row; the rest are counted. */
const MAX_NAMESPACES = 3;

/** The patterns list: template, type, counts, trend, first and last seen, namespaces and peaks. */
export function PatternsTable({
  patterns,
  window,
  timeZone,
  now,
}: {
  patterns: readonly PatternListItem[];
  window: TrendWindow;
  timeZone: string;
  now: number;
}) {
  return (
    <div className="table-scroll">
      <table className="patterns-table">
        <caption className="pattern-sr-only">Error patterns, with their trend over the last {window.days} days</caption>
        <thead>
          <tr>
            <th scope="col">Pattern</th>
            <th scope="col">Type</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col" className="num">
              In {window.days} days
            </th>
            <th scope="col">Trend</th>
            <th scope="col">First seen</th>
            <th scope="col">Last seen</th>
            <th scope="col">Namespaces</th>
            <th scope="col" className="num">
              Peaks
            </th>
          </tr>
        </thead>
        <tbody>
          {patterns.map((pattern) => {
            const label = trendText(pattern.trend, window.days);
            const hidden = pattern.namespaces.length - MAX_NAMESPACES;
            return (
              <tr key={pattern.hash}>
                <td className="pattern-cell">
                  <PatternTemplate hash={pattern.hash} template={pattern.template} />
                </td>
                <td>{pattern.errorType ? <code>{pattern.errorType}</code> : <span className="muted">—</span>}</td>
                <td className="num">{formatCount(pattern.occurrences)}</td>
                <td className="num">{formatCount(pattern.windowOccurrences)}</td>
                <td className="pattern-trend-cell">
                  <PatternSparkline series={pattern.series} direction={pattern.trend.direction} label={label} />
                  <TrendLabel trend={pattern.trend} />
                </td>
                <td className="nowrap" title={formatDateTime(pattern.firstSeen, timeZone)}>
                  {formatAge(pattern.firstSeen, now)}
                </td>
                <td className="nowrap" title={formatDateTime(pattern.lastSeen, timeZone)}>
                  {formatAge(pattern.lastSeen, now)}
                </td>
                <td className="pattern-namespaces">
                  {pattern.namespaces.slice(0, MAX_NAMESPACES).join(", ")}
                  {hidden > 0 ? <span className="muted" title={pattern.namespaces.join(", ")}>{` +${hidden}`}</span> : null}
                </td>
                <td className="num">{formatCount(pattern.peaks)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
