import type { Prisma, PrismaClient } from "./client";

const peakForAnalysisSelect = {
  id: true,
  timestamp: true,
  namespace: true,
  severity: true,
  errorCount: true,
  baselineMean: true,
  ratio: true,
  traceId: true,
  appName: true,
  errorType: true,
  affectedServices: true,
  rootCause: true,
  topPatterns: true,
  knownIssue: { select: { id: true, title: true, description: true } },
  knownPeak: { select: { id: true, title: true, description: true, solution: true } },
} as const satisfies Prisma.PeakInvestigationSelect;

/** A peak with the facts an AI analysis is asked about. */
export type PeakForAnalysis = Prisma.PeakInvestigationGetPayload<{ select: typeof peakForAnalysisSelect }>;

/** The given peaks (ids without a peak are left out), oldest first. */
export async function loadPeaksForAnalysis(prisma: PrismaClient, peakIds: readonly number[]): Promise<PeakForAnalysis[]> {
  if (peakIds.length === 0) return [];
  return prisma.peakInvestigation.findMany({
    where: { id: { in: [...peakIds] } },
    orderBy: [{ timestamp: "asc" }, { namespace: "asc" }],
    select: peakForAnalysisSelect,
  });
}

/** Stores a successful analysis; clears the error of an earlier failed one. */
export async function saveAnalysis(
  prisma: PrismaClient,
  peakId: number,
  analysis: { summary: string; nextSteps: readonly string[]; model: string; analyzedAt: Date },
): Promise<void> {
  await prisma.peakInvestigation.update({
    where: { id: peakId },
    data: { aiSummary: analysis.summary, aiNextSteps: [...analysis.nextSteps], aiModel: analysis.model, aiAnalyzedAt: analysis.analyzedAt, aiError: null },
  });
}

/** Records why an analysis failed; an earlier summary, its next steps and model are kept. */
export async function saveAnalysisFailure(prisma: PrismaClient, peakId: number, failure: { error: string; analyzedAt: Date }): Promise<void> {
  await prisma.peakInvestigation.update({ where: { id: peakId }, data: { aiError: failure.error, aiAnalyzedAt: failure.analyzedAt } });
}
