import { DataTable, type Column } from "@/components/ui/data-table";
import { formatCount, formatDateTime, formatMinutes } from "@/lib/format";
import type { VersionImpact, VersionImpactRow } from "@/lib/versions/contract";
import { describeVersionCoverage, describeVersionFinding, formatRate, type VersionSubject } from "@/lib/versions/words";

const percent = (share: number) => `${Math.round(share * 100)} %`;

type ErrorsByVersionProps = {
  /** Null: its windows were investigated before versions were read (nothing is shown). */
  impact: VersionImpact | null;
  /** Whose errors: an incident's (over its span) or a problem's. */
  subject: VersionSubject;
  timeZone: string;
  /** A problem's impact is per namespace: the heading names it, and `headingId` keeps each section's heading id unique on the page. */
  namespace?: string;
  headingId?: string;
};

/**
 * An incident's (or a problem's) errors by application version: the findings in words (a
 * release it came with, a version that stands out, …), what could not be used, and the versions
 * that ran. Nothing when no window has them.
 */
export function ErrorsByVersion({ impact, subject, timeZone, namespace, headingId = `${subject}-versions` }: ErrorsByVersionProps) {
  if (!impact) return null;
  const notes = describeVersionCoverage(impact, subject);
  const columns: Column<VersionImpactRow>[] = [
    { key: "version", header: "Version", rowHeader: true, className: "versions-name", cell: (row) => row.version },
    { key: "errors", header: "Errors", align: "end", cell: (row) => formatCount(row.errors) },
    { key: "share", header: "Share", align: "end", cell: (row) => (impact.versioned > 0 ? percent(row.share) : "–") },
    { key: "first", header: "First seen", className: "nowrap", cell: (row) => (row.firstSeen ? formatDateTime(row.firstSeen, timeZone) : "not tracked yet") },
    {
      key: "running",
      header: subject === "incident" ? "Ran in it" : "Ran",
      align: "end",
      cell: (row) => (row.runningMinutes === null ? "–" : formatMinutes(row.runningMinutes)),
    },
    { key: "rate", header: "Errors / hour", align: "end", cell: (row) => (row.perHour === null ? "–" : formatRate(row.perHour)) },
  ];
  return (
    <section className="card" aria-labelledby={headingId} data-testid="errors-by-version">
      <h2 id={headingId}>Errors by version{namespace === undefined ? null : ` in ${namespace}`}</h2>
      <p className="pk-hint">
        Every error of its windows by the application version that logged it (estimated where a window held more documents than were read); a version ran from
        its first error seen in the namespace to its last.
      </p>
      {impact.findings.length > 0 ? (
        <ul className="versions-findings">
          {impact.findings.map((finding) => (
            <li key={finding.kind}>{describeVersionFinding(finding, subject, timeZone)}</li>
          ))}
        </ul>
      ) : null}
      {notes.map((note) => (
        <p key={note} className="muted versions-note">
          {note}
        </p>
      ))}
      {impact.versions.length > 0 ? (
        <DataTable
          rows={impact.versions}
          columns={columns}
          getRowKey={(row) => row.version}
          aria-labelledby={headingId}
          scroll="horizontal"
          scrollLabel={`Errors by version${namespace === undefined ? "" : ` in ${namespace}`}, scrolls sideways`}
        />
      ) : null}
    </section>
  );
}
