import type { Actor } from "@/lib/auth/roles";
import { analyzePeaks } from "@/lib/ai/peak-analysis";
import type { FrozenConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { findRun, listRuns, type PipelineRunRecord } from "@/lib/db/pipeline-runs";
import { findPeakIdsInRange } from "@/lib/db/peaks";
import { openConfiguredLogSource } from "@/lib/es";
import { NotFoundError } from "@/lib/errors";
import { enrichPeaks } from "./enrich";
import { runMaintenance, type MaintenanceReport } from "./maintenance";
import { runPipeline, startPipelineRun, type PipelineRunReport, type PipelineStart, type StepName } from "./pipeline";
import { pipelineServicesFromEnvironment } from "./pipeline-services";
import { withWindowsLock } from "./run-lock";

const AI_CATCH_UP_MS = 86_400_000;

/** What starting a run from the dashboard answers at once. */
export type StartedRunAnswer =
  | { status: "running"; runId: number; range: { from: string; to: string }; rangeText: string }
  | { status: "up_to_date"; runId: null; message: string };

/**
 * Starts a pipeline run for a dashboard user over every completed window since the last run (or
 * a given range) and hands its steps to `runLater`; answers with the run's id before the steps
 * run. A ConflictError when another run holds the lock.
 */
export async function startRunForUser(
  prisma: PrismaClient,
  config: FrozenConfig,
  actor: Actor,
  input: { fromMs?: number; toMs?: number; skipAnalysis?: boolean },
  runLater: (task: () => Promise<unknown>) => void,
): Promise<StartedRunAnswer> {
  const start: PipelineStart = await startPipelineRun(prisma, config, {
    trigger: "api",
    ...(input.fromMs !== undefined ? { range: { fromMs: input.fromMs, toMs: input.toMs ?? Date.now() } } : {}),
    skipAnalysis: input.skipAnalysis ?? false,
    startedById: actor.kind === "user" ? actor.id : null,
    source: openConfiguredLogSource(config),
    services: pipelineServicesFromEnvironment(config),
  });
  if (start.status === "up_to_date") return { status: "up_to_date", runId: null, message: start.message };
  const { run } = start;
  // The run records its own failure; nothing is left to report to anyone here.
  runLater(() => run.execute().catch((error: unknown) => console.error(`Pipeline run #${run.runId} could not record its end:`, error)));
  return { status: "running", runId: run.runId!, range: { from: new Date(run.range.fromMs).toISOString(), to: new Date(run.range.toMs).toISOString() }, rangeText: run.rangeText };
}

export async function getRun(prisma: PrismaClient, runId: number): Promise<PipelineRunRecord> {
  const run = await findRun(prisma, runId);
  if (!run) throw new NotFoundError(`No pipeline run #${runId}`);
  return run;
}

export async function getRuns(prisma: PrismaClient, options: { limit: number; beforeId?: number; status?: "running" | "succeeded" | "failed" }): Promise<{ runs: PipelineRunRecord[]; nextBeforeId: number | null }> {
  const runs = await listRuns(prisma, options);
  return { runs, nextBeforeId: runs.length === options.limit ? runs.at(-1)!.id : null };
}

/** A scheduled pipeline run (every 15 minutes): waits for the run and answers with its outcome. */
export async function runScheduledPipeline(
  prisma: PrismaClient,
  config: FrozenConfig,
): Promise<{ status: "succeeded" | "failed" | "up_to_date"; runId: number | null; message: string; failedStep: StepName | null }> {
  const outcome = await runPipeline(prisma, config, { trigger: "cron", source: openConfiguredLogSource(config), services: pipelineServicesFromEnvironment(config) });
  if (outcome.status === "up_to_date") return { status: "up_to_date", runId: null, message: outcome.message, failedStep: null };
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
export async function runScheduledEnrichment(
  prisma: PrismaClient,
  config: FrozenConfig,
): Promise<{ enriched: number; withoutDocuments: number; ai: { analyzed: number; failed: number } | { skipped: string } }> {
  return withWindowsLock(prisma, config, "enrichment (cron)", async () => {
    const source = openConfiguredLogSource(config);
    try {
      const report = await enrichPeaks(prisma, config, source, { missingOnly: true });
      const services = pipelineServicesFromEnvironment(config);
      if (services.ai.status === "off") return { enriched: report.enriched, withoutDocuments: report.withoutDocuments, ai: { skipped: services.ai.reason } };
      // Only recent peaks: switching AI on must not send the whole history to the endpoint.
      const now = Date.now();
      const peakIds = await findPeakIdsInRange(prisma, { fromMs: now - AI_CATCH_UP_MS, toMs: now }, "not analysed by AI");
      const analysis = await analyzePeaks(prisma, services.ai.settings, peakIds);
      return { enriched: report.enriched, withoutDocuments: report.withoutDocuments, ai: { analyzed: analysis.analyzed, failed: analysis.failed } };
    } finally {
      await source.close();
    }
  });
}

/** The daily maintenance: retention per values.yaml. */
export function runScheduledMaintenance(prisma: PrismaClient, config: FrozenConfig): Promise<MaintenanceReport> {
  return runMaintenance(prisma, config, { now: new Date() });
}
