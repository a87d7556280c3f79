import type { FrozenConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import type { RunFindings } from "@/lib/completeness/run-findings";
import type { Db } from "@/lib/db/client";
import { createRun, failAbandonedRuns, finishRun, findWatermark, saveRunProgress, type RunTotals, type RunTrigger } from "@/lib/db/pipeline-runs";
import { InvalidInputError, isAppError, type AppErrorCode } from "@/lib/errors";
import type { LogSource, TimeRange } from "@/lib/pipeline/log-document";
import { describeRange, formatLocalTime } from "@/lib/pipeline/time";
import type { StoredStep } from "@/lib/runs/contract";
import type { IngestReport } from "./ingest";
import { acquireWindowsLock, type LockOptions, type WindowsLock } from "./run-lock";
import type { PipelineServices } from "@/lib/services/notifiers";
import { PIPELINE_STEPS, RUN_STEPS, type NotificationTally, type RunContext, type StepName } from "./run-steps";

const DAY_MS = 86_400_000;

export type PipelineRunRequest = {
  trigger: RunTrigger;
  /** An explicit range; without it, every completed window since the watermark. */
  range?: TimeRange;
  /** Skips the period's classification and trace analysis (steps 2–3) and AI analysis (step 7). */
  skipAnalysis?: boolean;
  /** Writes nothing, not even the run's record, and reports what it would write. */
  isDryRun?: boolean;
  startedById?: number | null;
  /** The run owns the source and closes it when it ends. */
  source: LogSource;
  services: PipelineServices;
  now?: () => Date;
  lock?: LockOptions;
  /** Told after every change of a step. */
  onProgress?: (steps: readonly StoredStep[]) => void;
};

/** What a run found about its data, stored with it and shown on the runs page (one schema for writing and reading). */

export type PipelineRunReport = {
  runId: number | null;
  status: "succeeded" | "failed";
  isDryRun: boolean;
  range: TimeRange;
  /** The end of the windows processed: the range's end, or where the source's data ended. */
  processedTo: number;
  findings: RunFindings;
  /** The range in the configured timezone, for messages. */
  rangeText: string;
  source: string;
  steps: StoredStep[];
  totals: RunTotals;
  error: string | null;
  /** The kind of the failure when it was one the product names (e.g. unavailable), for exit codes. */
  errorCode: AppErrorCode | null;
  /** What the run did, per step, for the CLI's JSON output. */
  details: {
    ingest: IngestReport | null;
    notifications: NotificationTally;
  };
};

/** A run that holds the lock and has its record; `execute` does the steps. */
export type StartedRun = { runId: number | null; range: TimeRange; rangeText: string; execute: () => Promise<PipelineRunReport> };

export type PipelineStart = { status: "started"; run: StartedRun } | { status: "up_to_date"; message: string; watermarkMs: number };

/** The range a run processes and whether succeeding moves the watermark to its end. */
export async function planRange(
  db: Db,
  config: FrozenConfig,
  request: { range?: TimeRange; now: Date },
): Promise<{ range: TimeRange; advancesWatermark: boolean; note: string | null; watermarkMs: number | null }> {
  const grid = gridOf(config);
  const windowMs = config.window_minutes * 60_000;
  const completedEnd = grid.windowStartOf(request.now.getTime() - config.pipeline.settle_seconds * 1000);
  const watermark = await findWatermark(db, windowMs);
  if (request.range) {
    const fromMs = grid.windowStartOf(request.range.fromMs);
    const alignedTo = grid.windowStartOf(request.range.toMs);
    const toMs = Math.min(alignedTo === request.range.toMs ? alignedTo : alignedTo + windowMs, completedEnd);
    if (fromMs >= completedEnd)
      throw new InvalidInputError(
        `The range starts after the last completed window (${formatLocalTime(completedEnd, grid)} ${config.timezone}); nothing to process yet.`,
      );
    if (request.range.fromMs >= request.range.toMs) throw new InvalidInputError("The range must start before it ends.");
    const keptDays = config.retention_days.peak_raw_data;
    if (keptDays !== null && fromMs < request.now.getTime() - keptDays * DAY_MS) {
      throw new InvalidInputError(
        `The range starts more than ${keptDays} days ago: the run's maintenance would delete its windows again (retention_days.peak_raw_data). ` +
          "Load history with peaks ingest or peaks batch, or raise the retention.",
      );
    }
    const range = { fromMs, toMs };
    const advancesWatermark = watermark === null || (fromMs <= watermark.atMs && toMs > watermark.atMs);
    return { range, advancesWatermark, note: null, watermarkMs: watermark?.atMs ?? null };
  }
  const firstRunFrom = completedEnd - config.pipeline.first_run_windows * windowMs;
  const earliest = completedEnd - config.pipeline.max_catch_up_days * DAY_MS;
  const wanted = watermark?.atMs ?? firstRunFrom;
  const fromMs = Math.max(wanted, earliest);
  const note =
    wanted < earliest
      ? `The last processed window ended ${formatLocalTime(wanted, grid)}; only the last ${config.pipeline.max_catch_up_days} days are caught up (pipeline.max_catch_up_days). Fill the gap with peaks batch.`
      : null;
  return { range: { fromMs, toMs: completedEnd }, advancesWatermark: true, note, watermarkMs: watermark?.atMs ?? null };
}

/** The nine steps before a run starts, all pending. */
export function initialSteps(): StoredStep[] {
  return PIPELINE_STEPS.map((step) => ({
    name: step.name,
    title: step.title,
    status: "pending",
    startedAt: null,
    durationMs: null,
    counts: {},
    note: null,
    error: null,
  }));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts a pipeline run: takes the windows lock (a ConflictError names the run holding it),
 * fails runs left running by a killed process, plans the range from the watermark and records
 * the run. A dry run takes no lock and records nothing. Resolves `up_to_date` when no completed
 * window is left to process.
 */
export async function startPipelineRun(db: Db, config: FrozenConfig, request: PipelineRunRequest): Promise<PipelineStart> {
  const now = request.now ?? (() => new Date());
  const isDryRun = request.isDryRun ?? false;
  let lock: WindowsLock | null = null;
  try {
    if (!isDryRun) {
      // The lease runs on the real clock (request.lock.now in tests), not on the run's `now`,
      // which says which windows count as completed.
      lock = await acquireWindowsLock(db, config, `pipeline run (${request.trigger})`, request.lock);
      const stale = lock.tookOverFrom;
      const reason = stale
        ? `Abandoned: ${stale.holder} (pid ${stale.pid} on ${stale.host}) stopped before finishing; the next run processes its range again.`
        : "Abandoned: the process stopped before finishing; the next run processes its range again.";
      await failAbandonedRuns(db, reason, new Date());
    }
    const plan = await planRange(db, config, { ...(request.range ? { range: request.range } : {}), now: now() });
    const grid = gridOf(config);
    if (plan.range.fromMs >= plan.range.toMs) {
      await lock?.release();
      await request.source.close();
      return {
        status: "up_to_date",
        watermarkMs: plan.range.fromMs,
        message: `Nothing to process: every completed window up to ${formatLocalTime(plan.range.fromMs, grid)} ${config.timezone} is processed.`,
      };
    }
    const steps = initialSteps();
    const runId = isDryRun
      ? null
      : await createRun(db, {
          trigger: request.trigger,
          range: plan.range,
          source: request.source.description,
          isAnalysisSkipped: request.skipAnalysis ?? false,
          advancesWatermark: plan.advancesWatermark,
          startedById: request.startedById ?? null,
          steps,
          startedAt: new Date(),
        });
    if (lock && runId !== null) await lock.attachRun(runId);
    const heldLock = lock;
    const rangeText = describeRange(plan.range, grid);
    return {
      status: "started",
      run: {
        runId,
        range: plan.range,
        rangeText,
        execute: () =>
          executeRun(
            db,
            config,
            { ...request, isDryRun, now },
            { runId, range: plan.range, rangeText, steps, lock: heldLock, planNote: plan.note, recountFloorMs: request.range ? plan.range.fromMs : null },
          ),
      },
    };
  } catch (error) {
    await lock?.release();
    await request.source.close();
    throw error;
  }
}

/** Starts a run and waits for it; `up_to_date` when nothing is left to process. */
export async function runPipeline(
  db: Db,
  config: FrozenConfig,
  request: PipelineRunRequest,
): Promise<PipelineRunReport | Extract<PipelineStart, { status: "up_to_date" }>> {
  const start = await startPipelineRun(db, config, request);
  return start.status === "started" ? start.run.execute() : start;
}

type RunState = {
  runId: number | null;
  range: TimeRange;
  rangeText: string;
  steps: StoredStep[];
  lock: WindowsLock | null;
  planNote: string | null;
  /** Re-counting never reaches before this (an explicit range re-counts nothing before itself). */
  recountFloorMs: number | null;
};

/**
 * Runs the steps of RUN_STEPS in order on one context. A step is skipped when it says why, run
 * otherwise; a required step's failure ends the run (the steps after it are "not run"), an
 * optional step's is recorded. Every change of a step is saved, so the runs page follows along.
 */
async function executeRun(
  db: Db,
  config: FrozenConfig,
  request: PipelineRunRequest & { isDryRun: boolean; now: () => Date },
  state: RunState,
): Promise<PipelineRunReport> {
  const { range, steps, runId } = state;
  const grid = gridOf(config);
  // Late documents: the windows of the last recount_hours before the range are counted again
  // and corrected where their count changed.
  const countFrom = Math.max(range.fromMs - config.pipeline.recount_hours * 3_600_000, state.recountFloorMs ?? -Infinity);
  const context: RunContext = {
    db,
    config,
    inputs: request,
    grid,
    range,
    countRange: { fromMs: grid.windowStartOf(Math.min(countFrom, range.fromMs)), toMs: range.toMs },
    totals: { documentsSeen: 0, peaksFound: 0, notificationsSent: 0 },
    notifications: { sent: 0, alreadySent: 0, failed: 0, quiet: 0, skippedKnown: 0, snoozed: 0, resolutions: 0, wouldSend: 0 },
    findings: {},
    produced: {},
  };
  const recordOf = (name: StepName) => steps.find((step) => step.name === name)!;
  const progress = async () => {
    request.onProgress?.(steps);
    if (runId !== null) await saveRunProgress(db, runId, steps, context.totals);
  };

  let runError: string | null = null;
  let errorCode: AppErrorCode | null = null;
  if (state.planNote) recordOf("collect").note = state.planNote;
  try {
    for (const step of RUN_STEPS) {
      const record = recordOf(step.name);
      const skipReason = step.skipReason?.(context) ?? null;
      if (skipReason !== null) {
        record.status = "skipped";
        record.note = skipReason;
        await progress();
        continue;
      }
      state.lock?.assertHeld();
      // Wall-clock timing; the run's `now` only decides which windows are completed.
      const startedAt = new Date();
      record.status = "running";
      record.startedAt = startedAt.toISOString();
      await progress();
      try {
        record.counts = await step.run(context, record);
        record.status = "succeeded";
      } catch (error) {
        record.status = "failed";
        record.error = messageOf(error);
        if (!step.isOptional) throw error;
      } finally {
        record.durationMs = Date.now() - startedAt.getTime();
        await progress();
      }
    }
  } catch (error) {
    runError = messageOf(error);
    errorCode = isAppError(error) ? error.code : null;
    for (const pending of steps) {
      if (pending.status !== "pending") continue;
      pending.status = "skipped";
      pending.note = "not run: an earlier step failed";
    }
  }

  const status = runError === null ? "succeeded" : "failed";
  const processedTo = context.produced.coveredTo ?? range.toMs;
  const { source } = request;
  try {
    if (runId !== null)
      await finishRun(db, runId, {
        status,
        error: runError,
        steps,
        totals: context.totals,
        finishedAt: new Date(),
        coveredTo: new Date(processedTo),
        findings: context.findings,
      });
    request.onProgress?.(steps);
  } finally {
    await state.lock?.release();
    await source.close();
  }
  return {
    runId,
    status,
    isDryRun: request.isDryRun,
    range,
    processedTo,
    findings: context.findings,
    rangeText: state.rangeText,
    source: source.description,
    steps,
    totals: context.totals,
    error: runError,
    errorCode,
    details: { ingest: context.produced.ingestReport ?? null, notifications: context.notifications },
  };
}
