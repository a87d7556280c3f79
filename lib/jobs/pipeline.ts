import type { FrozenConfig } from "@/lib/config";
import { analyzePeaks, type AiSettings } from "@/lib/ai/peak-analysis";
import type { PrismaClient } from "@/lib/db/client";
import { findSentDedupeKeys } from "@/lib/db/notifications";
import { findNotifiablePeaks, findPeakIdsInRange, type NotifiablePeakRow } from "@/lib/db/peaks";
import {
  createRun,
  failAbandonedRuns,
  finishRun,
  findWatermark,
  saveRunProgress,
  type RunTotals,
  type RunTrigger,
  type StoredStep,
} from "@/lib/db/pipeline-runs";
import { InvalidInputError, isAppError, type AppErrorCode } from "@/lib/errors";
import { deliverMessages, type DeliverySettings, type OutgoingMessage } from "@/lib/notify/deliver";
import { groupIncidents, isQuiet, teamsMessage, type NotifiablePeak } from "@/lib/notify/teams";
import type { CountReport, LogSource, TimeRange } from "@/lib/pipeline/log-document";
import { coveredUntil, overallSpans } from "@/lib/pipeline/coverage";
import { describeRange, formatLocalTime } from "@/lib/pipeline/time";
import type { RunFindings } from "@/lib/completeness/run-findings";
import { syncDataGaps } from "@/lib/db/data-gaps";
import { dataGapMessagesFor, findSilentInStore, observedDataGaps } from "./data-gaps";
import { enrichPeaks } from "./enrich";
import { sliceCount } from "./batch";
import { gridOf } from "@/lib/config/grid";
import { ingest, type IngestReport } from "./ingest";
import { runMaintenance } from "./maintenance";
import { acquireWindowsLock, type LockOptions, type WindowsLock } from "./run-lock";
import { classifyPeriod, traceAndStorePeriod, type ClassifiedPeriod } from "./track-patterns";

const DAY_MS = 86_400_000;
/** Deliveries that failed are retried by later runs for this long. */
const RETRY_UNSENT_FOR_MS = DAY_MS;

/** The nine steps of the seed's run_pipeline.py, in order. */
export const PIPELINE_STEPS = [
  { name: "collect", title: "Collect error counts" },
  { name: "classify", title: "Classify errors" },
  { name: "trace_analysis", title: "Trace analysis" },
  { name: "ingest_detect", title: "Ingest and detect peaks" },
  { name: "known_issues", title: "Investigate peaks and match known issues" },
  { name: "record_stats", title: "Record statistics" },
  { name: "ai_analysis", title: "AI analysis" },
  { name: "notify", title: "Notify Teams" },
  { name: "maintenance", title: "Maintenance" },
] as const;

export type StepName = (typeof PIPELINE_STEPS)[number]["name"];

/** Teams and AI as this deployment has them; `off` says why, for the run's record. */
export type PipelineServices = {
  teams: { status: "off"; reason: string } | { status: "on"; settings: DeliverySettings; notifyKnownIssues: boolean };
  ai: { status: "off"; reason: string } | { status: "on"; settings: AiSettings };
};

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
export type { RunFindings } from "@/lib/completeness/run-findings";

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
    notifications: { sent: number; alreadySent: number; failed: number; quiet: number; skippedKnown: number; wouldSend: number };
  };
};

/** A run that holds the lock and has its record; `execute` does the steps. */
export type StartedRun = { runId: number | null; range: TimeRange; rangeText: string; execute: () => Promise<PipelineRunReport> };

export type PipelineStart = { status: "started"; run: StartedRun } | { status: "up_to_date"; message: string; watermarkMs: number };

/** The range a run processes and whether succeeding moves the watermark to its end. */
export async function planRange(
  prisma: PrismaClient,
  config: FrozenConfig,
  request: { range?: TimeRange; now: Date },
): Promise<{ range: TimeRange; advancesWatermark: boolean; note: string | null; watermarkMs: number | null }> {
  const grid = gridOf(config);
  const windowMs = config.window_minutes * 60_000;
  const completedEnd = grid.windowStartOf(request.now.getTime() - config.pipeline.settle_seconds * 1000);
  const watermark = await findWatermark(prisma, windowMs);
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
export async function startPipelineRun(prisma: PrismaClient, config: FrozenConfig, request: PipelineRunRequest): Promise<PipelineStart> {
  const now = request.now ?? (() => new Date());
  const isDryRun = request.isDryRun ?? false;
  let lock: WindowsLock | null = null;
  try {
    if (!isDryRun) {
      // The lease runs on the real clock (request.lock.now in tests), not on the run's `now`,
      // which says which windows count as completed.
      lock = await acquireWindowsLock(prisma, config, `pipeline run (${request.trigger})`, request.lock);
      const stale = lock.tookOverFrom;
      const reason = stale
        ? `Abandoned: ${stale.holder} (pid ${stale.pid} on ${stale.host}) stopped before finishing; the next run processes its range again.`
        : "Abandoned: the process stopped before finishing; the next run processes its range again.";
      await failAbandonedRuns(prisma, reason, new Date());
    }
    const plan = await planRange(prisma, config, { ...(request.range ? { range: request.range } : {}), now: now() });
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
      : await createRun(prisma, {
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
            prisma,
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
  prisma: PrismaClient,
  config: FrozenConfig,
  request: PipelineRunRequest,
): Promise<PipelineRunReport | Extract<PipelineStart, { status: "up_to_date" }>> {
  const start = await startPipelineRun(prisma, config, request);
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

async function executeRun(
  prisma: PrismaClient,
  config: FrozenConfig,
  request: PipelineRunRequest & { isDryRun: boolean; now: () => Date },
  state: RunState,
): Promise<PipelineRunReport> {
  const { range, steps, runId } = state;
  const { source, services, isDryRun, now } = request;
  const grid = gridOf(config);
  const totals: RunTotals = { documentsSeen: 0, peaksFound: 0, notificationsSent: 0 };
  const notifications = { sent: 0, alreadySent: 0, failed: 0, quiet: 0, skippedKnown: 0, wouldSend: 0 };
  const stepOf = (name: StepName) => steps.find((step) => step.name === name)!;

  const progress = async () => {
    request.onProgress?.(steps);
    if (runId !== null) await saveRunProgress(prisma, runId, steps, totals);
  };
  const skip = async (name: StepName, note: string) => {
    const step = stepOf(name);
    step.status = "skipped";
    step.note = note;
    await progress();
  };
  /** Runs one step; a failure of a required step ends the run, of an optional one is recorded. */
  const step = async <T>(name: StepName, body: (record: StoredStep) => Promise<T>, options: { isOptional?: boolean } = {}): Promise<T | undefined> => {
    state.lock?.assertHeld();
    const record = stepOf(name);
    // Wall-clock timing; the run's `now` only decides which windows are completed.
    const startedAt = new Date();
    record.status = "running";
    record.startedAt = startedAt.toISOString();
    await progress();
    try {
      const result = await body(record);
      record.status = "succeeded";
      return result;
    } catch (error) {
      record.status = "failed";
      record.error = messageOf(error);
      if (!options.isOptional) throw error;
      return undefined;
    } finally {
      record.durationMs = Date.now() - startedAt.getTime();
      await progress();
    }
  };

  let ingestReport: IngestReport | null = null;
  let coveredTo: number | null = null;
  const findings: RunFindings = {};
  let runError: string | null = null;
  let errorCode: AppErrorCode | null = null;
  try {
    if (state.planNote) stepOf("collect").note = state.planNote;

    // Late documents: the windows of the last recount_hours before the range are counted again
    // and corrected where their count changed.
    const countFrom = Math.max(range.fromMs - config.pipeline.recount_hours * 3_600_000, state.recountFloorMs ?? -Infinity);
    const countRange = { fromMs: grid.windowStartOf(Math.min(countFrom, range.fromMs)), toMs: range.toMs };
    const counted = (await step("collect", async (record) => {
      const report = await source.countWindows(countRange);
      const namespaces = new Set<string>();
      for (const byNamespace of report.counts.values()) for (const namespace of byNamespace.keys()) namespaces.add(namespace);
      // The run's own documents; those of the re-counted hours before it were seen by earlier runs.
      const ownDocuments = sliceCount(report, range).documents;
      record.counts = {
        documents: ownDocuments,
        windows: grid.windowsBetween(range.fromMs, range.toMs).length,
        namespaces: namespaces.size,
        skipped: report.skipped.total,
      };
      totals.documentsSeen = ownDocuments;
      const processed = processableEnd(report, range, config, now().getTime());
      findings.coverage = overallSpans(report.coverage).map((span) => ({ from: new Date(span.fromMs).toISOString(), to: new Date(span.toMs).toISOString() }));
      findings.dataUntil = processed.dataUntilMs === null ? null : new Date(processed.dataUntilMs).toISOString();
      coveredTo = processed.endMs;
      if (processed.endMs < range.toMs) {
        const behind = processed.dataUntilMs === null ? null : Math.round((now().getTime() - processed.dataUntilMs) / 60_000);
        findings.waiting =
          processed.dataUntilMs === null
            ? `waiting for data: the source holds no document of any level from ${formatLocalTime(range.fromMs, grid)} on`
            : `waiting for data: the source ends at ${formatLocalTime(processed.dataUntilMs, grid)}${behind !== null && behind > 0 ? `, ${behind} min behind` : ""}; windows after it wait for the next run`;
        record.note = findings.waiting;
        if (behind === null || behind > config.pipeline.stale_after_minutes) {
          findings.stale = { dataUntil: findings.dataUntil, minutesBehind: behind, threshold: config.pipeline.stale_after_minutes };
        }
      }
      if (report.documents === 0 && report.coverage.all.length === 0 && report.coverage.byNamespace.size === 0) findings.readNothing = true;
      return report;
    })) as CountReport;
    const processedRange = { fromMs: range.fromMs, toMs: Math.max(range.fromMs, coveredTo ?? range.toMs) };
    const ingestRange = { fromMs: countRange.fromMs, toMs: processedRange.toMs };

    let classified: ClassifiedPeriod | null = null;
    if (request.skipAnalysis) {
      await skip("classify", "--skip-analysis");
      await skip("trace_analysis", "--skip-analysis");
    } else if (counted.documents === 0 || processedRange.fromMs >= processedRange.toMs) {
      await skip("classify", "no error documents in the range");
      await skip("trace_analysis", "no error documents in the range");
    } else {
      classified = (await step("classify", async (record) => {
        const period = await classifyPeriod(prisma, config, source, processedRange);
        record.counts = { documentsRead: period.documentsRead, documents: period.documentsTotal, ...prefixed("type.", period.errorTypes) };
        return period;
      })) as ClassifiedPeriod;
      await step("trace_analysis", async (record) => {
        const tracked = await traceAndStorePeriod(prisma, config, classified!, { isDryRun });
        const traces = tracked.rootCauses.reduce((sum, cause) => sum + cause.traces, 0);
        record.counts = {
          traces,
          rootCauses: tracked.rootCauses.length,
          knownIssueMatches: tracked.rootCauses.filter((cause) => cause.knownIssue !== null).length,
          regressions: tracked.rootCauses.filter((cause) => cause.regressionOf !== null).length,
          patterns: tracked.patterns.length,
          newPatterns: tracked.patterns.filter((pattern) => pattern.isNew).length,
          windowsCounted: tracked.counted,
          windowsAlreadyCounted: tracked.alreadyCounted,
        };
        const top = tracked.rootCauses[0];
        if (top) record.note = `Top root cause: ${top.template} (${top.traces} traces)`;
      });
    }

    ingestReport = (await step("ingest_detect", async (record) => {
      const report = await ingest(prisma, config, {
        source,
        mode: "detect",
        range: ingestRange,
        isDryRun,
        counted: sliceCount(counted, ingestRange),
        correctionReason: "recount",
      });
      findings.gapWindows = report.coverage.gapWindows;
      findings.corrected = report.windows.corrected;
      if (report.corrections.length > 0) record.note = `${report.corrections.length} windows corrected by late documents`;
      record.counts = {
        windowsStored: report.windows.stored,
        windowsAlreadyStored: report.windows.alreadyStored,
        windowsCorrected: report.windows.corrected,
        gapWindows: report.coverage.gapWindows,
        newPeaks: report.peaks.new,
        continuingPeaks: report.peaks.continuing,
        insufficientHistory: report.insufficientHistory,
        baselineSlots: report.baselineSlots,
      };
      totals.peaksFound = report.peaks.new + report.peaks.continuing;
      return report;
    })) as IngestReport;

    if (isDryRun) {
      await skip("known_issues", `dry run: would investigate ${ingestReport.detected.length} new peak(s)`);
    } else {
      await step("known_issues", async (record) => {
        const peakIds = await findPeakIdsInRange(prisma, ingestRange, "not enriched");
        const enriched = peakIds.length > 0 ? await enrichPeaks(prisma, config, source, { peakIds }) : { peaks: [], enriched: 0, withoutDocuments: 0 };
        record.counts = {
          investigated: enriched.enriched,
          withoutDocuments: enriched.withoutDocuments,
          knownIssues: enriched.peaks.filter((peak) => peak.knownIssue !== null).length,
          regressions: enriched.peaks.filter((peak) => peak.regressionOf !== null).length,
          unknown: enriched.peaks.filter((peak) => peak.status === "enriched" && peak.knownIssue === null && peak.regressionOf === null).length,
        };
      });
    }

    await step("record_stats", async (record) => {
      record.counts = { documentsSeen: totals.documentsSeen, peaksFound: totals.peaksFound };
      const silent = await findSilentInStore(prisma, config, processedRange.toMs);
      if (silent.length > 0)
        findings.silent = silent.map((namespace) => ({
          namespace: namespace.namespace,
          since: new Date(namespace.sinceMs).toISOString(),
          expected: Math.round(namespace.expected),
        }));
      if (isDryRun) {
        record.note = "dry run: nothing recorded";
        return;
      }
      // Episodes follow the live edge only: a run over an explicit (older) range reports what it found but opens nothing.
      if (request.range) return;
      const stale = findings.stale
        ? { dataUntilMs: findings.dataUntil ? Date.parse(findings.dataUntil) : null, detail: findings.waiting ?? "the source is behind" }
        : null;
      const episodes = await syncDataGaps(prisma, observedDataGaps(config, stale, silent), ["stale", "silent"], now());
      record.counts.dataGapsOpened = episodes.opened.length;
      record.counts.dataGapsRecovered = episodes.recovered.length;
      if (episodes.opened.length + episodes.recovered.length > 0) {
        record.note = [
          ...episodes.opened.map((episode) => `data gap opened: ${episode.detail}`),
          ...episodes.recovered.map((episode) => `data gap closed: ${episode.kind === "stale" ? "source" : episode.subject} is back`),
        ].join("; ");
      }
    });

    if (request.skipAnalysis) await skip("ai_analysis", "--skip-analysis");
    else if (services.ai.status === "off") await skip("ai_analysis", services.ai.reason);
    else if (isDryRun) await skip("ai_analysis", "dry run: no AI requests");
    else {
      const settings = services.ai.settings;
      await step(
        "ai_analysis",
        async (record) => {
          const peakIds = await findPeakIdsInRange(prisma, ingestRange, "not analysed by AI");
          const analysis = peakIds.length > 0 ? await analyzePeaks(prisma, settings, peakIds) : { analyzed: 0, failed: 0, results: [] };
          record.counts = { analyzed: analysis.analyzed, failed: analysis.failed };
          const firstFailure = analysis.results.find((result) => result.status === "failed");
          if (firstFailure) record.note = `Peak #${firstFailure.peakId}: ${firstFailure.error}`;
        },
        { isOptional: true },
      );
    }

    if (services.teams.status === "off") await skip("notify", services.teams.reason);
    else {
      const teams = services.teams;
      await step(
        "notify",
        async (record) => {
          const outgoing = [
            ...(await teamsMessagesFor(prisma, config, ingestRange, new Date(), teams.notifyKnownIssues, notifications)),
            ...(request.range ? [] : await dataGapMessagesFor(prisma, config, now())),
          ];
          if (isDryRun) {
            const sent = await findSentDedupeKeys(
              prisma,
              outgoing.map((message) => message.dedupeKey),
            );
            const unsent = outgoing.filter((message) => !sent.has(message.dedupeKey));
            notifications.wouldSend = unsent.length;
            notifications.alreadySent = outgoing.length - unsent.length;
            record.counts = {
              wouldSend: unsent.length,
              alreadySent: notifications.alreadySent,
              quiet: notifications.quiet,
              skippedKnownIssues: notifications.skippedKnown,
            };
            record.note = "dry run: nothing sent";
            return;
          }
          const delivered = await deliverMessages(prisma, "teams", outgoing, teams.settings);
          notifications.sent = delivered.sent;
          notifications.alreadySent = delivered.alreadySent;
          notifications.failed = delivered.failed;
          totals.notificationsSent = delivered.sent;
          record.counts = {
            sent: delivered.sent,
            alreadySent: delivered.alreadySent,
            failed: delivered.failed,
            quiet: notifications.quiet,
            skippedKnownIssues: notifications.skippedKnown,
          };
          const failure = delivered.outcomes.find((outcome) => outcome.status === "failed");
          if (failure) record.note = `Not delivered (retried by the next run): ${failure.error}`;
        },
        { isOptional: true },
      );
    }

    await step("maintenance", async (record) => {
      const report = await runMaintenance(prisma, config, { now: now(), isDryRun });
      record.counts = Object.fromEntries(report.tables.filter((table) => table.deleted > 0).map((table) => [table.table, table.deleted]));
      record.counts.deleted = report.deleted;
      if (isDryRun) record.note = "dry run: rows that would be deleted";
    });
  } catch (error) {
    runError = messageOf(error);
    errorCode = isAppError(error) ? error.code : null;
    for (const pending of steps) {
      if (pending.status !== "pending") continue;
      pending.status = "skipped";
      pending.note = "not run: an earlier step failed";
    }
  }

  return finish();

  async function finish(): Promise<PipelineRunReport> {
    const status = runError === null ? "succeeded" : "failed";
    const processedTo = coveredTo ?? range.toMs;
    try {
      if (runId !== null)
        await finishRun(prisma, runId, { status, error: runError, steps, totals, finishedAt: new Date(), coveredTo: new Date(processedTo), findings });
      request.onProgress?.(steps);
    } finally {
      await state.lock?.release();
      await source.close();
    }
    return {
      runId,
      status,
      isDryRun,
      range,
      processedTo,
      findings,
      rangeText: state.rangeText,
      source: source.description,
      steps,
      totals,
      error: runError,
      errorCode,
      details: { ingest: ingestReport, notifications },
    };
  }
}

/**
 * Where a run's processing ends: at the last window the source covered, so that windows after
 * its high-water mark wait for the next run instead of being stored as zeros. An Elasticsearch
 * source's newest document is taken settle_seconds early, since other shippers may lag it.
 */
export function processableEnd(counted: CountReport, range: TimeRange, config: FrozenConfig, nowMs: number): { endMs: number; dataUntilMs: number | null } {
  const grid = gridOf(config);
  const coveredMs = coveredUntil(counted.coverage);
  const dataUntilMs = counted.newestMs !== undefined ? (counted.newestMs ?? null) : coveredMs;
  if (coveredMs === null) return { endMs: range.fromMs, dataUntilMs };
  // The settling time counts back from the newest document itself (which may lie past the range), not from the range's end.
  const settled =
    counted.newestMs !== undefined && counted.newestMs !== null ? Math.min(counted.newestMs, nowMs) - config.pipeline.settle_seconds * 1000 : coveredMs;
  const endMs = Math.min(range.toMs, grid.windowStartOf(Math.min(settled, coveredMs)), coveredMs);
  return { endMs: Math.max(range.fromMs, endMs), dataUntilMs };
}

function prefixed(prefix: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([key, value]) => [`${prefix}${key}`, value]));
}

function notifiablePeakOf(row: NotifiablePeakRow): NotifiablePeak {
  return {
    id: row.id,
    namespace: row.namespace,
    start: row.timestamp.getTime(),
    plateauStart: row.continuesPeak?.timestamp.getTime() ?? null,
    severity: row.severity,
    errorCount: row.errorCount,
    baselineMean: row.baselineMean,
    ratio: row.ratio,
    rootCause: row.rootCause,
    errorType: row.errorType,
    appName: row.appName,
    knownIssue: row.knownIssue,
    regressionOf: row.knownPeak,
  };
}

/**
 * The Teams messages of a run: incidents with a peak in the range, or with a delivery still to
 * retry. Peaks shortly before the range are grouped too, so that an incident that began in an
 * earlier run keeps its key and is not announced again.
 */
async function teamsMessagesFor(
  prisma: PrismaClient,
  config: FrozenConfig,
  range: TimeRange,
  now: Date,
  notifyKnownIssues: boolean,
  tally: { quiet: number; skippedKnown: number },
): Promise<OutgoingMessage[]> {
  const grid = gridOf(config);
  const windowMs = config.window_minutes * 60_000;
  const gapMinutes = config.notifications.teams.incident_gap_minutes;
  const lookbackFrom = range.fromMs - gapMinutes * 60_000 - windowMs;
  const rows = await findNotifiablePeaks(prisma, { fromMs: lookbackFrom, toMs: range.toMs }, "teams", new Date(now.getTime() - RETRY_UNSENT_FOR_MS));
  const retryIds = new Set(rows.filter((row) => row.timestamp.getTime() < lookbackFrom).map((row) => row.id));
  const incidents = groupIncidents(rows.map(notifiablePeakOf), windowMs, gapMinutes).filter((incident) =>
    incident.peaks.some((peak) => (peak.start >= range.fromMs && peak.start < range.toMs) || retryIds.has(peak.id)),
  );
  const messages: OutgoingMessage[] = [];
  for (const incident of incidents) {
    if (isQuiet(incident)) {
      if (!notifyKnownIssues) {
        tally.skippedKnown += 1;
        continue;
      }
      tally.quiet += 1;
    }
    const payload = teamsMessage(incident, {
      dashboardUrl: config.notifications.dashboard_url,
      formatTime: (instantMs) => formatLocalTime(instantMs, grid),
      timeZone: config.timezone,
    });
    messages.push({ dedupeKey: incident.dedupeKey, peakId: incident.peaks[0]!.id, payload });
  }
  return messages;
}
