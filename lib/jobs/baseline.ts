import type { FrozenConfig } from "@/lib/config";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { findKnownNamespaces, saveBaselineSlots } from "@/lib/db/detection-store";
import { slotKey } from "@/lib/pipeline/baseline";
import { addSample, emptyStats, type RunningStats } from "@/lib/pipeline/running-stats";
import { gridOf } from "./ingest";

export type RecalculationReport = {
  namespaces: number;
  windows: number;
  slots: number;
  /** Largest relative difference between a stored mean and its recomputed value (0 when identical). */
  largestMeanDifference: number;
};

/**
 * Recomputes every baseline slot from the stored windows (the value each window added, in
 * window order), replacing the slots in one transaction per namespace. Matches the incremental
 * updates of ingestion exactly when windows were ingested in time order.
 */
export async function recalculateBaseline(prisma: PrismaClient, options: { namespace?: string } = {}): Promise<RecalculationReport> {
  const namespaces = options.namespace ? [options.namespace] : await findKnownNamespaces(prisma);
  const report: RecalculationReport = { namespaces: namespaces.length, windows: 0, slots: 0, largestMeanDifference: 0 };
  for (const namespace of namespaces) {
    await prisma.$transaction((transaction) => recalculateNamespace(transaction, namespace, report), TRANSACTION_OPTIONS);
  }
  return report;
}

const TRANSACTION_OPTIONS = { timeout: 10 * 60_000, maxWait: 120_000 };

async function recalculateNamespace(transaction: Prisma.TransactionClient, namespace: string, report: RecalculationReport): Promise<void> {
  const rows = await transaction.peakRawData.findMany({
    where: { namespace },
    orderBy: { timestamp: "asc" },
    select: { dayOfWeek: true, hourOfDay: true, quarterHour: true, errorCount: true, baselineValue: true },
  });
  const slots = new Map<string, RunningStats>();
  for (const row of rows) {
    const key = slotKey(namespace, row);
    slots.set(key, addSample(slots.get(key) ?? emptyStats, row.baselineValue ?? row.errorCount));
  }
  const previous = await transaction.aggregationData.findMany({
    where: { namespace },
    select: { dayOfWeek: true, hourOfDay: true, quarterHour: true, mean: true },
  });
  for (const slot of previous) {
    const recomputed = slots.get(slotKey(namespace, slot));
    const difference = recomputed ? Math.abs(recomputed.mean - slot.mean) / Math.max(1, Math.abs(slot.mean)) : 1;
    report.largestMeanDifference = Math.max(report.largestMeanDifference, difference);
  }
  await transaction.aggregationData.deleteMany({ where: { namespace } });
  await saveBaselineSlots(transaction, slots);
  report.windows += rows.length;
  report.slots += slots.size;
}

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
