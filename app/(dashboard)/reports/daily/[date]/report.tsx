import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/data-table";
import {
  digestTables,
  type DigestContent,
  type DigestDataGap,
  type DigestIncident,
  type DigestProblem,
  type DigestTable,
  type DigestVersion,
} from "@/lib/digest/contract";
import {
  describeDataGap,
  describeIncidentState,
  describeKnownIssue,
  describePeriod,
  describeScope,
  describeTrend,
  describeVersionErrors,
  problemTitle,
} from "@/lib/digest/words";
import { formatCount, formatDateTime } from "@/lib/format";
import { problemPath } from "@/lib/problems/contract";

// The daily report: the digest's content as tables a reader can print (print CSS hides the
// navigation and the links bar) or paste into a wiki, with a CSV download of each table. Its many
// record links are not prefetched: a report is read, not browsed from.

const TABLE_WORDS: Record<DigestTable, string> = { problems: "problems", incidents: "open incidents", "data-gaps": "data gaps", versions: "new versions" };

function csvHref(date: string, table: DigestTable): string {
  return `/api/reports/daily/${date}?format=csv&table=${table}`;
}

function CsvLink({ date, table }: { date: string; table: DigestTable }) {
  return (
    <a className="report-csv no-print" href={csvHref(date, table)} download data-testid={`csv-${table}`}>
      CSV
    </a>
  );
}

function problemColumns(): Column<DigestProblem>[] {
  return [
    { key: "rank", header: "#", cell: (problem) => problem.rank, align: "end" },
    {
      key: "problem",
      header: "Problem",
      rowHeader: true,
      cell: (problem) => (
        <>
          <Link href={problemPath(problem.id)} className="report-template" prefetch={false}>
            {problemTitle(problem, 240)}
          </Link>
          <div className="muted">
            {problem.errorType} · {problem.incidents} incidents, {problem.occurrences} windows
          </div>
          {problem.versionFindings.map((finding) => (
            <div key={finding.kind + finding.text} className="report-finding">
              {finding.text}
            </div>
          ))}
        </>
      ),
    },
    { key: "trend", header: "Trend", cell: (problem) => describeTrend(problem.trend) },
    { key: "scope", header: "Scope", cell: (problem) => describeScope(problem.scope) },
    { key: "namespaces", header: "Namespaces", cell: (problem) => problem.namespaces.join(", ") },
    { key: "known", header: "Known issue", cell: (problem) => describeKnownIssue(problem.knownIssue) },
  ];
}

function incidentColumns(timeZone: string): Column<DigestIncident>[] {
  return [
    {
      key: "id",
      header: "Incident",
      rowHeader: true,
      cell: (incident) => (
        <Link href={`/incidents/${incident.id}`} prefetch={false}>
          #{incident.id}
        </Link>
      ),
    },
    { key: "namespace", header: "Namespace", cell: (incident) => incident.namespace },
    { key: "since", header: "Since", cell: (incident) => formatDateTime(incident.start, timeZone) },
    { key: "errors", header: "Errors", align: "end", cell: (incident) => formatCount(incident.errors) },
    { key: "state", header: "State", cell: (incident) => describeIncidentState(incident, timeZone) },
  ];
}

function versionColumns(timeZone: string): Column<DigestVersion>[] {
  return [
    { key: "namespace", header: "Namespace", rowHeader: true, cell: (version) => version.namespace },
    { key: "version", header: "Version", cell: (version) => version.version },
    { key: "first", header: "First seen", cell: (version) => formatDateTime(version.firstSeen, timeZone) },
    { key: "errors", header: "Errors so far", align: "end", cell: (version) => describeVersionErrors(version) },
  ];
}

function gapColumns(timeZone: string): Column<DigestDataGap>[] {
  return [
    { key: "gap", header: "Data gap", rowHeader: true, cell: (gap) => describeDataGap(gap, timeZone) },
    { key: "open", header: "At the end", cell: (gap) => (gap.isOpen ? "open" : "closed") },
  ];
}

function Section({ id, title, date, table, children }: { id: string; title: string; date: string; table: DigestTable; children: React.ReactNode }) {
  return (
    <section className="card report-section" aria-labelledby={id}>
      <div className="report-section-header">
        <h2 id={id}>{title}</h2>
        <CsvLink date={date} table={table} />
      </div>
      {children}
    </section>
  );
}

export function DailyReport({ content, previousDate, nextDate }: { content: DigestContent; previousDate: string; nextDate: string | null }) {
  const tz = content.timeZone;
  return (
    <article className="daily-report" data-testid="daily-report">
      <header className="page-header">
        <div>
          <h1>Daily report {content.date}</h1>
          <p>{describePeriod(content)}</p>
        </div>
        <nav className="report-days no-print" aria-label="Other days">
          <Link href={`/reports/daily/${previousDate}`} rel="prev">
            ← {previousDate}
          </Link>
          {nextDate ? (
            <Link href={`/reports/daily/${nextDate}`} rel="next">
              {nextDate} →
            </Link>
          ) : null}
        </nav>
      </header>
      <p className="report-headline" data-testid="report-headline">
        {content.headline}
      </p>

      <Section
        id="report-problems"
        title={`Top ${content.problems.length} of ${formatCount(content.problemTotal)} problems`}
        date={content.date}
        table="problems"
      >
        <DataTable
          columns={problemColumns()}
          rows={content.problems}
          getRowKey={(problem) => problem.id}
          aria-labelledby="report-problems"
          scroll="horizontal"
          scrollLabel="Top problems, scrolls sideways"
          rowProps={(problem) => ({ "data-testid": "report-problem", "data-problem-id": problem.id })}
          empty={<p className="muted">No problem in this period.</p>}
        />
        {content.windowsWithoutRootCause > 0 ? (
          <p className="muted">{formatCount(content.windowsWithoutRootCause)} peak windows are not investigated yet and in no problem.</p>
        ) : null}
      </Section>

      <Section id="report-incidents" title={`Incidents still open (${formatCount(content.openIncidentTotal)})`} date={content.date} table="incidents">
        <DataTable
          columns={incidentColumns(tz)}
          rows={content.openIncidents}
          getRowKey={(incident) => incident.id}
          aria-labelledby="report-incidents"
          scroll="horizontal"
          scrollLabel="Incidents still open, scrolls sideways"
          empty={<p className="muted">None.</p>}
        />
      </Section>

      <Section id="report-versions" title={`Releases (${formatCount(content.newVersionTotal)} new versions)`} date={content.date} table="versions">
        {content.releaseFindings.length > 0 ? (
          <ul className="report-findings">
            {content.releaseFindings.map((finding) => (
              <li key={`${finding.problemId} ${finding.kind} ${finding.text}`}>
                <Link href={problemPath(finding.problemId)} prefetch={false}>
                  {finding.problemId}
                </Link>
                : {finding.text}
              </li>
            ))}
          </ul>
        ) : null}
        <DataTable
          columns={versionColumns(tz)}
          rows={content.newVersions}
          getRowKey={(version) => `${version.namespace} ${version.version}`}
          aria-labelledby="report-versions"
          scroll="horizontal"
          scrollLabel="New versions, scrolls sideways"
          empty={<p className="muted">No version first seen in this period.</p>}
        />
      </Section>

      <Section id="report-gaps" title={`Data gaps (${content.dataGaps.length})`} date={content.date} table="data-gaps">
        <DataTable
          columns={gapColumns(tz)}
          rows={content.dataGaps}
          getRowKey={(gap) => gap.id}
          aria-labelledby="report-gaps"
          scroll="horizontal"
          scrollLabel="Data gaps, scrolls sideways"
          empty={<p className="muted">None: the data of this period is complete as far as the runs could tell.</p>}
        />
      </Section>

      <p className="muted no-print">
        Download each table as CSV:{" "}
        {digestTables.map((table, index) => (
          <span key={table}>
            {index > 0 ? ", " : ""}
            <a href={csvHref(content.date, table)} download>
              {TABLE_WORDS[table]}
            </a>
          </span>
        ))}
        . The same report is sent as the daily digest.
      </p>
    </article>
  );
}
