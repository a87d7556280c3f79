import type { FrozenConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { findKnownNamespaces } from "@/lib/db/detection-store";
import { recalculateNamespace, TRANSACTION_OPTIONS, type RecalculationReport } from "./baseline";
import { gridOf } from "./ingest";

export type FillReport = { namespaces: number; windowsAdded: number; range: { fromMs: number; toMs: number } | null; isDryRun: boolean };

/**
 * Adds a zero-count window for every (window, namespace) missing between the first and the last
 * stored window (or in the given range), then recomputes the baselines of the namespaces that
 * got windows, so that missing windows do not bias baselines upwards.
 */
export async function fillMissingWindows(
  prisma: PrismaClient,
  config: FrozenConfig,
  options: { range?: { fromMs: number; toMs: number }; isDryRun?: boolean },
): Promise<FillReport> {
  const grid = gridOf(config);
  const bounds = await prisma.peakRawData.aggregate({ _min: { timestamp: true }, _max: { timestamp: true } });
  const range =
    options.range ??
    (bounds._min.timestamp && bounds._max.timestamp
      ? { fromMs: bounds._min.timestamp.getTime(), toMs: bounds._max.timestamp.getTime() + grid.windowMs }
      : null);
  const namespaces = await findKnownNamespaces(prisma);
  const report: FillReport = { namespaces: namespaces.length, windowsAdded: 0, range, isDryRun: options.isDryRun ?? false };
  if (!range) return report;
  const starts = grid.windowsBetween(range.fromMs, range.toMs);
  const recalculation: RecalculationReport = { namespaces: 0, windows: 0, slots: 0, largestMeanDifference: 0 };
  for (const namespace of namespaces) {
    // Per namespace, the zeros and the recomputed baseline land together or not at all.
    await prisma.$transaction(async (transaction) => {
      const existing = await transaction.peakRawData.findMany({
        where: { namespace, timestamp: { gte: new Date(range.fromMs), lt: new Date(range.toMs) } },
        select: { timestamp: true },
      });
      const present = new Set(existing.map((row) => row.timestamp.getTime()));
      const missing = starts.filter((start) => !present.has(start));
      if (missing.length === 0) return;
      report.windowsAdded += missing.length;
      if (report.isDryRun) return;
      await transaction.peakRawData.createMany({
        data: missing.map((start) => ({ timestamp: new Date(start), namespace, errorCount: 0, baselineValue: 0, ...grid.slotOf(start) })),
        skipDuplicates: true,
      });
      await recalculateNamespace(transaction, namespace, recalculation);
    }, TRANSACTION_OPTIONS);
  }
  return report;
}
