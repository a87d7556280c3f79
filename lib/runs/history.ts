import type { Db } from "@/lib/db/client";
import { findRun, listRuns, type RunRow } from "@/lib/db/pipeline-runs";
import { readRunFindings } from "@/lib/completeness/run-findings";
import { NotFoundError } from "@/lib/errors";
import { storedStepsSchema, type PipelineRunRecord, type RunList, type RunStatus } from "./contract";

// The pipeline runs' history: a run or a page of runs, their stored steps and findings parsed.
// The queries are lib/db/pipeline-runs.ts's.

function recordOf(row: RunRow): PipelineRunRecord {
  return { ...row, steps: storedStepsSchema.parse(row.steps), findings: readRunFindings(row.findings) };
}

/** A run with its steps, or NotFoundError. */
export async function getRun(db: Db, runId: number): Promise<PipelineRunRecord> {
  const run = await findRun(db, runId);
  if (!run) throw new NotFoundError(`No pipeline run #${runId}`);
  return recordOf(run);
}

/** Runs, newest first; `beforeId` pages backwards. */
export async function getRuns(db: Db, options: { limit: number; beforeId?: number; status?: RunStatus }): Promise<RunList> {
  const runs = (await listRuns(db, options)).map(recordOf);
  return { runs, nextBeforeId: runs.length === options.limit ? runs.at(-1)!.id : null };
}
