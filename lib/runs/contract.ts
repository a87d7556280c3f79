import { z } from "zod";
import type { RunFindings } from "@/lib/completeness/run-findings";

// The pipeline runs' history as the browser, the route handlers and the command line see it:
// a run with its steps (pipeline_runs.steps, whose schema is here) and what it found
// (pipeline_runs.findings, lib/completeness/run-findings.ts); no server code.

export const runStatuses = ["running", "succeeded", "failed"] as const;
export type RunStatus = (typeof runStatuses)[number];
export type RunTrigger = "cli" | "api" | "cron";

export const stepStatuses = ["pending", "running", "succeeded", "failed", "skipped"] as const;
export type StepStatus = (typeof stepStatuses)[number];

/** One step of a run as stored in pipeline_runs.steps. Times are ISO strings, durations ms. */
export const storedStepSchema = z.object({
  name: z.string(),
  /** Runs recorded before steps had titles read with an empty one. */
  title: z.string().catch(""),
  status: z.enum(stepStatuses),
  startedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  counts: z.record(z.string(), z.number()),
  /** Why the step was skipped, or what it noticed (e.g. AI answers that failed). */
  note: z.string().nullable().catch(null),
  error: z.string().nullable(),
});
export type StoredStep = z.output<typeof storedStepSchema>;

/** pipeline_runs.steps: every step of the run in order; unreadable, none. */
export const storedStepsSchema = z.array(storedStepSchema).catch([]);

/** A run as the API answers with it (the browser sees its dates as ISO strings). */
export type PipelineRunRecord = {
  id: number;
  trigger: RunTrigger;
  rangeFrom: Date;
  rangeTo: Date;
  isDryRun: boolean;
  source: string | null;
  isAnalysisSkipped: boolean;
  advancesWatermark: boolean;
  status: RunStatus;
  steps: StoredStep[];
  documentsSeen: number;
  peaksFound: number;
  notificationsSent: number;
  /** The end of the windows the run could process (null: the whole range, or still running). */
  coveredTo: Date | null;
  findings: RunFindings;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  startedBy: { id: number; email: string; name: string | null } | null;
};

/** A page of runs, newest first; `nextBeforeId` asks for the page after it (null: none). */
export type RunList = { runs: PipelineRunRecord[]; nextBeforeId: number | null };

/** What starting a run from the dashboard answers at once. */
export type StartedRunAnswer =
  { status: "running"; runId: number; range: { from: string; to: string }; rangeText: string } | { status: "up_to_date"; runId: null; message: string };
