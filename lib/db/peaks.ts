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

/** Ids of the peaks whose window lies in the range and that match a stage still to do. */
export async function findPeakIdsInRange(
  prisma: PrismaClient,
  range: { fromMs: number; toMs: number },
  stage: "not enriched" | "not analysed by AI",
): Promise<number[]> {
  const rows = await prisma.peakInvestigation.findMany({
    where: {
      timestamp: { gte: new Date(range.fromMs), lt: new Date(range.toMs) },
      ...(stage === "not enriched" ? { enrichedAt: null } : { aiAnalyzedAt: null, enrichedAt: { not: null } }),
    },
    orderBy: [{ timestamp: "asc" }, { namespace: "asc" }],
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

const notifiableSelect = {
  id: true,
  namespace: true,
  timestamp: true,
  severity: true,
  errorCount: true,
  baselineMean: true,
  ratio: true,
  rootCause: true,
  errorType: true,
  appName: true,
  continuesPeak: { select: { timestamp: true } },
  knownIssue: { select: { id: true, title: true } },
  knownPeak: { select: { id: true, title: true, solution: true } },
} satisfies Prisma.PeakInvestigationSelect;

export type NotifiablePeakRow = Prisma.PeakInvestigationGetPayload<{ select: typeof notifiableSelect }>;

/**
 * Peaks a notification may be about: those whose window starts in [fromMs, toMs), and those
 * whose earlier delivery on `channel` is not sent yet (to be retried).
 */
export async function findNotifiablePeaks(
  prisma: PrismaClient,
  range: { fromMs: number; toMs: number },
  channel: string,
  unsentSince: Date,
): Promise<NotifiablePeakRow[]> {
  return prisma.peakInvestigation.findMany({
    where: {
      OR: [
        { timestamp: { gte: new Date(range.fromMs), lt: new Date(range.toMs) } },
        { deliveries: { some: { channel, status: { not: "sent" }, createdAt: { gte: unsentSince } } } },
      ],
    },
    orderBy: [{ timestamp: "asc" }, { namespace: "asc" }],
    select: notifiableSelect,
  });
}
