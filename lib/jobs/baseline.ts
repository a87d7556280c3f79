import type { Prisma, Db } from "@/lib/db/client";
import { findKnownNamespaces } from "@/lib/db/detection-store";
import { holdOffRetirement } from "@/lib/db/maintenance";
import { slotKey } from "@/lib/pipeline/baseline";
import { addSample, combineStats, emptyStats, type RunningStats } from "@/lib/pipeline/running-stats";
import { saveBaselineSlots } from "@/lib/detection/store";

export type RecalculationReport = {
  namespaces: number;
  windows: number;
  slots: number;
  /** Largest relative difference between a stored mean and its recomputed value (0 when identical). */
  largestMeanDifference: number;
};

/**
 * Recomputes every baseline slot from the stored windows (the value each window added, in
 * window order) combined with the slot's retired stats (the windows retention deleted),
 * rewriting the slots in one transaction per namespace. Matches the incremental updates of
 * ingestion (up to rounding) when windows were ingested in time order.
 */
export async function recalculateBaseline(db: Db, options: { namespace?: string } = {}): Promise<RecalculationReport> {
  const namespaces = options.namespace ? [options.namespace] : await findKnownNamespaces(db.prisma);
  const report: RecalculationReport = { namespaces: namespaces.length, windows: 0, slots: 0, largestMeanDifference: 0 };
  for (const namespace of namespaces) {
    await db.prisma.$transaction((transaction) => recalculateNamespace(transaction, namespace, report), TRANSACTION_OPTIONS);
  }
  return report;
}

export const TRANSACTION_OPTIONS = { timeout: 10 * 60_000, maxWait: 120_000 };

/**
 * Recomputes one namespace's slots inside the caller's transaction: each slot is its retired
 * stats (kept as they are) combined with the stats of its stored windows; a slot left with no
 * sample is deleted.
 */
export async function recalculateNamespace(transaction: Prisma.TransactionClient, namespace: string, report: RecalculationReport): Promise<void> {
  // Retired stats first, then the windows, with no window retired in between.
  await holdOffRetirement(transaction);
  const previous = await transaction.aggregationData.findMany({
    where: { namespace },
    select: { id: true, dayOfWeek: true, hourOfDay: true, quarterHour: true, mean: true, retiredSamples: true, retiredMean: true, retiredM2: true },
  });
  const rows = await transaction.peakRawData.findMany({
    where: { namespace },
    orderBy: { timestamp: "asc" },
    select: { dayOfWeek: true, hourOfDay: true, quarterHour: true, errorCount: true, baselineValue: true },
  });
  const stored = new Map<string, RunningStats>();
  for (const row of rows) {
    const key = slotKey(namespace, row);
    stored.set(key, addSample(stored.get(key) ?? emptyStats, row.baselineValue ?? row.errorCount));
  }
  const slots = new Map<string, RunningStats>();
  for (const slot of previous) {
    const key = slotKey(namespace, slot);
    const stats = combineStats({ samples: slot.retiredSamples, mean: slot.retiredMean, m2: slot.retiredM2 }, stored.get(key) ?? emptyStats);
    if (stats.samples > 0) slots.set(key, stats);
  }
  for (const [key, stats] of stored) if (!slots.has(key)) slots.set(key, stats);

  const emptied: bigint[] = [];
  for (const slot of previous) {
    const recomputed = slots.get(slotKey(namespace, slot));
    const difference = recomputed ? Math.abs(recomputed.mean - slot.mean) / Math.max(1, Math.abs(slot.mean)) : 1;
    report.largestMeanDifference = Math.max(report.largestMeanDifference, difference);
    if (!recomputed) emptied.push(slot.id);
  }
  // Rewritten in place rather than deleted and inserted again, so the retired columns stay.
  if (emptied.length > 0) await transaction.aggregationData.deleteMany({ where: { id: { in: emptied } } });
  await saveBaselineSlots(transaction, slots);
  report.windows += rows.length;
  report.slots += slots.size;
}
