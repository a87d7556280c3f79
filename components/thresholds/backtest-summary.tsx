import type { BacktestAnswer } from "@/lib/db/thresholds";
import { formatCount, formatDateTime } from "@/lib/format";
import type { BacktestPeak } from "@/lib/pipeline/backtest";

function signed(value: number, sign: "+" | "−"): string {
  return value === 0 ? "0" : `${sign}${formatCount(value)}`;
}

function PeakTimes({ title, peaks, timeZone }: { title: string; peaks: readonly BacktestPeak[]; timeZone: string }) {
  if (peaks.length === 0) return null;
  return (
    <div>
      <h4>{title}</h4>
      <ul className="backtest-peaks">
        {peaks.map((peak) => (
          <li key={peak.start}>
            {formatDateTime(new Date(peak.start).toISOString(), timeZone)}: {formatCount(peak.count)} errors, {peak.severity}
            {peak.isContinuation ? " (continues a plateau)" : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Totals of a backtest and its per-namespace table; a row's button puts that namespace on the chart. */
export function BacktestSummary({
  answer,
  timeZone,
  selected,
  onSelect,
}: {
  answer: BacktestAnswer;
  timeZone: string;
  selected: string | null;
  onSelect: (namespace: string) => void;
}) {
  const { totals } = answer;
  const rows = [...answer.namespaces].sort(
    (left, right) => right.added.length + right.removed.length - (left.added.length + left.removed.length) || left.namespace.localeCompare(right.namespace),
  );
  const chosen = answer.namespaces.find((entry) => entry.namespace === selected);
  return (
    <>
      <p className="backtest-totals" role="status">
        From {formatDateTime(new Date(answer.from).toISOString(), timeZone)} to {formatDateTime(new Date(answer.to).toISOString(), timeZone)} ({answer.days}{" "}
        {answer.days === 1 ? "day" : "days"}, after {answer.warmupDays} days of warm-up): the values in force flag{" "}
        <strong>{formatCount(totals.current)}</strong> windows, the proposed values <strong>{formatCount(totals.proposed)}</strong>:{" "}
        <strong className="added">{signed(totals.added, "+")} added</strong>, <strong className="removed">{signed(totals.removed, "−")} removed</strong>.{" "}
        {formatCount(totals.stored)} peaks are stored for the range.
      </p>
      <div className="table-scroll backtest-table">
        <table>
          <caption className="muted">Peak windows per namespace; choose one to see it on the chart.</caption>
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col" className="num">
                Stored peaks
              </th>
              <th scope="col" className="num">
                In force
              </th>
              <th scope="col" className="num">
                Proposed
              </th>
              <th scope="col" className="num">
                Added
              </th>
              <th scope="col" className="num">
                Removed
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => (
              <tr key={entry.namespace} className={entry.namespace === selected ? "selected" : undefined}>
                <th scope="row">
                  <button type="button" className="link-button" aria-pressed={entry.namespace === selected} onClick={() => onSelect(entry.namespace)}>
                    {entry.namespace}
                  </button>
                </th>
                <td className="num">{formatCount(entry.stored)}</td>
                <td className="num">{formatCount(entry.current)}</td>
                <td className="num">{formatCount(entry.proposed)}</td>
                <td className="num added">{signed(entry.added.length, "+")}</td>
                <td className="num removed">{signed(entry.removed.length, "−")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {chosen && chosen.added.length + chosen.removed.length > 0 ? (
        <details className="backtest-changes">
          <summary>
            Windows of {chosen.namespace} that change ({chosen.added.length + chosen.removed.length})
          </summary>
          <div className="grid grid-2">
            <PeakTimes title="Added by the proposed values" peaks={chosen.added} timeZone={timeZone} />
            <PeakTimes title="No longer flagged" peaks={chosen.removed} timeZone={timeZone} />
          </div>
        </details>
      ) : null}
    </>
  );
}
