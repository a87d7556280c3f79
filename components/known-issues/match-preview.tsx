import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { DataTable, type Column } from "@/components/ui/data-table";
import type { MatchPreview as MatchPreviewAnswer } from "@/lib/known-issues/contract";
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

type PreviewPeak = MatchPreviewAnswer["peaks"][number];

function previewColumns(timeZone: string, currentIssueId: number | null): Column<PreviewPeak>[] {
  return [
    {
      key: "time",
      header: "Time",
      className: "nowrap",
      cell: (peak) => <Link href={`/peaks/${peak.id}`}>{formatDateTime(peak.timestamp, timeZone)}</Link>,
    },
    { key: "namespace", header: "Namespace", cell: (peak) => peak.namespace },
    {
      key: "root-cause",
      header: "Root cause",
      className: "ki-clip ki-fill",
      title: (peak) => peak.rootCause ?? undefined,
      cell: (peak) => peak.rootCause ?? <span className="muted">—</span>,
    },
    {
      key: "known-issue",
      header: "Known issue",
      className: "nowrap",
      cell: (peak) =>
        peak.knownIssueId === null ? (
          <span className="muted">—</span>
        ) : peak.knownIssueId === currentIssueId ? (
          "this issue"
        ) : (
          <Link href={`/known-issues/${peak.knownIssueId}`}>issue #{peak.knownIssueId}</Link>
        ),
    },
  ];
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
        <Alert tone="error">Cannot preview: {error}</Alert>
      ) : preview ? (
        <>
          <p className="ki-preview-count" role="status">
            Would match <strong>{plural(preview.total, "peak", "peaks")}</strong> in the last {preview.days} days
            {isUpdating ? <span className="ki-updating muted"> · updating…</span> : null}
          </p>
          {currentIssueId === null ? (
            <p className="ki-preview-labels" data-testid="preview-labels">
              {preview.labels.total === 0 ? (
                "Creating it labels no open peak: every matching peak is triaged or has a known issue already."
              ) : (
                <>
                  Creating it labels <strong>{plural(preview.labels.total, "open peak", "open peaks")}</strong> without a known issue, of any date, as this
                  issue.
                </>
              )}
            </p>
          ) : null}
          <DataTable
            rows={preview.peaks.slice(0, SHOWN_PEAKS)}
            columns={previewColumns(timeZone, currentIssueId)}
            getRowKey={(peak) => peak.id}
            scroll="horizontal"
            scrollClassName={isUpdating ? "ki-stale" : undefined}
            empty={null}
          />
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
