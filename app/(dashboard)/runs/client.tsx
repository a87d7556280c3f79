"use client";

import { RunDetail } from "@/components/runs/run-detail";
import { RunHistoryTable } from "@/components/runs/run-history-table";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { usePipelineRuns, type RunList } from "./use-pipeline-runs";

export function RunsClient({
  initialRuns,
  timeZone,
  canRun,
  pageSize,
  renderedAt,
}: {
  initialRuns: RunList;
  timeZone: string;
  canRun: boolean;
  pageSize: number;
  /** When the server read the initial runs, in ms since the epoch. */
  renderedAt: number;
}) {
  const { list, selected, start, runs, run, selectedId, setSelectedId, notice, startRun, hasOlder, canShowOlder, showOlder } = usePipelineRuns(
    initialRuns,
    pageSize,
    renderedAt,
  );
  const isRunning = runs.some((entry) => entry.status === "running");

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Pipeline runs</h1>
          <p>Every run of the nine steps, newest first, with what each step did. Times in {timeZone}.</p>
        </div>
        {canRun ? (
          <button className="button" type="button" onClick={startRun} disabled={start.isPending || isRunning} aria-describedby="run-now-help">
            {start.isPending ? "Starting…" : isRunning ? "A run is in progress" : "Run now"}
          </button>
        ) : null}
      </header>
      {canRun ? (
        <p id="run-now-help" className="muted" style={{ marginTop: "-0.75rem" }}>
          Run now processes every completed window since the last successful run.
        </p>
      ) : null}
      {start.isError ? <Alert tone="error">{start.error.message}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {list.isError ? <Alert tone="error">Could not load the runs: {list.error.message}</Alert> : null}
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
            <RunHistoryTable runs={runs} selectedId={selectedId} onSelect={setSelectedId} now={list.dataUpdatedAt} timeZone={timeZone} />
            {hasOlder ? (
              <button className="button button-secondary" type="button" onClick={showOlder} disabled={!canShowOlder}>
                Show older runs
              </button>
            ) : null}
          </section>
          <section className="card" aria-labelledby="run-detail" aria-live="polite">
            {run ? (
              <RunDetail run={run} now={selected.dataUpdatedAt || list.dataUpdatedAt} timeZone={timeZone} />
            ) : (
              <h2 id="run-detail">Select a run to see its steps</h2>
            )}
            {selected.isError ? <Alert tone="error">Could not load the run: {selected.error.message}</Alert> : null}
          </section>
        </div>
      )}
    </>
  );
}
