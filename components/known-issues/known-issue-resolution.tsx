import type { KnownIssueDetail } from "@/lib/known-issues/contract";
import { formatDateTime } from "@/lib/format";

/** How a resolved known issue was resolved, and the known peak that keeps its solution. */
export function KnownIssueResolution({ issue, timeZone }: { issue: KnownIssueDetail; timeZone: string }) {
  const knownPeak = issue.knownPeak;
  return (
    <section className="card" aria-labelledby="issue-resolution">
      <h2 id="issue-resolution">Resolution</h2>
      <dl className="facts">
        <dt>Resolved</dt>
        <dd>
          {formatDateTime(knownPeak?.resolvedAt ?? issue.resolvedAt, timeZone)}
          {knownPeak?.resolvedBy ? ` by ${knownPeak.resolvedBy}` : ""}
        </dd>
        <dt>Solution</dt>
        <dd className="ki-prose">{knownPeak?.solution ?? <span className="muted">—</span>}</dd>
        <dt>Known peak</dt>
        <dd>{knownPeak ? `#${knownPeak.id}` : <span className="muted">—</span>}</dd>
      </dl>
      <p className="muted ki-hint">
        The known peak keeps this matcher and solution: a later peak it matches is reported as a regression. A resolved issue can no longer be edited.
      </p>
    </section>
  );
}
