import Link from "next/link";
import type { MatchPreview as MatchPreviewAnswer } from "@/lib/db/known-issues";
import { formatCount, formatDateTime } from "@/lib/format";
import { previewDayOptions } from "@/lib/known-issues/form";

/** Rows shown of the matching peaks; the count covers them all. */
const SHOWN_PEAKS = 10;

type MatchPreviewProps = {
  idPrefix: string;
  days: number;
  onDaysChange: (days: number) => void;
  /** False while the form has neither a pattern id nor a regex: nothing is asked then. */
  hasMatcher: boolean;
  /** The latest answer; while a newer one is on its way it stays shown, marked as updating. */
  preview: MatchPreviewAnswer | undefined;
  isUpdating: boolean;
  error: string | null;
  timeZone: string;
  /** The issue being edited, whose own peaks are labelled "this issue". */
  currentIssueId: number | null;
};

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** Which stored peaks the matcher being edited would label, over the chosen number of days. */
export function MatchPreview({ idPrefix, days, onDaysChange, hasMatcher, preview, isUpdating, error, timeZone, currentIssueId }: MatchPreviewProps) {
  const selectId = `${idPrefix}-preview-days`;
  return (
    <section className="card ki-preview" aria-labelledby={`${idPrefix}-preview-title`} aria-busy={hasMatcher && isUpdating}>
      <div className="ki-preview-head">
        <h2 id={`${idPrefix}-preview-title`}>Would-match preview</h2>
        <div className="field ki-inline-field">
          <label htmlFor={selectId}>Look back</label>
          <select id={selectId} value={days} onChange={(event) => onDaysChange(Number(event.target.value))}>
            {previewDayOptions.map((option) => (
              <option key={option} value={option}>
                {option} days
              </option>
            ))}
          </select>
        </div>
      </div>
      {!hasMatcher ? (
        <p className="muted">Add a pattern id or a regular expression to see which peaks of the last {days} days it would match.</p>
      ) : error ? (
        <p className="alert alert-error" role="alert">
          Cannot preview: {error}
        </p>
      ) : preview ? (
        <>
          <p className="ki-preview-count" role="status">
            Would match <strong>{plural(preview.total, "peak", "peaks")}</strong> in the last {preview.days} days
            {isUpdating ? <span className="ki-updating muted"> · updating…</span> : null}
          </p>
          {preview.peaks.length > 0 ? (
            <div className={`table-scroll${isUpdating ? " ki-stale" : ""}`}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Namespace</th>
                    <th scope="col">Root cause</th>
                    <th scope="col">Known issue</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.peaks.slice(0, SHOWN_PEAKS).map((peak) => (
                    <tr key={peak.id}>
                      <td className="nowrap">
                        <Link href={`/peaks/${peak.id}`}>{formatDateTime(peak.timestamp, timeZone)}</Link>
                      </td>
                      <td>{peak.namespace}</td>
                      <td className="ki-clip ki-fill" title={peak.rootCause ?? undefined}>
                        {peak.rootCause ?? <span className="muted">—</span>}
                      </td>
                      <td className="nowrap">
                        {peak.knownIssueId === null ? (
                          <span className="muted">—</span>
                        ) : peak.knownIssueId === currentIssueId ? (
                          "this issue"
                        ) : (
                          <Link href={`/known-issues/${peak.knownIssueId}`}>issue #{peak.knownIssueId}</Link>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {preview.total > SHOWN_PEAKS ? (
            <p className="muted ki-hint">
              The newest {SHOWN_PEAKS} of {formatCount(preview.total)}.
            </p>
          ) : null}
        </>
      ) : (
        // Shown only if the first answer is slow (see .ki-delayed), so a quick one does not flash.
        <div className="ki-delayed" aria-label="Loading the preview">
          <div className="skeleton" style={{ height: "1.25rem", width: "60%" }} />
          <div className="skeleton" style={{ height: "5rem", marginTop: "0.75rem" }} />
        </div>
      )}
    </section>
  );
}
