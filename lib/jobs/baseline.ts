import type { Prisma, PrismaClient } from "@/lib/db/client";
import { findKnownNamespaces, saveBaselineSlots } from "@/lib/db/detection-store";
import { slotKey } from "@/lib/pipeline/baseline";
import { addSample, emptyStats, type RunningStats } from "@/lib/pipeline/running-stats";

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

export const TRANSACTION_OPTIONS = { timeout: 10 * 60_000, maxWait: 120_000 };

export async function recalculateNamespace(transaction: Prisma.TransactionClient, namespace: string, report: RecalculationReport): Promise<void> {
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
