"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { RunData } from "@/components/runs/run-data";
import { RunSteps } from "@/components/runs/run-steps";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { runBadge, summarizeFindings } from "@/lib/completeness/run-findings";
import { formatRangeNear } from "@/lib/completeness/time-words";
import type { PipelineRunRecord } from "@/lib/db/pipeline-runs";
import { formatAge, formatCount, formatDateTime, formatDuration } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import type { Jsonified } from "@/lib/http/jsonified";
import type { StartedRunAnswer } from "@/lib/jobs/scheduled";

type Run = Jsonified<PipelineRunRecord>;
type RunList = { runs: Run[]; nextBeforeId: number | null };

/** How often a run in progress is asked for its steps (ms). */
const PROGRESS_INTERVAL_MS = 1000;

function duration(run: Run): string {
  return run.finishedAt ? formatDuration(new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()) : "";
}

function rangeText(run: Run, timeZone: string): string {
  return `${formatDateTime(run.rangeFrom, timeZone)} – ${formatDateTime(run.rangeTo, timeZone)}`;
}

/** A run's status badge: a success that waited for data, read nothing or found gaps is not a plain green one. */
function RunBadge({ run }: { run: Run }) {
  const badge = runBadge(run);
  return <Badge tone={badge.tone}>{badge.label}</Badge>;
}

export function RunsClient({ initialRuns, timeZone, canRun, pageSize }: { initialRuns: RunList; timeZone: string; canRun: boolean; pageSize: number }) {
  const queryClient = useQueryClient();
  const [limit, setLimit] = useState(pageSize);
  const [selectedId, setSelectedId] = useState<number | null>(initialRuns.runs[0]?.id ?? null);
  const [notice, setNotice] = useState<string | null>(null);

  const list = useQuery({
    queryKey: ["pipeline-runs", limit],
    queryFn: () => fetchJson<RunList>(`/api/pipeline/runs?limit=${limit}`),
    initialData: limit === pageSize ? initialRuns : undefined,
    refetchInterval: (query) => (query.state.data?.runs.some((run) => run.status === "running") ? PROGRESS_INTERVAL_MS * 2 : 30_000),
  });
  const selected = useQuery({
    queryKey: ["pipeline-run", selectedId],
    queryFn: () => fetchJson<Run>(`/api/pipeline/runs/${selectedId}`),
    enabled: selectedId !== null,
    refetchInterval: (query) => (query.state.data?.status === "running" ? PROGRESS_INTERVAL_MS : false),
  });
  const start = useMutation({
    mutationFn: () => fetchJson<StartedRunAnswer>("/api/pipeline/runs", { method: "POST", body: "{}" }),
    onSuccess: (answer) => {
      if (answer.status === "running") {
        setSelectedId(answer.runId);
        setNotice(`Run #${answer.runId} started over ${answer.rangeText}.`);
      } else {
        setNotice(answer.message);
      }
      void queryClient.invalidateQueries({ queryKey: ["pipeline-runs"] });
    },
  });

  // The selected run is polled faster than the list: its fresher state wins in both.
  const runs = (list.data?.runs ?? []).map((entry) => (selected.data && entry.id === selected.data.id ? selected.data : entry));
  const isRunning = runs.some((run) => run.status === "running");
  const run = selected.data ?? runs.find((candidate) => candidate.id === selectedId) ?? null;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Pipeline runs</h1>
          <p>Every run of the nine steps, newest first, with what each step did. Times in {timeZone}.</p>
        </div>
        {canRun ? (
          <button
            className="button"
            type="button"
            onClick={() => {
              setNotice(null);
              start.mutate();
            }}
            disabled={start.isPending || isRunning}
            aria-describedby="run-now-help"
          >
            {start.isPending ? "Starting…" : isRunning ? "A run is in progress" : "Run now"}
          </button>
        ) : null}
      </header>
      {canRun ? (
        <p id="run-now-help" className="muted" style={{ marginTop: "-0.75rem" }}>
          Run now processes every completed window since the last successful run.
        </p>
      ) : null}
      {start.isError ? (
        <p className="alert alert-error" role="alert">
          {start.error.message}
        </p>
      ) : null}
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      {list.isError ? (
        <p className="alert alert-error" role="alert">
          Could not load the runs: {list.error.message}
        </p>
      ) : null}
      {list.isPending ? (
        <section className="card" aria-busy="true">
          <div className="skeleton" style={{ height: "8rem" }} />
        </section>
      ) : runs.length === 0 ? (
        <EmptyState title="No pipeline run yet">
          <p>
            Runs start on the schedule (<code>/api/cron/pipeline</code> every 15 minutes), from the command line with <code>npm run peaks -- pipeline run</code>
            {canRun ? ", or with Run now above" : ""}.
          </p>
        </EmptyState>
      ) : (
        <div className="grid grid-runs">
          <section className="card table-card" aria-labelledby="run-history">
            <h2 id="run-history">History</h2>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Started</th>
                    <th scope="col">Range</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Errors
                    </th>
                    <th scope="col" className="num">
                      Peaks
                    </th>
                    <th scope="col" className="num">
                      Sent
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {runs.map((entry) => {
                    const summary = summarizeFindings(entry, list.dataUpdatedAt, timeZone);
                    return (
                      <tr key={entry.id} className={entry.id === selectedId ? "selected" : undefined}>
                        <td>
                          <button type="button" className="link-button" aria-pressed={entry.id === selectedId} onClick={() => setSelectedId(entry.id)}>
                            #{entry.id}
                          </button>
                          <span className="muted"> {entry.trigger}</span>
                        </td>
                        <td className="nowrap" title={formatDateTime(entry.startedAt, timeZone)}>
                          {formatAge(entry.startedAt, list.dataUpdatedAt)}
                        </td>
                        <td title={rangeText(entry, timeZone)}>
                          {formatRangeNear(Date.parse(entry.rangeFrom), Date.parse(entry.rangeTo), list.dataUpdatedAt, timeZone)}
                          {summary ? <span className="run-summary">{summary}</span> : null}
                        </td>
                        <td className="run-status">
                          <RunBadge run={entry} />
                        </td>
                        <td className="num">{formatCount(entry.documentsSeen)}</td>
                        <td className="num">{formatCount(entry.peaksFound)}</td>
                        <td className="num">{formatCount(entry.notificationsSent)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {list.data?.nextBeforeId ? (
              <button
                className="button button-secondary"
                type="button"
                onClick={() => setLimit((current) => Math.min(current + pageSize, 200))}
                disabled={limit >= 200}
              >
                Show older runs
              </button>
            ) : null}
          </section>
          <section className="card" aria-labelledby="run-detail" aria-live="polite">
            {run ? (
              <>
                <h2 id="run-detail">
                  Run #{run.id} <RunBadge run={run} />
                </h2>
                <dl className="facts">
                  <dt>Range</dt>
                  <dd>{rangeText(run, timeZone)}</dd>
                  <dt>Started</dt>
                  <dd>
                    {formatDateTime(run.startedAt, timeZone)} by{" "}
                    {run.startedBy ? run.startedBy.email : run.trigger === "cron" ? "the schedule" : "the command line"}
                    {run.finishedAt ? `, took ${duration(run)}` : ""}
                  </dd>
                  <dt>Source</dt>
                  <dd>{run.source ?? "—"}</dd>
                  {run.isAnalysisSkipped ? (
                    <>
                      <dt>Options</dt>
                      <dd>analysis skipped</dd>
                    </>
                  ) : null}
                </dl>
                <RunData run={run} now={selected.dataUpdatedAt || list.dataUpdatedAt} timeZone={timeZone} />
                {run.error ? (
                  <p className="alert alert-error" role="alert">
                    {run.error}
                  </p>
                ) : null}
                <RunSteps steps={run.steps} />
              </>
            ) : (
              <h2 id="run-detail">Select a run to see its steps</h2>
            )}
            {selected.isError ? (
              <p className="alert alert-error" role="alert">
                Could not load the run: {selected.error.message}
              </p>
            ) : null}
          </section>
        </div>
      )}
    </>
  );
}
