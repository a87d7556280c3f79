import type { Prisma, PrismaClient } from "./client";
import type { RunStatus, RunTrigger } from "./generated/prisma/enums";

export type { RunStatus, RunTrigger } from "./generated/prisma/enums";
export type StepStatus = "pending" | "running" | "succeeded" | "failed" | "skipped";

/** One step of a run as stored in pipeline_runs.steps. Times are ISO strings, durations ms. */
export type StoredStep = {
  name: string;
  title: string;
  status: StepStatus;
  startedAt: string | null;
  durationMs: number | null;
  counts: Record<string, number>;
  /** Why the step was skipped, or what it noticed (e.g. AI answers that failed). */
  note: string | null;
  error: string | null;
};

export type RunTotals = { documentsSeen: number; peaksFound: number; notificationsSent: number };

export type NewRun = {
  trigger: RunTrigger;
  range: { fromMs: number; toMs: number };
  source: string;
  isAnalysisSkipped: boolean;
  advancesWatermark: boolean;
  startedById: number | null;
  steps: StoredStep[];
  startedAt: Date;
};

export async function createRun(prisma: PrismaClient, run: NewRun): Promise<number> {
  const created = await prisma.pipelineRun.create({
    data: {
      trigger: run.trigger,
      rangeFrom: new Date(run.range.fromMs),
      rangeTo: new Date(run.range.toMs),
      source: run.source,
      isAnalysisSkipped: run.isAnalysisSkipped,
      advancesWatermark: run.advancesWatermark,
      startedById: run.startedById,
      steps: run.steps as unknown as Prisma.InputJsonValue,
      startedAt: run.startedAt,
    },
    select: { id: true },
  });
  return created.id;
}

export async function saveRunProgress(prisma: PrismaClient, runId: number, steps: readonly StoredStep[], totals: RunTotals): Promise<void> {
  await prisma.pipelineRun.update({ where: { id: runId }, data: { steps: steps as unknown as Prisma.InputJsonValue, ...totals } });
}

export async function finishRun(
  prisma: PrismaClient,
  runId: number,
  outcome: {
    status: "succeeded" | "failed";
    error: string | null;
    steps: readonly StoredStep[];
    totals: RunTotals;
    finishedAt: Date;
    /** The end of the windows processed; the watermark moves no further. */
    coveredTo?: Date;
    findings?: Record<string, unknown>;
  },
): Promise<void> {
  await prisma.pipelineRun.update({
    where: { id: runId },
    data: {
      status: outcome.status,
      error: outcome.error,
      steps: outcome.steps as unknown as Prisma.InputJsonValue,
      ...outcome.totals,
      finishedAt: outcome.finishedAt,
      ...(outcome.coveredTo ? { coveredTo: outcome.coveredTo } : {}),
      ...(outcome.findings ? { findings: outcome.findings as Prisma.InputJsonValue } : {}),
    },
  });
}

/**
 * Marks every run still recorded as running as failed. Called by the process that has just
 * taken the windows lock: no other run can be alive, so these were killed or lost.
 */
export async function failAbandonedRuns(prisma: PrismaClient, reason: string, finishedAt: Date): Promise<number> {
  const result = await prisma.pipelineRun.updateMany({ where: { status: "running" }, data: { status: "failed", error: reason, finishedAt } });
  return result.count;
}

/**
 * Where the next run starts: the end of the newest range a run processed successfully from the
 * watermark on (a run of a later, detached range leaves the gap before it to be processed).
 * Before any success, the start of the earliest run (its steps may have been cut short), else
 * the end of the newest stored window (after peaks batch); null on an empty database.
 */
export async function findWatermark(prisma: PrismaClient, windowMs: number): Promise<{ atMs: number; from: "run" | "unfinished run" | "windows" } | null> {
  // A run moves the watermark only as far as its source covered (covered_to); runs recorded before coverage existed, to their range's end.
  const [succeeded] = await prisma.$queryRawUnsafe<{ until: number | null }[]>(
    `SELECT (extract(epoch FROM max(coalesce(covered_to, range_to))) * 1000)::float8 AS until
       FROM pipeline_runs WHERE status = 'succeeded' AND NOT is_dry_run AND advances_watermark`,
  );
  if (succeeded?.until !== null && succeeded?.until !== undefined) return { atMs: Math.round(Number(succeeded.until)), from: "run" };
  const unfinished = await prisma.pipelineRun.aggregate({ where: { isDryRun: false, advancesWatermark: true }, _min: { rangeFrom: true } });
  if (unfinished._min.rangeFrom) return { atMs: unfinished._min.rangeFrom.getTime(), from: "unfinished run" };
  const window = await prisma.peakRawData.aggregate({ _max: { timestamp: true } });
  if (window._max.timestamp) return { atMs: window._max.timestamp.getTime() + windowMs, from: "windows" };
  return null;
}

const runSelect = {
  id: true,
  trigger: true,
  rangeFrom: true,
  rangeTo: true,
  isDryRun: true,
  source: true,
  isAnalysisSkipped: true,
  advancesWatermark: true,
  status: true,
  steps: true,
  documentsSeen: true,
  peaksFound: true,
  notificationsSent: true,
  coveredTo: true,
  findings: true,
  error: true,
  startedAt: true,
  finishedAt: true,
  startedBy: { select: { id: true, email: true, name: true } },
} satisfies Prisma.PipelineRunSelect;

type RunRow = Prisma.PipelineRunGetPayload<{ select: typeof runSelect }>;

export type PipelineRunRecord = Omit<RunRow, "steps"> & { steps: StoredStep[] };

function recordOf(row: RunRow): PipelineRunRecord {
  return { ...row, steps: Array.isArray(row.steps) ? (row.steps as unknown as StoredStep[]) : [] };
}

export async function findRun(prisma: PrismaClient, runId: number): Promise<PipelineRunRecord | null> {
  const row = await prisma.pipelineRun.findUnique({ where: { id: runId }, select: runSelect });
  return row ? recordOf(row) : null;
}

/** Runs, newest first; `beforeId` pages backwards. */
export async function listRuns(prisma: PrismaClient, options: { limit: number; beforeId?: number; status?: RunStatus }): Promise<PipelineRunRecord[]> {
  const rows = await prisma.pipelineRun.findMany({
    where: { ...(options.beforeId !== undefined ? { id: { lt: options.beforeId } } : {}), ...(options.status ? { status: options.status } : {}) },
    orderBy: { id: "desc" },
    take: options.limit,
    select: runSelect,
  });
  return rows.map(recordOf);
}
