import type { Db, Prisma } from "./client";
import { epochMilliseconds } from "./sql";
import type { RunStatus, RunTrigger } from "./generated/prisma/enums";

// The queries of pipeline runs. pipeline_runs.steps and .findings are written as the pipeline
// builds them (lib/runs/contract.ts storedStepSchema, lib/completeness/run-findings.ts) and read
// back as stored, for lib/runs/history.ts to parse.

export type { RunStatus, RunTrigger } from "./generated/prisma/enums";

/** pipeline_runs.steps as written: the run's steps (lib/runs/contract.ts StoredStep). */
type StepsColumn = readonly Prisma.InputJsonObject[];

export type RunTotals = { documentsSeen: number; peaksFound: number; notificationsSent: number };

export type NewRun = {
  trigger: RunTrigger;
  range: { fromMs: number; toMs: number };
  source: string;
  isAnalysisSkipped: boolean;
  advancesWatermark: boolean;
  startedById: number | null;
  steps: StepsColumn;
  startedAt: Date;
};

export async function createRun(db: Db, run: NewRun): Promise<number> {
  const created = await db.prisma.pipelineRun.create({
    data: {
      trigger: run.trigger,
      rangeFrom: new Date(run.range.fromMs),
      rangeTo: new Date(run.range.toMs),
      source: run.source,
      isAnalysisSkipped: run.isAnalysisSkipped,
      advancesWatermark: run.advancesWatermark,
      startedById: run.startedById,
      steps: [...run.steps],
      startedAt: run.startedAt,
    },
    select: { id: true },
  });
  return created.id;
}

export async function saveRunProgress(db: Db, runId: number, steps: StepsColumn, totals: RunTotals): Promise<void> {
  await db.prisma.pipelineRun.update({ where: { id: runId }, data: { steps: [...steps], ...totals } });
}

export async function finishRun(
  db: Db,
  runId: number,
  outcome: {
    status: "succeeded" | "failed";
    error: string | null;
    steps: StepsColumn;
    totals: RunTotals;
    finishedAt: Date;
    /** The end of the windows processed; the watermark moves no further. */
    coveredTo?: Date;
    /** pipeline_runs.findings (lib/completeness/run-findings.ts RunFindings). */
    findings?: Prisma.InputJsonObject;
  },
): Promise<void> {
  await db.prisma.pipelineRun.update({
    where: { id: runId },
    data: {
      status: outcome.status,
      error: outcome.error,
      steps: [...outcome.steps],
      ...outcome.totals,
      finishedAt: outcome.finishedAt,
      ...(outcome.coveredTo ? { coveredTo: outcome.coveredTo } : {}),
      ...(outcome.findings ? { findings: outcome.findings } : {}),
    },
  });
}

/**
 * Marks every run still recorded as running as failed. Called by the process that has just
 * taken the windows lock: no other run can be alive, so these were killed or lost.
 */
export async function failAbandonedRuns(db: Db, reason: string, finishedAt: Date): Promise<number> {
  const result = await db.prisma.pipelineRun.updateMany({ where: { status: "running" }, data: { status: "failed", error: reason, finishedAt } });
  return result.count;
}

/**
 * Where the next run starts: the end of the newest range a run processed successfully from the
 * watermark on (a run of a later, detached range leaves the gap before it to be processed).
 * Before any success, the start of the earliest run (its steps may have been cut short), else
 * the end of the newest stored window (after peaks batch); null on an empty database.
 */
export async function findWatermark(db: Db, windowMs: number): Promise<{ atMs: number; from: "run" | "unfinished run" | "windows" } | null> {
  // A run moves the watermark only as far as its source covered (covered_to); runs recorded before coverage existed, to their range's end.
  const succeeded = await db.kysely
    .selectFrom("pipeline_runs")
    .select((eb) => epochMilliseconds(eb.fn.max(eb.fn.coalesce("covered_to", "range_to"))).as("until"))
    .where((eb) => eb.and([eb("status", "=", "succeeded"), eb.not(eb.ref("is_dry_run")), eb.ref("advances_watermark")]))
    .executeTakeFirst();
  if (succeeded?.until !== null && succeeded?.until !== undefined) return { atMs: Math.round(Number(succeeded.until)), from: "run" };
  const unfinished = await db.kysely
    .selectFrom("pipeline_runs")
    .select((eb) => eb.fn.min("range_from").as("from"))
    .where("is_dry_run", "=", false)
    .where("advances_watermark", "=", true)
    .executeTakeFirst();
  if (unfinished?.from) return { atMs: unfinished.from.getTime(), from: "unfinished run" };
  const window = await db.kysely
    .selectFrom("peak_raw_data")
    .select((eb) => eb.fn.max("timestamp").as("newest"))
    .executeTakeFirst();
  if (window?.newest) return { atMs: window.newest.getTime() + windowMs, from: "windows" };
  return null;
}

/** A run as stored: steps and findings as written (lib/runs/history.ts parses them), its starter if any. */
export type RunRow = {
  id: number;
  trigger: RunTrigger;
  rangeFrom: Date;
  rangeTo: Date;
  isDryRun: boolean;
  source: string | null;
  isAnalysisSkipped: boolean;
  advancesWatermark: boolean;
  status: RunStatus;
  steps: unknown;
  documentsSeen: number;
  peaksFound: number;
  notificationsSent: number;
  coveredTo: Date | null;
  findings: unknown;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  startedBy: { id: number; email: string; name: string | null } | null;
};

function selectRuns(db: Db) {
  return db.kysely
    .selectFrom("pipeline_runs as r")
    .leftJoin("users as u", "u.id", "r.started_by_id")
    .select([
      "r.id",
      "r.trigger",
      "r.range_from as rangeFrom",
      "r.range_to as rangeTo",
      "r.is_dry_run as isDryRun",
      "r.source",
      "r.is_analysis_skipped as isAnalysisSkipped",
      "r.advances_watermark as advancesWatermark",
      "r.status",
      "r.steps",
      "r.documents_seen as documentsSeen",
      "r.peaks_found as peaksFound",
      "r.notifications_sent as notificationsSent",
      "r.covered_to as coveredTo",
      "r.findings",
      "r.error",
      "r.started_at as startedAt",
      "r.finished_at as finishedAt",
      "u.id as starterId",
      "u.email as starterEmail",
      "u.name as starterName",
    ]);
}

function runRowOf({ starterId, starterEmail, starterName, ...row }: Awaited<ReturnType<ReturnType<typeof selectRuns>["execute"]>>[number]): RunRow {
  return { ...row, startedBy: starterId !== null && starterEmail !== null ? { id: starterId, email: starterEmail, name: starterName } : null };
}

export async function findRun(db: Db, runId: number): Promise<RunRow | null> {
  const row = await selectRuns(db).where("r.id", "=", runId).executeTakeFirst();
  return row ? runRowOf(row) : null;
}

/** Runs, newest first; `beforeId` pages backwards. */
export async function listRuns(db: Db, options: { limit: number; beforeId?: number; status?: RunStatus }): Promise<RunRow[]> {
  const rows = await selectRuns(db)
    .$if(options.beforeId !== undefined, (query) => query.where("r.id", "<", options.beforeId ?? 0))
    .$if(options.status !== undefined, (query) => query.where("r.status", "=", options.status ?? "running"))
    .orderBy("r.id", "desc")
    .limit(options.limit)
    .execute();
  return rows.map(runRowOf);
}
