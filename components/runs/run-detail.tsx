import { Alert } from "@/components/ui/alert";
import type { PipelineRunRecord } from "@/lib/runs/contract";
import { formatDateTime, formatDuration } from "@/lib/format";
import type { Jsonified } from "@/lib/http/jsonified";
import { RunBadge } from "./run-badge";
import { RunData } from "./run-data";
import { runRangeText } from "./run-history-table";
import { RunSteps } from "./run-steps";

type Run = Jsonified<PipelineRunRecord>;

function duration(run: Run): string {
  return run.finishedAt ? formatDuration(new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()) : "";
}

/** One run step by step: its range, who started it, what it read, its error and its steps. `now` in UTC ms. */
export function RunDetail({ run, now, timeZone }: { run: Run; now: number; timeZone: string }) {
  return (
    <>
      <h2 id="run-detail">
        Run #{run.id} <RunBadge run={run} />
      </h2>
      <dl className="facts">
        <dt>Range</dt>
        <dd>{runRangeText(run, timeZone)}</dd>
        <dt>Started</dt>
        <dd>
          {formatDateTime(run.startedAt, timeZone)} by {run.startedBy ? run.startedBy.email : run.trigger === "cron" ? "the schedule" : "the command line"}
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
      <RunData run={run} now={now} timeZone={timeZone} />
      {run.error ? <Alert tone="error">{run.error}</Alert> : null}
      <RunSteps steps={run.steps} />
    </>
  );
}
