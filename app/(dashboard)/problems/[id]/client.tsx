"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ProblemTimelineChart } from "@/components/charts/problem-timeline-chart";
import { ProblemIncidentsTable } from "@/components/problems/problem-incidents-table";
import { ProblemTrendLabel } from "@/components/problems/problem-trend";
import { Alert } from "@/components/ui/alert";
import { ErrorsByVersion } from "@/components/versions/errors-by-version";
import { formatCount, formatDateTime } from "@/lib/format";
import { ApiError, fetchJson } from "@/lib/http/fetch-json";
import type { ProblemDetail, ProblemKnownIssueResult } from "@/lib/problems/contract";
import { describePeriod, describeScope, describeTrend, PROBLEM_PERIOD_CHOICES, scopeWords } from "@/lib/problems/words";
import { parseProblemDetailSearch, type ProblemDetailSearch } from "../search-params";
import { CreateKnownIssuePanel } from "./create-known-issue-panel";

/** What the page shows for a period: the problem, or why it has none (no window in that period). */
type Loaded = { problem: ProblemDetail; missing: null } | { problem: null; missing: string };

async function loadProblem(id: string, since: string): Promise<Loaded> {
  try {
    return { problem: await fetchJson<ProblemDetail>(`/api/problems/${encodeURIComponent(id)}?since=${since}`), missing: null };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { problem: null, missing: error.message };
    throw error;
  }
}

export function ProblemClient({
  id,
  initialSearch,
  initialProblem,
  initialMissing,
  timeZone,
  canCreateKnownIssue,
}: {
  id: string;
  initialSearch: ProblemDetailSearch;
  initialProblem: ProblemDetail | null;
  initialMissing: string | null;
  timeZone: string;
  /** Analysts and above: the action that makes a known issue of the problem. */
  canCreateKnownIssue: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const { since } = parseProblemDetailSearch(useSearchParams());
  const [created, setCreated] = useState<ProblemKnownIssueResult | null>(null);
  const initial: Loaded | undefined =
    since !== initialSearch.since ? undefined : initialProblem ? { problem: initialProblem, missing: null } : { problem: null, missing: initialMissing ?? "" };
  const query = useQuery({
    queryKey: ["problem", id, since],
    queryFn: () => loadProblem(id, since),
    initialData: initial,
    placeholderData: keepPreviousData,
  });
  const loaded = query.data;
  const problem = loaded?.problem ?? null;
  const choose = (next: string) => router.replace(next === "24h" ? pathname : `${pathname}?since=${next}`, { scroll: false });

  return (
    <>
      <p className="problem-back">
        <Link href={since === "24h" ? "/problems" : `/problems?since=${since}`}>← All problems</Link>
      </p>
      <header className="page-header">
        <div>
          <h1 className="problem-header-title">Problem {problem ? <code>{problem.errorType}</code> : null}</h1>
          <p>
            <code>{id}</code>: one root cause with one error type, across namespaces and time. Times in {timeZone}.
          </p>
        </div>
        <div className="field problem-period">
          <label htmlFor="problem-since">Period</label>
          <select id="problem-since" value={since} onChange={(event) => choose(event.target.value)}>
            {PROBLEM_PERIOD_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                Last {describePeriod(choice)}
              </option>
            ))}
          </select>
        </div>
      </header>
      {query.isError ? <Alert tone="error">Could not load the problem: {query.error.message}</Alert> : null}
      {created ? <CreatedNotice result={created} /> : null}
      {loaded && !loaded.problem ? (
        <section className="card" role="status">
          <h2>Nothing in the last {describePeriod(since)}</h2>
          <p>{loaded.missing}.</p>
          {since !== "90d" ? (
            <p>
              <button type="button" className="link-button" onClick={() => choose("90d")}>
                Look at the last 90 days
              </button>
            </p>
          ) : null}
        </section>
      ) : null}
      {problem ? (
        <ProblemBody
          problem={problem}
          since={since}
          timeZone={timeZone}
          knownIssueAction={
            problem.knownIssue === null && canCreateKnownIssue ? (
              <CreateKnownIssuePanel
                problem={problem}
                since={since}
                onCreated={(result) => {
                  setCreated(result);
                  void queryClient.invalidateQueries({ queryKey: ["problem", id] });
                }}
              />
            ) : null
          }
        />
      ) : null}
    </>
  );
}

function CreatedNotice({ result }: { result: ProblemKnownIssueResult }) {
  const attached = result.attachedIncidentIds.length;
  return (
    <Alert tone="success">
      Known issue{" "}
      <Link href={`/known-issues/${result.knownIssue.id}`}>
        #{result.knownIssue.id} “{result.knownIssue.title}”
      </Link>{" "}
      created; {formatCount(attached)} {attached === 1 ? "incident" : "incidents"} marked known with it
      {result.skippedIncidents.length > 0
        ? `, ${formatCount(result.skippedIncidents.length)} left as they were (${result.skippedIncidents.map((incident) => `#${incident.id} ${incident.status.replace("_", " ")}`).join(", ")})`
        : ""}
      {result.labelled.length > 0 ? `; ${formatCount(result.labelled.length)} other open peaks labelled` : ""}.
    </Alert>
  );
}

function ProblemBody({ problem, since, timeZone, knownIssueAction }: { problem: ProblemDetail; since: string; timeZone: string; knownIssueAction: ReactNode }) {
  const namespaces = [...new Set(problem.incidentList.map((incident) => incident.namespace))].sort();
  const period = describePeriod(since);
  return (
    <>
      <section className="card" aria-labelledby="problem-facts">
        <h2 id="problem-facts">In the last {period}</h2>
        <dl className="problem-facts">
          <div>
            <dt>Occurrences</dt>
            <dd>
              {formatCount(problem.occurrences)} peak {problem.occurrences === 1 ? "window" : "windows"}
            </dd>
          </div>
          <div>
            <dt>Incidents</dt>
            <dd>{formatCount(problem.incidents)}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd>{formatCount(problem.errors)}</dd>
          </div>
          <div>
            <dt>Trend</dt>
            <dd>
              <ProblemTrendLabel trend={problem.trend} hasFigures={false} />
            </dd>
          </div>
          <div>
            <dt>Scope</dt>
            <dd>{scopeWords[problem.scope.kind]}</dd>
          </div>
          <div>
            <dt>First seen</dt>
            <dd>{formatDateTime(problem.firstSeen, timeZone)}</dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd>{formatDateTime(problem.lastSeen, timeZone)}</dd>
          </div>
          <div>
            <dt>Namespaces</dt>
            <dd>{problem.namespaces.join(", ")}</dd>
          </div>
          <div>
            <dt>Apps</dt>
            <dd>{problem.apps.length > 0 ? problem.apps.join(", ") : "none named"}</dd>
          </div>
          <div>
            <dt>Ever</dt>
            <dd>
              {formatCount(problem.history.windows)} windows from {formatDateTime(problem.history.firstWindow, timeZone)}
            </dd>
          </div>
        </dl>
        <p>{describeTrend(problem.trend, since, problem.judgement)}</p>
        <p>{describeScope(problem.scope, problem.judgement, timeZone)}</p>
      </section>

      <section className="card problem-section" aria-labelledby="problem-known">
        <h2 id="problem-known">Known issue</h2>
        {problem.knownIssue ? (
          <p>
            Known issue{" "}
            <Link href={`/known-issues/${problem.knownIssue.id}`}>
              #{problem.knownIssue.id} “{problem.knownIssue.title}”
            </Link>{" "}
            ({problem.knownIssue.status}).
          </p>
        ) : (
          <p className="muted">Unknown: no known issue labels its windows of the period.</p>
        )}
        {knownIssueAction}
      </section>

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
          {problem.patternIds.length > 1 ? " (merged into the first)" : null}.
        </p>
        {problem.examples.length > 0 ? (
          <>
            <h3>Examples</h3>
            <ul>
              {problem.examples.map((example) => (
                <li key={example}>
                  <code>{example}</code>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

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
          label={`${formatCount(problem.incidentList.length)} incidents of the last ${period} by namespace (${namespaces.join(", ")}); the table below lists them.`}
        />
        <h3 id="problem-incidents-heading">
          {formatCount(problem.incidentTotal)} {problem.incidentTotal === 1 ? "incident" : "incidents"}, newest first
        </h3>
        {problem.incidentTotal > problem.incidentList.length ? <p className="muted">The {formatCount(problem.incidentList.length)} newest are shown.</p> : null}
        <ProblemIncidentsTable incidents={problem.incidentList} timeZone={timeZone} labelledBy="problem-incidents-heading" />
      </section>

      <div className="problem-section" data-testid="problem-versions">
        {problem.versions.namespaces.length === 0 ? (
          <section className="card" aria-labelledby="problem-versions">
            <h2 id="problem-versions">Errors by version</h2>
            <p className="muted">Its windows of the period were investigated before versions were read: no errors by version to show.</p>
          </section>
        ) : (
          problem.versions.namespaces.map((entry, index) => (
            <div key={entry.namespace} className="problem-versions-namespace">
              <ErrorsByVersion
                impact={entry.impact}
                subject="problem"
                timeZone={timeZone}
                namespace={entry.namespace}
                headingId={`problem-versions-${index}`}
              />
            </div>
          ))
        )}
        {problem.versions.notShown > 0 || (problem.versions.namespaces.length > 0 && problem.versions.withoutVersions > 0) ? (
          <p className="muted">
            {problem.versions.notShown > 0 ? `${formatCount(problem.versions.notShown)} more namespaces with fewer errors of it are not shown. ` : ""}
            {problem.versions.withoutVersions > 0
              ? `${formatCount(problem.versions.withoutVersions)} of its namespaces had their windows investigated before versions were read.`
              : ""}
          </p>
        ) : null}
      </div>
    </>
  );
}
