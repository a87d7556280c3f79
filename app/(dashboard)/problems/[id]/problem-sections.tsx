import Link from "next/link";
import type { ReactNode } from "react";
import { ProblemTimelineChart } from "@/components/charts/problem-timeline-chart";
import { ProblemIncidentsTable } from "@/components/problems/problem-incidents-table";
import { ProblemTrendLabel } from "@/components/problems/problem-trend";
import { Alert } from "@/components/ui/alert";
import { ErrorsByVersion } from "@/components/versions/errors-by-version";
import { formatCount, formatDateTime } from "@/lib/format";
import type { ProblemDetail, ProblemKnownIssueResult } from "@/lib/problems/contract";
import { statusWords } from "@/lib/peaks/words";
import { describePeriod, describeScope, describeTrend, scopeWords } from "@/lib/problems/words";

// The sections of a problem's page, props only; client.tsx loads the problem and composes them.

/** What creating a known issue from the problem did: the issue, the incidents marked known with it, those left as they were. */
export function CreatedNotice({ result }: { result: ProblemKnownIssueResult }) {
  const attached = result.attachedIncidentIds.length;
  const skipped = result.skippedIncidents.map((incident) => `#${incident.id} ${statusWords[incident.status]}`).join(", ");
  return (
    <Alert tone="success">
      Known issue{" "}
      <Link href={`/known-issues/${result.knownIssue.id}`}>
        #{result.knownIssue.id} “{result.knownIssue.title}”
      </Link>{" "}
      created; {formatCount(attached)} {attached === 1 ? "incident" : "incidents"} marked known with it
      {skipped === "" ? "" : `; left as they were (reopen one to mark it): ${skipped}`}
      {result.labelled.length > 0 ? `; ${formatCount(result.labelled.length)} other open peaks labelled` : ""}.
    </Alert>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The period's figures, and the trend and the scope in words with what they were judged by. */
export function ProblemFacts({ problem, since, timeZone }: { problem: ProblemDetail; since: string; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="problem-facts">
      <h2 id="problem-facts">In the last {describePeriod(since)}</h2>
      <dl className="problem-facts">
        <Fact term="Occurrences">
          {formatCount(problem.occurrences)} peak {problem.occurrences === 1 ? "window" : "windows"}
        </Fact>
        <Fact term="Incidents">{formatCount(problem.incidents)}</Fact>
        <Fact term="Errors">{formatCount(problem.errors)}</Fact>
        <Fact term="Trend">
          <ProblemTrendLabel trend={problem.trend} hasFigures={false} />
        </Fact>
        <Fact term="Scope">{scopeWords[problem.scope.kind]}</Fact>
        <Fact term="First seen">{formatDateTime(problem.firstSeen, timeZone)}</Fact>
        <Fact term="Last seen">{formatDateTime(problem.lastSeen, timeZone)}</Fact>
        <Fact term="Namespaces">{problem.namespaces.join(", ")}</Fact>
        <Fact term="Apps">{problem.apps.length > 0 ? problem.apps.join(", ") : "none named"}</Fact>
        <Fact term="Ever">
          {formatCount(problem.history.windows)} {problem.history.windows === 1 ? "window" : "windows"} from{" "}
          {formatDateTime(problem.history.firstWindow, timeZone)}
        </Fact>
      </dl>
      <p>{describeTrend(problem.trend, since, problem.judgement, timeZone)}</p>
      <p>{describeScope(problem.scope, problem.judgement, timeZone)}</p>
    </section>
  );
}

/**
 * Its known issue, or the one just created from it (whose windows may not carry it: its
 * incidents were closed), or the action that creates one (`action`, analysts only).
 */
export function ProblemKnownIssue({ problem, created, action }: { problem: ProblemDetail; created: ProblemKnownIssueResult | null; action: ReactNode }) {
  const issue = problem.knownIssue ?? created?.knownIssue ?? null;
  return (
    <section className="card problem-section" aria-labelledby="problem-known">
      <h2 id="problem-known">Known issue</h2>
      {issue ? (
        <p>
          Known issue{" "}
          <Link href={`/known-issues/${issue.id}`}>
            #{issue.id} “{issue.title}”
          </Link>{" "}
          ({issue.status}
          {problem.knownIssue === null ? ", made from this problem; none of its windows of the period carries it, their incidents were closed" : ""}).
        </p>
      ) : (
        <>
          <p className="muted">Unknown: no known issue labels its windows of the period.</p>
          {action}
        </>
      )}
    </section>
  );
}

/** The root cause: its template, its pattern ids (linking to the patterns) and the examples kept. */
export function ProblemCause({ problem }: { problem: ProblemDetail }) {
  return (
    <section className="card problem-section" aria-labelledby="problem-cause">
      <h2 id="problem-cause">Root cause</h2>
      <pre className="problem-pre">{problem.template ?? problem.example ?? "No template kept"}</pre>
      <p className="muted">
        {problem.patternIds.length === 1 ? "Pattern " : "Patterns "}
        {problem.patternIds.map((patternId, index) => (
          <span key={patternId}>
            {index > 0 ? ", " : null}
            <Link href={`/patterns/${patternId}`}>{patternId}</Link>
          </span>
        ))}
        {problem.patternIds.length > 1 ? " (the others merged into the first)" : null}.
      </p>
      {problem.examples.length > 0 ? (
        <>
          <h3>Examples</h3>
          <ul className="problem-examples">
            {problem.examples.map((example) => (
              <li key={example}>
                <code>{example}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** Its incidents of the period on a timeline by namespace, and the same incidents in a table (the chart's text alternative), newest first. */
export function ProblemIncidents({ problem, since, timeZone }: { problem: ProblemDetail; since: string; timeZone: string }) {
  const namespaces = [...new Set(problem.incidentList.map((incident) => incident.namespace))].sort();
  const shown = problem.incidentList.length;
  return (
    <section className="card problem-section problem-incidents" aria-labelledby="problem-timeline">
      <h2 id="problem-timeline">Incidents on a timeline</h2>
      <ProblemTimelineChart
        marks={problem.incidentList.map((incident) => ({
          key: `${incident.incidentId ?? "window"}-${incident.namespace}-${incident.start}`,
          namespace: incident.namespace,
          startMs: Date.parse(incident.start),
          endMs: Date.parse(incident.end),
          windows: incident.windows,
          errors: incident.errors,
        }))}
        namespaces={namespaces}
        fromMs={Date.parse(problem.period.from)}
        toMs={Date.parse(problem.period.to)}
        timeZone={timeZone}
        label={`${formatCount(shown)} ${shown === 1 ? "incident" : "incidents"} of the last ${describePeriod(since)} by namespace (${namespaces.join(", ")}); the table below lists them.`}
      />
      <h3 id="problem-incidents-heading">
        {formatCount(problem.incidentTotal)} {problem.incidentTotal === 1 ? "incident" : "incidents"}, newest first
      </h3>
      {problem.incidentTotal > shown ? <p className="muted">The {formatCount(shown)} newest are shown.</p> : null}
      <ProblemIncidentsTable incidents={problem.incidentList} timeZone={timeZone} labelledBy="problem-incidents-heading" />
    </section>
  );
}

/** Its errors by version, one section per namespace (each has its own releases), and what is left out. */
export function ProblemVersions({ problem, timeZone }: { problem: ProblemDetail; timeZone: string }) {
  const { namespaces, notShown, withoutVersions } = problem.versions;
  return (
    <div className="problem-section" data-testid="problem-versions">
      {namespaces.length === 0 ? (
        <section className="card" aria-labelledby="problem-versions">
          <h2 id="problem-versions">Errors by version</h2>
          <p className="muted">Its windows of the period were investigated before versions were read: no errors by version to show.</p>
        </section>
      ) : (
        namespaces.map((entry, index) => (
          <div key={entry.namespace} className="problem-versions-namespace">
            <ErrorsByVersion impact={entry.impact} subject="problem" timeZone={timeZone} namespace={entry.namespace} headingId={`problem-versions-${index}`} />
          </div>
        ))
      )}
      {namespaces.length > 0 && (notShown > 0 || withoutVersions > 0) ? (
        <p className="muted">
          {notShown > 0 ? `${formatCount(notShown)} more namespaces with fewer errors of it are not shown. ` : ""}
          {withoutVersions > 0 ? `${formatCount(withoutVersions)} of its namespaces had their windows investigated before versions were read.` : ""}
        </p>
      ) : null}
    </div>
  );
}
