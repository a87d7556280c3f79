import type { Prisma, PrismaClient } from "./client";

export type PeakFilter = { fromMs?: number; toMs?: number; namespace?: string; limit?: number };

const peakListSelect = {
  id: true,
  timestamp: true,
  namespace: true,
  severity: true,
  status: true,
  errorCount: true,
  baselineMean: true,
  baselineStddev: true,
  baselineSamples: true,
  ratio: true,
  requiredRatio: true,
  average24h: true,
  referenceCounts: true,
  continuesPeakId: true,
  thresholdsVersion: true,
  detectedAt: true,
} as const;

export type PeakListItem = Prisma.PeakInvestigationGetPayload<{ select: typeof peakListSelect }>;

/** Peaks in a time range (window start), oldest first. */
export async function findPeaks(prisma: PrismaClient, filter: PeakFilter): Promise<PeakListItem[]> {
  return prisma.peakInvestigation.findMany({
    where: {
      ...(filter.namespace ? { namespace: filter.namespace } : {}),
      timestamp: {
        ...(filter.fromMs !== undefined ? { gte: new Date(filter.fromMs) } : {}),
        ...(filter.toMs !== undefined ? { lt: new Date(filter.toMs) } : {}),
      },
    },
    orderBy: [{ timestamp: "asc" }, { namespace: "asc" }],
    select: peakListSelect,
    ...(filter.limit ? { take: filter.limit } : {}),
  });
}
