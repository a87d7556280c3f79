import type { Actor } from "@/lib/roles";
import { analyzePeaks } from "@/lib/ai/peak-analysis";
import { findPeakIdsInRange } from "@/lib/db/peaks";
import type { Logger } from "@/lib/log";
import type { StartedRunAnswer, StoredStep } from "@/lib/runs/contract";
import type { Services } from "@/lib/services";
import { sendDigest, digestChannelsOf, type DigestSendReport } from "@/lib/digest/send";
import { enrichPeaks } from "./enrich";
import { runMaintenance, type MaintenanceReport } from "./maintenance";
import { runPipeline, startPipelineRun, type PipelineRunReport, type PipelineStart } from "./pipeline";
import type { StepName } from "./run-steps";
import { withWindowsLock } from "./run-lock";

const AI_CATCH_UP_MS = 86_400_000;

/** Source hooks of the server's runs: a retried Elasticsearch request is a warning in the log. */
function loggedSourceHooks(log: Logger) {
  return { onRetry: (message: string) => log.warn({ source: "elasticsearch" }, message) };
}

/** Logs each step of a run once, when it ends. */
function stepLogger(log: Logger): (steps: readonly StoredStep[]) => void {
  const logged = new Set<string>();
  return (steps) => {
    for (const step of steps) {
      if (step.status === "pending" || step.status === "running" || logged.has(step.name)) continue;
      logged.add(step.name);
      const fields = { step: step.name, status: step.status, durationMs: step.durationMs, counts: step.counts, note: step.note, error: step.error };
      if (step.status === "failed") log.warn(fields, `step ${step.name} failed`);
      else log.info(fields, `step ${step.name} ${step.status}`);
    }
  };
}

/** Logs how a run ended. */
/** The run's end, one line with the run's id (once: pino writes a field of the line and of its bindings twice). */
function logRunEnd(log: Logger, report: PipelineRunReport): void {
  const fields = { runId: report.runId, status: report.status, range: report.rangeText, totals: report.totals };
  if (report.status === "failed") log.error({ ...fields, error: report.error }, "pipeline run failed");
  else log.info(fields, "pipeline run succeeded");
}

/**
 * Starts a pipeline run for a dashboard user over every completed window since the last run (or
 * a given range) and hands its steps to `runLater`; answers with the run's id before the steps
 * run. A ConflictError when another run holds the lock.
 */
export async function startRunForUser(
  { db, config, logger, pipeline, openSource }: Services,
  actor: Actor,
  input: { fromMs?: number; toMs?: number; skipAnalysis?: boolean },
  runLater: (task: () => Promise<unknown>) => void,
): Promise<StartedRunAnswer> {
  const log = logger.child({ trigger: "api" });
  const start: PipelineStart = await startPipelineRun(db, config, {
    trigger: "api",
    ...(input.fromMs !== undefined ? { range: { fromMs: input.fromMs, toMs: input.toMs ?? Date.now() } } : {}),
    skipAnalysis: input.skipAnalysis ?? false,
    startedById: actor.kind === "user" ? actor.id : null,
    source: openSource(loggedSourceHooks(log)),
    services: pipeline,
    onProgress: stepLogger(log),
  });
  if (start.status === "up_to_date") return { status: "up_to_date", runId: null, message: start.message };
  const { run } = start;
  // The run records its own failure; the log is where an operator sees it happen.
  runLater(() =>
    run.execute().then(
      (report) => logRunEnd(log, report),
      (error: unknown) => log.error({ err: error, runId: run.runId }, "pipeline run could not record its end"),
    ),
  );
  return {
    status: "running",
    runId: run.runId!,
    range: { from: new Date(run.range.fromMs).toISOString(), to: new Date(run.range.toMs).toISOString() },
    rangeText: run.rangeText,
  };
}

/** A scheduled pipeline run (every 15 minutes): waits for the run and answers with its outcome. */
export async function runScheduledPipeline({
  db,
  config,
  logger,
  pipeline,
  openSource,
}: Services): Promise<{ status: "succeeded" | "failed" | "up_to_date"; runId: number | null; message: string; failedStep: StepName | null }> {
  const log = logger.child({ trigger: "cron" });
  const outcome = await runPipeline(db, config, {
    trigger: "cron",
    source: openSource(loggedSourceHooks(log)),
    services: pipeline,
    onProgress: stepLogger(log),
  });
  if (outcome.status === "up_to_date") {
    log.info({ message: outcome.message }, "pipeline up to date");
    return { status: "up_to_date", runId: null, message: outcome.message, failedStep: null };
  }
  logRunEnd(log, outcome);
  return {
    status: outcome.status,
    runId: outcome.runId,
    message: runMessage(outcome),
    failedStep: (outcome.steps.find((step) => step.status === "failed")?.name as StepName | undefined) ?? null,
  };
}

function runMessage(report: PipelineRunReport): string {
  if (report.status === "failed") return `Run #${report.runId} over ${report.rangeText} failed: ${report.error}`;
  return `Run #${report.runId} over ${report.rangeText}: ${report.totals.documentsSeen} error documents, ${report.totals.peaksFound} peak windows, ${report.totals.notificationsSent} notifications sent.`;
}

/**
 * The hourly enrichment (the seed's enrich_peaks --all): investigates every peak not enriched
 * yet, then asks the AI about enriched peaks it has not analysed (when AI is on).
 */
export async function runScheduledEnrichment({
  db,
  config,
  logger,
  pipeline,
  openSource,
}: Services): Promise<{ enriched: number; withoutDocuments: number; ai: { analyzed: number; failed: number } | { skipped: string } }> {
  return withWindowsLock(db, config, "enrichment (cron)", async () => {
    const log = logger.child({ job: "enrichment" });
    const source = openSource(loggedSourceHooks(log));
    try {
      const report = await enrichPeaks(db, config, source, { missingOnly: true });
      log.info({ enriched: report.enriched, withoutDocuments: report.withoutDocuments }, "peaks enriched");
      if (pipeline.ai.status === "off") return { enriched: report.enriched, withoutDocuments: report.withoutDocuments, ai: { skipped: pipeline.ai.reason } };
      // Only recent peaks: switching AI on must not send the whole history to the endpoint.
      const now = Date.now();
      const peakIds = await findPeakIdsInRange(db, { fromMs: now - AI_CATCH_UP_MS, toMs: now }, "not analysed by AI");
      const analysis = await analyzePeaks(db, pipeline.ai.settings, peakIds);
      return { enriched: report.enriched, withoutDocuments: report.withoutDocuments, ai: { analyzed: analysis.analyzed, failed: analysis.failed } };
    } finally {
      await source.close();
    }
  });
}

/** The daily maintenance: retention per values.yaml. */
export async function runScheduledMaintenance({ db, config, logger }: Services): Promise<MaintenanceReport> {
  const report = await runMaintenance(db, config, { now: new Date() });
  logger.info({ job: "maintenance", report }, "maintenance done");
  return report;
}

/**
 * The hourly digest call: sends the digest of the newest date whose digest.local_time has passed
 * to every channel that does not have it yet (a missed call sends it at the next one).
 */
export async function runScheduledDigest({ db, config, grid, logger, connections }: Services): Promise<DigestSendReport> {
  const report = await sendDigest(
    db,
    {},
    { config, grid, now: new Date(), channels: digestChannelsOf(config, connections), lockLeaseMs: config.pipeline.lock_lease_seconds * 1000 },
  );
  const fields = {
    date: report.date,
    status: report.status,
    deliveries: report.deliveries.map(({ channel, status, attempts, error }) => ({ channel, status, attempts, error })),
  };
  if (report.status === "failed") logger.warn(fields, report.message);
  else logger.info(fields, report.message);
  return report;
}
