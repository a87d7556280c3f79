import { Alert } from "@/components/ui/alert";
import { describeCoverage, describeFindings, describeSourceCoverage, readRunFindings, type RunCoverageFacts } from "@/lib/completeness/run-findings";
import { formatDateTime } from "@/lib/format";

/**
 * What a run read of its range: how far it processed, what the source covered, where its data
 * ended, and its findings (waiting, stale, nothing read, gaps, silent namespaces, corrections).
 */
export function RunData({ run, now, timeZone }: { run: RunCoverageFacts; now: number; timeZone: string }) {
  const processed = describeCoverage(run, now, timeZone);
  const source = describeSourceCoverage(run, now, timeZone);
  const findings = describeFindings(run, now, timeZone);
  const dataUntil = readRunFindings(run.findings).dataUntil ?? null;
  const warnings = findings.filter((line) => line.isWarning);
  const notes = findings.filter((line) => !line.isWarning);
  if (!processed && !source && findings.length === 0) return null;
  return (
    <>
      <dl className="facts run-data">
        {processed ? (
          <>
            <dt>Processed</dt>
            <dd>{processed}</dd>
          </>
        ) : null}
        {source ? (
          <>
            <dt>Source read</dt>
            <dd>{source}</dd>
          </>
        ) : null}
        {dataUntil ? (
          <>
            <dt>Newest document</dt>
            <dd>{formatDateTime(dataUntil, timeZone)}</dd>
          </>
        ) : null}
      </dl>
      {warnings.length > 0 ? (
        <Alert tone="warning" as="div" className="run-findings" role="note" aria-label="What this run did not read">
          <ul>
            {warnings.map((line) => (
              <li key={line.text}>{line.text}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {notes.length > 0 ? (
        <ul className="run-notes muted">
          {notes.map((line) => (
            <li key={line.text}>{line.text}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
